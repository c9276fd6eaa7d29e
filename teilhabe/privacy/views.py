"""Art. 30 record generated from registry.yaml, for the data-protection officer (DP-01)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from teilhabe.accounts.access import staff_required
from teilhabe.audit.services import record
from teilhabe.privacy.processing import load_registry
from teilhabe.privacy.sharing import matrix_table
from teilhabe.registry.fieldgroups import FIELD_GROUPS, Protection


def art30_context() -> dict[str, object]:
    registry = load_registry()
    retention = registry.get("retention_days", {})
    groups = [
        {
            "name": g.name,
            "label": g.label,
            "protection": Protection.LABELS[g.protection],
            "retention_days": retention.get(g.name),
            "retention_years": round(retention.get(g.name, 0) / 365, 1),
        }
        for g in FIELD_GROUPS.values()
    ]
    return {
        "registry": registry,
        "activities": [{**a, "categories": _categories(a)} for a in registry.get("activities", [])],
        "groups": groups,
        "protection_labels": Protection.LABELS,
        "sharing_matrix": _matrix_rows(),
    }


def _categories(activity: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """``data_categories`` of an activity in words: (protection class label, field group labels)."""
    rows = []
    for cls, category in (activity.get("data_categories") or {}).items():
        names = (category or {}).get("field_groups") or []
        labels = [str(FIELD_GROUPS[n].label) if n in FIELD_GROUPS else n for n in names]
        rows.append((str(Protection.LABELS.get(cls, cls)), labels))
    return rows


def _matrix_rows() -> list[dict[str, object]]:
    from teilhabe.accounts.models import OrganisationKind
    from teilhabe.registry.legal import LegalBasis

    def kind_label(kind: str) -> str:
        return str(OrganisationKind(kind).label) if kind in OrganisationKind.values else kind

    rows: list[dict[str, object]] = []
    for row in matrix_table():
        rule = row["rule"]
        rows.append(
            {
                **row,
                "basis_label": LegalBasis(rule.legal_basis).label,
                "sender_labels": sorted(kind_label(k) for k in rule.senders),
                "four_eyes_senders": [kind_label(k) for k in row["four_eyes_senders"]],
                "groups": [{**g, "recipient_labels": [kind_label(k) for k in g["recipients"]]} for g in row["groups"]],
            }
        )
    return rows


@staff_required("privacy.registry.view")
def art30(request: HttpRequest) -> HttpResponse:
    record("privacy.art30_view", actor=request.user, object_type="privacy.registry")
    return render(request, "privacy/art30.html", art30_context())
