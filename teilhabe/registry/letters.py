"""Letters to the data subject in plain language (issue 10, item 9): the Art. 15 report as sentences, not
database rows — German dates (teilhabe.lib.formats), periods in years/months, labels instead of keys,
status in words — in the person's language where the case records one (the language of the latest consent)
and a translation exists (``LETTER_LANGUAGES``; app catalogue teilhabe/registry/locale). Input: the output
of ``services.access_report``; output: a dict of ready strings and lists for ``registry/access_letter.html``.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from teilhabe.lib.formats import format_date
from teilhabe.registry.fieldgroups import FIELD_GROUPS
from teilhabe.registry.models import Case, EventKind, GoalStatus, PlanArea, Sex
from teilhabe.registry.nationalities import label as nationality_label

LETTER_LANGUAGES = ("de", "en", "ar")
# The purposes come from privacy/registry.yaml; listed here so that the catalogue carries their translations.
_PURPOSES = (
    gettext_noop(
        "Begleitung des Integrationsverlaufs einer Person (Sprache, Schule, Ausbildung, Arbeit, Wohnen, "
        "Gesundheit, Teilhabe, Kinder)"
    ),
    gettext_noop("Integrationsplan mit Zielen und Überprüfungsterminen"),
)
RTL = ("ar", "fa")


def letter_language(case: Case, requested: str = "") -> str:
    """``requested`` if a translation exists, else the language recorded with the latest consent, else de."""
    if requested in LETTER_LANGUAGES:
        return requested
    recorded = case.consents.order_by("-given_at").values_list("language", flat=True).first() or ""
    return recorded if recorded in LETTER_LANGUAGES else "de"


def period_words(days: int) -> str:
    """3650 → "10 Jahre", 1095 → "3 Jahre", 180 → "6 Monate" (in the active language)."""
    if days >= 360 and days % 365 in (0, 1, 2, 3):
        years = round(days / 365.25)
        return ngettext("%(n)d Jahr", "%(n)d Jahre", years) % {"n": years}
    months = max(1, round(days / 30.4))
    return ngettext("%(n)d Monat", "%(n)d Monate", months) % {"n": months}


def _status_sentence(status: str, revoked_on: str) -> str:
    return {
        "sent": _("übermittelt"),
        "pending": _("beantragt, noch nicht übermittelt"),
        "rejected": _("abgelehnt, nicht übermittelt"),
        "revoked": _("übermittelt und später widerrufen; die Kopie wurde beim Empfänger entfernt"),
    }.get(status, status)


def _group_label(name: str) -> str:
    group = FIELD_GROUPS.get(name)
    return str(_(str(group.label))) if group else name


def _values(name: str, content: dict[str, Any]) -> list[tuple[str, str]]:
    if name == "identitaet":
        sex = content.get("sex") or ""
        return [
            (_("Name"), " ".join(p for p in (content.get("given_names"), content.get("family_name")) if p)),
            (
                _("Name in lateinischer Schrift"),
                " ".join(p for p in (content.get("given_names_latin"), content.get("family_name_latin")) if p),
            ),
            (_("Geburtsdatum"), content.get("birth_date") or "–"),
            (_("Geschlecht"), str(Sex(sex).label) if sex in Sex.values else "–"),
            (
                _("Staatsangehörigkeit"),
                ", ".join(nationality_label(c) for c in content.get("nationalities", [])) or "–",
            ),
            (_("Einreise"), format_date(content.get("arrival_date"))),
            (_("Zuweisung"), format_date(content.get("allocation_date"))),
            (_("Wohnort"), content.get("gemeinde") or "–"),
        ]
    group = FIELD_GROUPS[name]
    values = content.get("values", {})
    rows = []
    if values.get("azr_number"):
        rows.append((_("AZR-Nummer"), values["azr_number"]))
    for spec in group.fields:
        value = values.get(spec.name, "")
        if not value:
            continue
        if spec.kind == "choice":
            value = str(dict(spec.choices).get(value, value))
        elif spec.kind == "date":
            value = format_date(value)
        rows.append((str(spec.label), value))
    return rows


def access_letter(report: dict[str, Any], *, reference: str, language: str) -> dict[str, Any]:
    """All texts of the Art. 15 letter in ``language`` (one of LETTER_LANGUAGES)."""
    with translation.override(language):
        data = report["data"]
        groups = [
            {"label": _group_label(name), "rows": _values(name, content)} for name, content in data["groups"].items()
        ]
        categories = [
            _("%(group)s: gespeichert bis %(period)s nach Abschluss Ihrer Akte.")
            % {"group": _group_label(c["group"]), "period": period_words(c["retention_days_after_closure"])}
            for c in report["categories"]
        ]
        recipients = [
            _("%(date)s: %(recipient)s erhielt %(groups)s. Grund: %(basis)s. Zweck: %(purpose)s. Stand: %(status)s.")
            % {
                "date": format_date(r["sent_at"] or r.get("requested_at")),
                "recipient": r["recipient"],
                "groups": ", ".join(_group_label(g) for g in r["field_groups"]),
                "basis": _(r["legal_basis"]),  # the German label is the catalogue's msgid
                "purpose": r["purpose"],
                "status": _status_sentence(r["status"], format_date(r.get("revoked_at"))),
            }
            for r in report["recipients"]
        ]
        consents = [
            (
                _("Am %(date)s haben Sie eingewilligt: %(purpose)s (%(groups)s).")
                % {
                    "date": format_date(c["given_at"]),
                    "purpose": c["purpose"],
                    "groups": ", ".join(_group_label(g) for g in c["data_items"]),
                }
            )
            + (
                " "
                + _("Sie haben diese Einwilligung am %(date)s widerrufen.") % {"date": format_date(c["withdrawn_at"])}
                if c["withdrawn_at"]
                else ""
            )
            for c in report["consents"]
        ]
        events = [
            f"{format_date(e['date'])}: {EventKind(e['kind']).label}" + (f" ({e['detail']})" if e["detail"] else "")
            for e in data["events"]
        ]
        goals = [
            _("%(area)s: %(goal)s – %(status)s")
            % {
                "area": PlanArea(g["area"]).label,
                "goal": g["description"],
                "status": GoalStatus(g["status"]).label,
            }
            + (
                " – " + _("nächste Überprüfung am %(date)s") % {"date": format_date(g["review_on"])}
                if g["review_on"]
                else ""
            )
            for g in data["goals"]
        ]
        return {
            "language": language,
            "direction": "rtl" if language in RTL else "ltr",
            "title": _("Auskunft über Ihre Daten"),
            "subtitle": _("nach Artikel 15 der Datenschutz-Grundverordnung (DSGVO)"),
            "intro": _(
                "Sie haben gefragt, welche Daten wir über Sie speichern. Hier steht alles, was in Ihrer "
                "Integrationsakte gespeichert ist, wofür wir es brauchen, an wen wir es weitergegeben haben "
                "und welche Rechte Sie haben."
            ),
            "controller_label": _("Verantwortliche Stelle"),
            "controller": report["controller"],
            "reference_label": _("Aktenzeichen"),
            "reference": reference,
            "date_label": _("Stand"),
            "date": format_date(report["generated_at"]),
            "purposes_heading": _("Wofür wir Ihre Daten speichern"),
            "purposes": [_(p) for p in report["purposes"]],
            "data_heading": _("Welche Daten wir über Sie speichern"),
            "groups": groups,
            "events_heading": _("Ihr bisheriger Weg (Verlauf)"),
            "events": events,
            "goals_heading": _("Ihr Integrationsplan"),
            "goals": goals,
            "retention_heading": _("Wie lange wir Ihre Daten speichern"),
            "categories": categories,
            "recipients_heading": _("An wen wir Daten weitergegeben haben"),
            "recipients": recipients,
            "none": _("Niemand."),
            "consents_heading": _("Ihre Einwilligungen"),
            "consents": consents,
            "no_consents": _("Keine."),
            "source_heading": _("Woher die Daten stammen"),
            "source": _("Von Ihnen selbst und aus den Unterlagen der Stelle, die Ihre Akte führt."),
            "rights_heading": _("Ihre Rechte"),
            "rights": [
                _("Sie können verlangen, dass falsche Daten berichtigt werden (Art. 16)."),
                _("Sie können verlangen, dass Daten gelöscht werden, wenn wir sie nicht mehr brauchen (Art. 17)."),
                _("Sie können verlangen, dass wir Ihre Daten nur noch eingeschränkt nutzen (Art. 18)."),
                _("Sie können der Verarbeitung widersprechen (Art. 21)."),
                _("Eine Einwilligung können Sie jederzeit widerrufen (Art. 7 Abs. 3)."),
                _("Sie können sich bei der Datenschutz-Aufsichtsbehörde beschweren (Art. 77)."),
            ],
            "restricted": _("Die Nutzung Ihrer Akte ist derzeit eingeschränkt (Art. 18).")
            if report["restricted"]
            else "",
        }
