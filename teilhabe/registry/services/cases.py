"""Writes and logged reads of case records, field groups, trajectory events and plan goals. Each function
changes data and writes its audit event in one transaction; events carry ids, group and field names, never
values (DP-29)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.accounts.access import AnyUser, has_permission
from teilhabe.accounts.models import Organisation
from teilhabe.audit.services import record
from teilhabe.privacy.sharing import recording_bases
from teilhabe.registry.access import can_read_azr, readable_groups, writable_groups
from teilhabe.registry.crypto import decrypt_json, encrypt_json, encrypt_text
from teilhabe.registry.fieldgroups import FIELD_GROUPS, Protection
from teilhabe.registry.legal import ART9_BASES, RECORDING_BASES
from teilhabe.registry.models import (
    Case,
    CorrectionNotice,
    FieldGroupEntry,
    PlanGoal,
    TrajectoryEvent,
    Transmission,
)
from teilhabe.registry.services.common import (
    CASE_FIELDS,
    ENCRYPTED_CLASSES,
    IDENTITY_FIELDS,
    SearchInputError,
    _actor,
    _search_name,
    _validate_identity,
)


@transaction.atomic
def case_create(*, acting_user: AnyUser, owner: Organisation, data: dict[str, Any]) -> Case:
    if not has_permission(acting_user, "case.write", owner) or not has_permission(
        acting_user, "fieldgroup.identitaet.write", owner
    ):
        raise PermissionDenied
    case = Case(owner=owner, created_by=_actor(acting_user), updated_by=_actor(acting_user))
    for name in CASE_FIELDS:
        if name in data:
            setattr(case, name, data[name])
    if case.azr_number and not can_read_azr(acting_user, owner):
        raise PermissionDenied
    _validate_identity(case)
    case.search_name = _search_name(case)
    case.save()
    record(
        "case.create",
        actor=acting_user,
        organisation=owner,
        obj=case,
        changed_fields=[name for name in CASE_FIELDS if data.get(name) not in (None, "", [])],
        extra={"legal_basis": case.legal_basis},
    )
    return case


def _notify_recipients(case: Case, groups: Iterable[str]) -> int:
    """Art. 19: every earlier recipient of a corrected group gets a notification task for the sender."""
    created = 0
    groups = set(groups)
    for transmission in Transmission.objects.filter(case=case, approved_at__isnull=False):
        for group in groups.intersection(transmission.field_groups):
            CorrectionNotice.objects.create(transmission=transmission, group=group)
            created += 1
    return created


@transaction.atomic
def case_update(*, acting_user: AnyUser, case: Case, data: dict[str, Any]) -> list[str]:
    if not has_permission(acting_user, "case.write", case.owner) or "identitaet" not in writable_groups(
        acting_user, case.owner
    ):
        raise PermissionDenied
    azr_allowed = can_read_azr(acting_user, case.owner)
    changed = []
    for name in CASE_FIELDS:
        if name not in data or (name == "azr_number" and not azr_allowed):
            continue
        if getattr(case, name) != data[name]:
            setattr(case, name, data[name])
            changed.append(name)
    if not changed:
        return []
    _validate_identity(case)
    case.search_name = _search_name(case)
    case.updated_by = _actor(acting_user)
    case.save()
    groups = set()
    if set(changed) & set(IDENTITY_FIELDS):
        groups.add("identitaet")
    if "azr_number" in changed:
        groups.add("aufenthalt")
    notices = _notify_recipients(case, groups)
    record(
        "case.update",
        actor=acting_user,
        organisation=case.owner,
        obj=case,
        changed_fields=changed,
        extra={"art19_notices": notices},
    )
    return changed


@transaction.atomic
def fieldgroup_save(
    *, acting_user: AnyUser, case: Case, group: str, data: dict[str, Any], legal_basis: str
) -> FieldGroupEntry:
    spec = FIELD_GROUPS.get(group)
    if spec is None or group == "identitaet" or group not in writable_groups(acting_user, case.owner):
        raise PermissionDenied
    allowed = {field.name for field in spec.fields}
    clean = {key: ("" if value is None else str(value)) for key, value in data.items() if key in allowed}
    if legal_basis not in RECORDING_BASES:
        raise ValidationError({"legal_basis": _("Rechtsgrundlage fehlt (registry.legal_basis_missing).")})
    if spec.protection == Protection.ART9 and legal_basis not in ART9_BASES:
        raise ValidationError(
            {
                "legal_basis": _(
                    "Besondere Kategorien brauchen eine Rechtsgrundlage nach Art. 9 Abs. 2 DSGVO "
                    "oder eine Einwilligung "
                    "(registry.art9_basis_required)."
                )
            }
        )
    for spec_field in spec.fields:
        if spec_field.kind == "date" and not spec_field.future_ok and clean.get(spec_field.name):
            refuse_future(clean[spec_field.name], spec_field.name)
    if legal_basis not in recording_bases(case.owner.kind):
        raise ValidationError(
            {"legal_basis": _("Diese Rechtsgrundlage steht Ihrer Organisation nicht zu (registry.legal_basis_kind).")}
        )
    encrypted = spec.protection in ENCRYPTED_CLASSES
    entry = FieldGroupEntry.objects.select_for_update().filter(case=case, group=group).first()
    # Fields absent from the input keep their stored value: absent input never overwrites (issue 10).
    previous_values = decrypt_json(entry.data) if entry else {}
    clean = {**{k: v for k, v in previous_values.items() if k in allowed}, **clean}
    stored = encrypt_json(clean) if encrypted else clean
    if entry is None:
        entry = FieldGroupEntry.objects.create(
            case=case, group=group, data=stored, legal_basis=legal_basis, updated_by=_actor(acting_user)
        )
        changed = sorted(key for key, value in clean.items() if value)
        notices = 0
    else:
        previous = previous_values
        changed = sorted(key for key in allowed if previous.get(key, "") != clean.get(key, ""))
        if not changed and entry.legal_basis == legal_basis:
            return entry
        entry.data = stored
        entry.legal_basis = legal_basis
        entry.version += 1
        entry.updated_by = _actor(acting_user)
        entry.save()
        notices = _notify_recipients(case, [group]) if changed else 0
    record(
        "fieldgroup.update",
        actor=acting_user,
        organisation=case.owner,
        obj=case,
        changed_fields=[f"{group}.{name}" for name in changed],
        extra={
            "group": group,
            "version": entry.version,
            "legal_basis": legal_basis,
            "art19_notices": notices,
        },
    )
    return entry


@transaction.atomic
def event_add(*, acting_user: AnyUser, case: Case, kind: str, on: date, detail: str = "") -> TrajectoryEvent:
    event = TrajectoryEvent(case=case, kind=kind, date=on, detail=detail, created_by=_actor(acting_user))
    if event.group not in writable_groups(acting_user, case.owner):
        raise PermissionDenied
    refuse_future(on, "date")
    event.save()
    record(
        "case.event_add",
        actor=acting_user,
        organisation=case.owner,
        obj=case,
        extra={"event_id": event.pk, "kind": kind, "group": event.group},
    )
    return event


@transaction.atomic
def goal_save(
    *,
    acting_user: AnyUser,
    case: Case,
    goal: PlanGoal | None = None,
    area: str,
    description: str,
    status: str,
    review_on: date | None,
) -> PlanGoal:
    goal = goal or PlanGoal(case=case)
    if goal.case_id != case.pk:
        raise PermissionDenied
    goal.area, goal.status, goal.review_on = area, status, review_on
    if goal.group not in writable_groups(acting_user, case.owner):
        raise PermissionDenied
    encrypted = FIELD_GROUPS[goal.group].protection in ENCRYPTED_CLASSES
    goal.description = encrypt_text(description) if encrypted else description
    created = goal.pk is None
    goal.updated_by = _actor(acting_user)
    goal.save()
    record(
        "case.goal_create" if created else "case.goal_update",
        actor=acting_user,
        organisation=case.owner,
        obj=case,
        extra={"goal_id": goal.pk, "area": area, "status": status},
    )
    return goal


# --- Reads -------------------------------------------------------------------------------------------------


def identity_data(case: Case, *, with_azr: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "family_name": case.family_name,
        "given_names": case.given_names,
        "family_name_latin": case.family_name_latin,
        "given_names_latin": case.given_names_latin,
        "birth_date": case.birth_date_display(),
        "birth_year": case.birth_year,
        "birth_month": case.birth_month,
        "birth_day": case.birth_day,
        "birth_date_is_placeholder": case.birth_date_is_placeholder,
        "sex": case.sex,
        "nationalities": list(case.nationalities),
        "arrival_date": case.arrival_date.isoformat() if case.arrival_date else None,
        "allocation_date": case.allocation_date.isoformat() if case.allocation_date else None,
        "gemeinde": case.gemeinde.name if case.gemeinde_id and case.gemeinde else None,
        "gemeinde_ags": case.gemeinde_id,
    }
    if with_azr:
        data["azr_number"] = case.azr_number
    return data


def refuse_future(day: date | str | None, field: str) -> None:
    """Events and recorded facts happened already: a date after today is refused
    (``registry.date_in_future``)."""
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            return
    if day is not None and day > timezone.localdate():
        raise ValidationError(
            {
                field: _(
                    "Das Datum liegt in der Zukunft; hier sind nur vergangene Daten möglich (registry.date_in_future)."
                )
            }
        )


def case_data(case: Case, groups: Iterable[str], *, with_azr: bool) -> dict[str, Any]:
    """Exactly the permitted groups of a case, as plain data (used for pages, JSON export and snapshots)."""
    groups = [g for g in FIELD_GROUPS if g in set(groups)]
    result: dict[str, Any] = {"groups": {}, "events": [], "goals": []}
    if "identitaet" in groups:
        result["groups"]["identitaet"] = identity_data(case, with_azr=False)
    entries = {entry.group: entry for entry in case.entries.filter(group__in=groups)}
    for group in groups:
        if group == "identitaet":
            continue
        entry = entries.get(group)
        data = decrypt_json(entry.data) if entry else {}
        if group == "aufenthalt" and with_azr and case.azr_number:
            data["azr_number"] = case.azr_number
        if entry is None and not data:
            continue  # nothing recorded: the group is offered for entry instead
        result["groups"][group] = {
            "values": data,
            "legal_basis": entry.legal_basis if entry else "",
            "version": entry.version if entry else 0,
        }
    result["events"] = [
        {"id": e.pk, "kind": e.kind, "date": e.date.isoformat(), "detail": e.detail, "group": e.group}
        for e in case.events.current()
        if e.group in groups
    ]
    result["goals"] = [
        {
            "area": g.area,
            "description": g.text,
            "status": g.status,
            "review_on": g.review_on.isoformat() if g.review_on else None,
        }
        for g in case.goals.all()
        if g.group in groups
    ]
    return result


def fieldgroup_values(*, acting_user: AnyUser, case: Case, group: str) -> dict[str, Any]:
    """Decrypted stored values of one group for an edit form; logged as ``case.read`` of that group."""
    if group not in readable_groups(acting_user, case.owner):
        raise PermissionDenied
    entry = case.entries.filter(group=group).first()
    values = decrypt_json(entry.data) if entry else {}
    record("case.read", actor=acting_user, organisation=case.owner, obj=case, extra={"groups": [group], "form": True})
    return values


def identity_for_edit(*, acting_user: AnyUser, case: Case) -> Case:
    """The case for the identity edit form; the read of the identity is logged (``case.read``)."""
    if "identitaet" not in readable_groups(acting_user, case.owner):
        raise PermissionDenied
    record(
        "case.read",
        actor=acting_user,
        organisation=case.owner,
        obj=case,
        extra={"groups": ["identitaet"], "form": True},
    )
    return case


def case_read(*, acting_user: AnyUser, case: Case, action: str = "case.read") -> dict[str, Any]:
    """The user's view of the case; writes ``case.read`` / ``case.export`` / ``case.print`` (DP-29)."""
    groups = readable_groups(acting_user, case.owner)
    with_azr = "aufenthalt" in groups and can_read_azr(acting_user, case.owner)
    data = case_data(case, groups, with_azr=with_azr)
    record(action, actor=acting_user, organisation=case.owner, obj=case, extra={"groups": sorted(groups)})
    return data


