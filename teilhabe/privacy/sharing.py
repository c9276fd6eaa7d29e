"""The sharing matrix (Übermittlungsmatrix) and recording bases from registry.yaml — the single source.

``decide(sender_kind, recipient_kind, group, legal_basis)`` answers one cell: ``None`` (refused) or a
``Decision`` (allowed, four-eyes flag, rule id). A cell is allowed only if a rule lists sender kind,
recipient kind, group and legal basis AND the recipient kind may hold the group (registry/fieldgroups.py).
Kinds are ``OrganisationKind`` values, groups ``FIELD_GROUPS`` keys, bases ``LegalBasis`` values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from teilhabe.privacy.processing import load_registry


@dataclass(frozen=True)
class SharingRule:
    id: str
    legal_basis: str
    note: str
    senders: frozenset[str]
    recipients: frozenset[str]
    groups: tuple[str, ...]
    four_eyes: frozenset[str]


@dataclass(frozen=True)
class Decision:
    four_eyes: bool
    rule: str


def _rules(registry: dict[str, Any]) -> tuple[SharingRule, ...]:
    return tuple(
        SharingRule(
            id=str(r["id"]),
            legal_basis=str(r["legal_basis"]),
            note=str(r.get("note", "")),
            senders=frozenset(r.get("senders") or ()),
            recipients=frozenset(r.get("recipients") or ()),
            groups=tuple(r.get("groups") or ()),
            four_eyes=frozenset(r.get("four_eyes") or ()),
        )
        for r in (registry.get("sharing") or {}).get("rules", [])
    )


@cache
def rules() -> tuple[SharingRule, ...]:
    return _rules(load_registry())


def _always(registry: dict[str, Any] | None = None) -> tuple[frozenset[str], frozenset[str]]:
    always = ((registry or load_registry()).get("sharing") or {}).get("four_eyes_always") or {}
    return frozenset(always.get("senders") or ()), frozenset(always.get("groups") or ())


def _holders(group: str) -> frozenset[str]:
    from teilhabe.registry.fieldgroups import FIELD_GROUPS

    spec = FIELD_GROUPS.get(group)
    return frozenset(str(k) for k in spec.holders) if spec else frozenset()


def decide(sender_kind: str, recipient_kind: str, group: str, legal_basis: str) -> Decision | None:
    """One cell of the matrix; ``None`` means refused."""
    if recipient_kind not in _holders(group) or sender_kind not in _holders(group):
        return None
    always_senders, always_groups = _always()
    for rule in rules():
        if (
            rule.legal_basis == legal_basis
            and sender_kind in rule.senders
            and recipient_kind in rule.recipients
            and group in rule.groups
        ):
            four_eyes = group in rule.four_eyes or group in always_groups or sender_kind in always_senders
            return Decision(four_eyes=four_eyes, rule=rule.id)
    return None


def refused_groups(sender_kind: str, recipient_kind: str, groups: Iterable[str], legal_basis: str) -> list[str]:
    return [g for g in groups if decide(sender_kind, recipient_kind, g, legal_basis) is None]


def needs_four_eyes(sender_kind: str, recipient_kind: str, groups: Iterable[str], legal_basis: str) -> bool:
    """True if any allowed group of the transmission needs a second person's approval."""
    decisions = [decide(sender_kind, recipient_kind, g, legal_basis) for g in groups]
    return any(d is not None and d.four_eyes for d in decisions)


def routes(sender_kind: str, groups: Iterable[str]) -> list[tuple[str, str, list[str]]]:
    """(recipient kind, legal basis, allowed groups among ``groups``) for every route with at least one group."""
    groups = list(groups)
    found: dict[tuple[str, str], list[str]] = {}
    for rule in rules():
        if sender_kind not in rule.senders:
            continue
        for recipient in sorted(rule.recipients):
            allowed = [g for g in groups if decide(sender_kind, recipient, g, rule.legal_basis) is not None]
            if allowed:
                found.setdefault((recipient, rule.legal_basis), allowed)
    return [(recipient, basis, allowed) for (recipient, basis), allowed in found.items()]


def recording_bases(kind: str) -> list[str]:
    """Legal bases an organisation of ``kind`` may record data under (registry.yaml ``recording_bases``)."""
    table = load_registry().get("recording_bases") or {}
    return [basis for basis, kinds in table.items() if kind in (kinds or ())]


def matrix_table() -> list[dict[str, Any]]:
    """Rows for the Art. 30 record: per rule the basis, senders, recipients, groups (holder-filtered) and
    which groups need four eyes."""
    from teilhabe.registry.fieldgroups import FIELD_GROUPS

    always_senders, always_groups = _always()
    rows = []
    for rule in rules():
        rows.append(
            {
                "rule": rule,
                "groups": [
                    {
                        "name": g,
                        "label": FIELD_GROUPS[g].label,
                        "recipients": sorted(k for k in rule.recipients if k in _holders(g)),
                        "four_eyes": g in rule.four_eyes or g in always_groups,
                    }
                    for g in rule.groups
                    if g in FIELD_GROUPS
                ],
                "four_eyes_senders": sorted(always_senders & rule.senders),
            }
        )
    return rows


def check_matrix(registry: dict[str, Any]) -> list[str]:
    """Problems of the declared matrix (used by the system check): unknown names, recipients that cannot
    hold a listed group, four-eyes groups outside the rule."""
    from teilhabe.accounts.models import OrganisationKind
    from teilhabe.registry.fieldgroups import FIELD_GROUPS
    from teilhabe.registry.legal import TRANSMISSION_BASES, LegalBasis

    problems = []
    kinds = set(OrganisationKind.values)
    for rule in _rules(registry):
        if rule.legal_basis not in {str(b) for b in TRANSMISSION_BASES}:
            problems.append(f"{rule.id}: {rule.legal_basis} ist keine Übermittlungsgrundlage")
        for kind in (rule.senders | rule.recipients) - kinds:
            problems.append(f"{rule.id}: unbekannte Organisationsart {kind}")
        for group in rule.groups:
            if group not in FIELD_GROUPS:
                problems.append(f"{rule.id}: unbekannte Feldgruppe {group}")
        for group in rule.four_eyes - set(rule.groups):
            problems.append(f"{rule.id}: Vier-Augen-Gruppe {group} ist nicht freigegeben")
    for basis in registry.get("recording_bases") or {}:
        if basis not in LegalBasis.values:
            problems.append(f"recording_bases: unbekannte Rechtsgrundlage {basis}")
    return problems
