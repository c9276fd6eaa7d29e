"""XLIFF 1.2 export and import of offer and event texts for translation agencies."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import defusedxml.ElementTree as SafeET

from teilhabe.directory import services
from teilhabe.directory.models import EVENT_TEXT_FIELDS, OFFER_TEXT_FIELDS, Event, Offer, TranslationStatus

NS = "urn:oasis:names:tc:xliff:document:1.2"
UNIT_ID = re.compile(r"^(offer|event)-(\d+)-([a-z_]+)$")
_STATE: dict[str, str] = {
    TranslationStatus.CURRENT: "translated",
    TranslationStatus.OUTDATED: "needs-review-translation",
    TranslationStatus.MACHINE: "needs-review-translation",
}


def export_xliff(objects: Iterable[Offer | Event], *, target_language: str) -> bytes:
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}xliff", {"version": "1.2"})
    file_el = ET.SubElement(
        root,
        f"{{{NS}}}file",
        {
            "original": "teilhabe-angebotsverzeichnis",
            "source-language": "de",
            "target-language": target_language,
            "datatype": "plaintext",
        },
    )
    body = ET.SubElement(file_el, f"{{{NS}}}body")
    for obj in objects:
        kind = "offer" if isinstance(obj, Offer) else "event"
        fields = OFFER_TEXT_FIELDS if kind == "offer" else EVENT_TEXT_FIELDS
        translation = next((t for t in obj.translations.all() if t.language == target_language), None)
        group = ET.SubElement(body, f"{{{NS}}}group", {"id": f"{kind}-{obj.pk}"})
        for name in fields:
            source_text = getattr(obj, name)
            if not source_text:
                continue
            unit = ET.SubElement(group, f"{{{NS}}}trans-unit", {"id": f"{kind}-{obj.pk}-{name}", "resname": name})
            ET.SubElement(unit, f"{{{NS}}}source").text = source_text
            target_text = getattr(translation, name, "") if translation else ""
            state = _STATE.get(translation.status, "needs-translation") if translation else "needs-translation"
            ET.SubElement(unit, f"{{{NS}}}target", {"state": state}).text = target_text
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@dataclass
class ImportReport:
    saved: int = 0
    errors: list[str] = field(default_factory=list)


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
    for file_el in files:
        language = (file_el.get("target-language") or "").split("-")[0]
        if not language or language == "de":
            report.errors.append("Datei: Zielsprache fehlt oder ist Deutsch (xliff.target_language)")
            continue
        collected: dict[tuple[str, int], dict[str, str]] = {}
        for unit in file_el.iter(f"{{{NS}}}trans-unit"):
            unit_id = unit.get("id", "")
            match = UNIT_ID.match(unit_id)
            if not match:
                report.errors.append(f"Einheit „{unit_id}“: unbekannte Kennung (xliff.unit_id)")
                continue
            kind, pk, name = match.group(1), int(match.group(2)), match.group(3)
            allowed = OFFER_TEXT_FIELDS if kind == "offer" else EVENT_TEXT_FIELDS
            if name not in allowed:
                report.errors.append(f"Einheit „{unit_id}“: Feld {name} ist nicht übersetzbar (xliff.field)")
                continue
            target = unit.find(f"{{{NS}}}target")
            text = "".join(target.itertext()).strip() if target is not None else ""
            if text:
                collected.setdefault((kind, pk), {})[name] = text
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