def case_search(*, acting_user: AnyUser, query: str, birth_year: int | None = None) -> tuple[list[Case], bool]:
    """Minimum input, capped results, logged (DP-11). Returns (cases, truncated)."""
    query = " ".join(query.split()).lower()
    min_chars = settings.REGISTRY_SEARCH_MIN_CHARS
    if len(query) < min_chars and not (query and birth_year):
        raise SearchInputError(
            _(
                "Bitte mindestens %(n)d Zeichen des Namens eingeben oder Name und Geburtsjahr "
                "(registry.search_too_short)."
            )
            % {"n": min_chars},
            code="search_too_short",
        )
    cap = settings.REGISTRY_SEARCH_MAX_RESULTS
    # Restricted records (Art. 18) never appear in search results.
    # Transliteration-aware, ranked, with the reason per hit (issue 11; teilhabe.linkage.search).
    from teilhabe.linkage.search import search_cases

    found, truncated = search_cases(user=acting_user, query=query, birth_year=birth_year, cap=cap)
    # The query itself is a name fragment: only its length goes into the log.
    record(
        "case.search",
        actor=acting_user,
        object_type="registry.case",
        extra={
            "query_length": len(query),
            "birth_year_given": bool(birth_year),
            "results": len(found),
            "result_ids": [case.pk for case in found],  # which records were shown (ids only, DP-29)
            "truncated": truncated,
        },
    )
    return found, truncated
