"""XLIFF 1.2 export and import of offer and event texts for translation agencies.

Export: written with lxml; texts pass ``tabular.clean_text`` so control characters pasted from Word can
never make the file invalid XML. Import: a defusedxml gate (no entity expansion, no DTD tricks), then
translate-toolkit reads the units. The unit's ``state`` is honoured: ``new`` and ``needs-translation``
targets are not translations and are not saved (reported instead); a target that is a mere copy of the
German source is not saved either unless the translator marked it ``final``/``signed-off``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import defusedxml.ElementTree as SafeET
from lxml import etree
from translate.storage.xliff import xlifffile

from teilhabe.directory import services
from teilhabe.directory.models import EVENT_TEXT_FIELDS, OFFER_TEXT_FIELDS, Event, Offer, TranslationStatus
from teilhabe.lib.tabular import clean_text

NS = "urn:oasis:names:tc:xliff:document:1.2"
UNIT_ID = re.compile(r"^(offer|event)-(\d+)-([a-z_]+)$")
NOT_TRANSLATED = {"new", "needs-translation"}
APPROVED = {"final", "signed-off"}
_STATE: dict[str, str] = {
    TranslationStatus.CURRENT: "translated",
    TranslationStatus.OUTDATED: "needs-review-translation",
    TranslationStatus.MACHINE: "needs-review-translation",
}


def export_xliff(objects: Iterable[Offer | Event], *, target_language: str) -> bytes:
    def element(parent: Any, tag: str, attrib: dict[str, str] | None = None, text: str = "") -> Any:
        child = etree.SubElement(parent, f"{{{NS}}}{tag}", attrib or {})
        if text:
            child.text = clean_text(text)
        return child

    root = etree.Element(f"{{{NS}}}xliff", {"version": "1.2"}, nsmap={None: NS})
    file_el = element(
        root,
        "file",
        {
            "original": "teilhabe-angebotsverzeichnis",
            "source-language": "de",
            "target-language": target_language,
            "datatype": "plaintext",
        },
    )
    body = element(file_el, "body")
    for obj in objects:
        kind = "offer" if isinstance(obj, Offer) else "event"
        fields = OFFER_TEXT_FIELDS if kind == "offer" else EVENT_TEXT_FIELDS
        translation = next((t for t in obj.translations.all() if t.language == target_language), None)
        group = element(body, "group", {"id": f"{kind}-{obj.pk}"})
        for name in fields:
            source_text = clean_text(getattr(obj, name) or "")
            if not source_text.strip():
                continue
            unit = element(group, "trans-unit", {"id": f"{kind}-{obj.pk}-{name}", "resname": name})
            element(unit, "source", text=source_text)
            target_text = getattr(translation, name, "") if translation else ""
            state = _STATE.get(translation.status, "needs-translation") if translation else "needs-translation"
            if not target_text:
                state = "needs-translation"
            element(unit, "target", {"state": state}, text=target_text)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


@dataclass
class ImportReport:
    saved: int = 0
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # units not taken over because of their state


def import_xliff(content: bytes, *, acting_user: Any, offers: Any, events: Any) -> ImportReport:
    """Store the targets of a translated XLIFF file; only entries in ``offers``/``events`` may be touched."""
    report = ImportReport()
    try:
        root = SafeET.fromstring(content)
    except Exception:  # defusedxml raises several parse and security errors
        report.errors.append("Datei: kein gültiges XML oder unzulässiger Inhalt (xliff.parse)")
        return report
    files = root.findall(f"{{{NS}}}file")
    if root.tag != f"{{{NS}}}xliff" or not files:
        report.errors.append("Datei: kein XLIFF-1.2-Dokument (xliff.version)")
        return report
    store = xlifffile.parsestring(content)
    by_language: dict[str, dict[tuple[str, int], dict[str, str]]] = {}
    for file_el in files:
        language = (file_el.get("target-language") or "").split("-")[0]
        if not language or language == "de":
            report.errors.append("Datei: Zielsprache fehlt oder ist Deutsch (xliff.target_language)")
    for unit in store.units:
        element = unit.xmlelement
        file_el = next(element.iterancestors(f"{{{NS}}}file"), None)
        language = ((file_el.get("target-language") if file_el is not None else "") or "").split("-")[0]
        if not language or language == "de":
            continue
        collected = by_language.setdefault(language, {})
        unit_id = element.get("id", "")
        match = UNIT_ID.match(unit_id)
        if not match:
            report.errors.append(f"Einheit „{unit_id}“: unbekannte Kennung (xliff.unit_id)")
            continue
        kind, pk, name = match.group(1), int(match.group(2)), match.group(3)
        allowed = OFFER_TEXT_FIELDS if kind == "offer" else EVENT_TEXT_FIELDS
        if name not in allowed:
            report.errors.append(f"Einheit „{unit_id}“: Feld {name} ist nicht übersetzbar (xliff.field)")
            continue
        target_el = element.find(f"{{{NS}}}target")
        state = (target_el.get("state") or "") if target_el is not None else ""
        text = clean_text(unit.target or "").strip()
        source = clean_text(unit.source or "").strip()
        if not text:
            continue
        if state in NOT_TRANSLATED:
            report.skipped.append(f"Einheit „{unit_id}“: Status „{state}“ – nicht als Übersetzung übernommen")
            continue
        if text == source and state not in APPROVED:
            report.skipped.append(
                f"Einheit „{unit_id}“: Ziel ist eine Kopie des deutschen Textes – nicht übernommen "
                "(für gewollt gleiche Texte Status „final“ setzen)"
            )
            continue
        collected.setdefault((kind, pk), {})[name] = text
    for language, collected in by_language.items():
        for (kind, pk), data in collected.items():
            obj = (offers if kind == "offer" else events).filter(pk=pk).first()
            if obj is None:
                report.errors.append(
                    f"Einheit „{kind}-{pk}“: Eintrag nicht gefunden oder nicht freigegeben (xliff.not_found)"
                )
                continue
            if "title" not in data and not obj.translations.filter(language=language).exclude(title="").exists():
                report.errors.append(f"Einheit „{kind}-{pk}-title“: Titel fehlt (xliff.title_missing)")
                continue
            services.translation_save(acting_user=acting_user, obj=obj, language=language, data=data, source="xliff")
            report.saved += 1
    return report
