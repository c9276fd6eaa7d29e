"""Turning case_data() output into labelled rows for templates (shared by the registry views)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from teilhabe.lib.formats import format_date
from teilhabe.registry.fieldgroups import FIELD_GROUPS, Protection
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import (
    EventKind,
    GoalStatus,
    PlanArea,
    Sex,
)
from teilhabe.registry.nationalities import label as nationality_label

_IDENTITY_LABELS = {spec.name: spec.label for spec in FIELD_GROUPS["identitaet"].fields}


def _apply_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _display_groups(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Turn case_data() output into labelled rows for templates. Only groups present in data appear."""
    rows = []
    for name, content in data["groups"].items():
        group = FIELD_GROUPS[name]
        if name == "identitaet":
            items = [
                (_("Familienname"), content["family_name"]),
                (_("Vornamen"), content["given_names"]),
                (_IDENTITY_LABELS["family_name_latin"], content["family_name_latin"]),
                (_IDENTITY_LABELS["given_names_latin"], content["given_names_latin"]),
                (_("Geburtsdatum"), content["birth_date"]),
                (_("Geschlecht"), Sex(content["sex"]).label),
                (
                    _("Staatsangehörigkeiten"),
                    ", ".join(nationality_label(c) for c in content["nationalities"]),
                ),
                (_("Einreise"), format_date(content["arrival_date"]) if content["arrival_date"] else ""),
                (_("Zuweisung"), format_date(content["allocation_date"]) if content["allocation_date"] else ""),
                (_("Wohngemeinde"), content["gemeinde"]),
            ]
            basis = ""
        else:
            values = content["values"]
            items = []
            if "azr_number" in values:
                items.append((_("AZR-Nummer"), values["azr_number"]))
            for spec in group.fields:
                value = values.get(spec.name, "")
                if spec.kind == "choice":
                    value = dict(spec.choices).get(value, value)
                elif spec.kind == "date" and value:
                    value = format_date(value)
                items.append((spec.label, value))
            basis = str(LegalBasis(content["legal_basis"]).label) if content["legal_basis"] else ""
        rows.append(
            {
                "name": name,
                "label": group.label,
                "protection": Protection.LABELS[group.protection],
                "is_art9": group.is_art9,
                "items": items,
                "legal_basis": basis,
            }
        )
    return rows


def _labelled_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**e, "label": EventKind(e["kind"]).label} for e in events]


def _labelled_goals(goals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**g, "area_label": PlanArea(g["area"]).label, "status_label": GoalStatus(g["status"]).label} for g in goals
    ]
