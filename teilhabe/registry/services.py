"""Writes and logged reads of case records. Each function changes data and writes its audit event in one
transaction; audit events carry ids, group names and field names, never values (DP-29)."""

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
from teilhabe.accounts.models import Membership, Organisation, OrganisationKind, User
from teilhabe.audit.services import record
from teilhabe.registry.access import can_grant_azr, can_read_azr, readable_groups, roles_with, writable_groups
from teilhabe.registry.crypto import decrypt_json, encrypt_json, encrypt_text
from teilhabe.registry.fieldgroups import FIELD_GROUPS, Protection
from teilhabe.registry.legal import ART9_BASES, RECORDING_BASES, TRANSMISSION_BASES, LegalBasis
from teilhabe.registry.models import (
    AccessRequest,
    AzrAuthorisation,
    Case,
    Consent,
    CorrectionNotice,
    FieldGroupEntry,
    PlanGoal,
    TrajectoryEvent,
    Transmission,
    TransmissionStatus,
)
from teilhabe.registry.nationalities import state_names

IDENTITY_FIELDS = (
    "family_name",
    "given_names",
    "family_name_latin",
    "given_names_latin",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_date_is_placeholder",
    "sex",
    "nationalities",
    "arrival_date",
    "allocation_date",
    "gemeinde",
)
CASE_FIELDS = (*IDENTITY_FIELDS, "azr_number", "reference", "legal_basis")


# Protection classes whose values are encrypted at application level (DP-34).
ENCRYPTED_CLASSES = frozenset({Protection.ART9, Protection.RESIDENCE_STATUS})


class SearchInputError(ValidationError):
    pass


def _actor(user: AnyUser) -> User | None:
    """The user as a model instance for *_by columns (anonymous callers never get this far)."""
    return user if isinstance(user, User) else None


def _search_name(case: Case) -> str:
    return " ".join(
        part.strip().lower()
        for part in (case.family_name, case.given_names, case.family_name_latin, case.given_names_latin)
        if part.strip()
    )


def _validate_identity(case: Case) -> None:
    errors: dict[str, str] = {}
    unknown = [code for code in case.nationalities if code not in state_names()]
    if unknown:
        errors["nationalities"] = _("Unbekannter Staatsschlüssel (registry.nationality_unknown).")
    if case.birth_day and not case.birth_month:
        errors["birth_day"] = _("Ein Tag ohne Monat ist nicht möglich (registry.birth_day_without_month).")
    if (case.birth_month or case.birth_day) and not case.birth_year:
        errors["birth_year"] = _("Monat oder Tag ohne Jahr ist nicht möglich (registry.birth_without_year).")
    if case.birth_year and case.birth_month and case.birth_day:
        try:
            date(case.birth_year, case.birth_month, case.birth_day)
        except ValueError:
            errors["birth_day"] = _("Dieses Datum gibt es nicht (registry.birth_date_invalid).")
    if case.legal_basis not in RECORDING_BASES:
        errors["legal_basis"] = _("Rechtsgrundlage fehlt oder passt nicht (registry.legal_basis_missing).")
    if errors:
        raise ValidationError(errors)


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
    encrypted = spec.protection in ENCRYPTED_CLASSES
    stored = encrypt_json(clean) if encrypted else clean
    entry = FieldGroupEntry.objects.select_for_update().filter(case=case, group=group).first()
    if entry is None:
        entry = FieldGroupEntry.objects.create(
            case=case, group=group, data=stored, legal_basis=legal_basis, updated_by=_actor(acting_user)
        )
        changed = sorted(key for key, value in clean.items() if value)
        notices = 0
    else:
        previous = decrypt_json(entry.data)
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
        {"kind": e.kind, "date": e.date.isoformat(), "detail": e.detail, "group": e.group}
        for e in case.events.all()
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
    queryset = Case.objects.visible_to(acting_user).filter(search_name__contains=query, restricted_at__isnull=True)
    if birth_year:
        queryset = queryset.filter(birth_year=birth_year)
    found = list(queryset.select_related("owner").order_by("family_name_latin", "pk")[: cap + 1])
    truncated = len(found) > cap
    found = found[:cap]
    # The query itself is a name fragment: only its length goes into the log.
    record(
        "case.search",
        actor=acting_user,
        object_type="registry.case",
        extra={
            "query_length": len(query),
            "birth_year_given": bool(birth_year),
            "results": len(found),
            "truncated": truncated,
        },
    )
    return found, truncated


# --- Transmissions -----------------------------------------------------------------------------------------


def needs_four_eyes(sender: Organisation, recipient: Organisation, groups: Iterable[str]) -> bool:
    """Jugendamt data, social data to the Ausländerbehörde (§ 88 AufenthG, § 71 SGB X) and Art. 9 data."""
    protections = {FIELD_GROUPS[g].protection for g in groups}
    if sender.kind == OrganisationKind.JUGENDAMT:
        return True
    if recipient.kind == OrganisationKind.AUSLAENDERBEHOERDE and Protection.SOZIALDATUM in protections:
        return True
    return Protection.ART9 in protections


def _snapshot(case: Case, groups: list[str]) -> dict[str, Any]:
    data = case_data(case, groups, with_azr="aufenthalt" in groups)
    data["reference"] = case.display_reference
    return data


def _deliver(transmission: Transmission, approver: AnyUser) -> None:
    assert transmission.case is not None
    now = timezone.now()
    # The copy may hold Art. 9 and residence data: always stored encrypted.
    transmission.snapshot = encrypt_json(_snapshot(transmission.case, list(transmission.field_groups)))
    transmission.snapshot_at = now
    transmission.approved_by = _actor(approver)
    transmission.approved_at = now
    transmission.status = TransmissionStatus.SENT


def _transmission_extra(transmission: Transmission) -> dict[str, Any]:
    return {
        "transmission_id": transmission.pk,
        "recipient_id": transmission.recipient_id,
        "legal_basis": transmission.legal_basis,
        "field_groups": list(transmission.field_groups),
        "consent_id": transmission.consent_id,
        "four_eyes": transmission.requires_four_eyes,
    }


@transaction.atomic
def transmission_request(
    *,
    acting_user: AnyUser,
    case: Case,
    recipient: Organisation,
    groups: list[str],
    legal_basis: str,
    purpose: str,
    consent: Consent | None = None,
) -> Transmission:
    if not has_permission(acting_user, "transmission.request", case.owner):
        raise PermissionDenied
    errors: dict[str, str] = {}
    groups = [g for g in FIELD_GROUPS if g in set(groups)]
    if not groups:
        errors["groups"] = _("Bitte mindestens eine Feldgruppe auswählen (registry.transmission_no_groups).")
    if set(groups) - set(readable_groups(acting_user, case.owner)):
        raise PermissionDenied
    if case.restricted_at is not None:
        errors["groups"] = _(
            "Die Akte ist eingeschränkt (Art. 18 DSGVO) und wird nicht übermittelt (registry.case_restricted)."
        )
    if recipient.pk == case.owner_id:
        errors["recipient"] = _("Empfänger ist die eigene Organisation (registry.transmission_self).")
    if legal_basis not in TRANSMISSION_BASES:
        errors["legal_basis"] = _("Ohne Rechtsgrundlage keine Übermittlung (registry.transmission_no_basis).")
    if not purpose.strip():
        errors["purpose"] = _("Der Zweck fehlt (registry.transmission_no_purpose).")
    if legal_basis == LegalBasis.CONSENT:
        if consent is None or consent.case_id != case.pk or not consent.is_active:
            errors["consent"] = _("Keine wirksame Einwilligung ausgewählt (registry.consent_missing).")
        elif not consent.recipients.filter(pk=recipient.pk).exists() or set(groups) - set(consent.data_items):
            errors["consent"] = _(
                "Die Einwilligung deckt Empfänger oder Datenkategorien nicht ab (registry.consent_scope)."
            )
    elif consent is not None:
        errors["consent"] = _(
            "Eine Einwilligung gehört nur zur Rechtsgrundlage Einwilligung (registry.consent_without_basis)."
        )
    if errors:
        raise ValidationError(errors)
    transmission = Transmission(
        case=case,
        sender=case.owner,
        recipient=recipient,
        field_groups=groups,
        legal_basis=legal_basis,
        consent=consent,
        purpose=purpose.strip(),
        requested_by=_actor(acting_user),
        requested_at=timezone.now(),
        requires_four_eyes=needs_four_eyes(case.owner, recipient, groups),
    )
    if not transmission.requires_four_eyes:
        _deliver(transmission, acting_user)
    transmission.save()
    record(
        "transmission.request",
        actor=acting_user,
        organisation=case.owner,
        obj=case,
        purpose=transmission.purpose,
        extra=_transmission_extra(transmission),
    )
    if transmission.status == TransmissionStatus.SENT:
        record(
            "transmission.send",
            actor=acting_user,
            organisation=case.owner,
            obj=case,
            extra=_transmission_extra(transmission),
        )
    return transmission


def transmission_approve(*, acting_user: AnyUser, transmission: Transmission) -> Transmission:
    """Second pair of eyes: FALLAUFSICHT in the sending organisation, never the requester. A refused
    self-approval is logged outside the approval transaction so the attempt stays on record."""
    if not has_permission(acting_user, "transmission.approve", transmission.sender):
        raise PermissionDenied
    if transmission.requested_by_id == getattr(acting_user, "pk", None):
        record(
            "transmission.approve_denied",
            actor=acting_user,
            organisation=transmission.sender,
            object_type="registry.transmission",
            object_id=transmission.pk,
            extra={"reason": "own_request"},
        )
        raise PermissionDenied(_("Die eigene Übermittlung kann nicht selbst freigegeben werden."))
    return _approve(acting_user=acting_user, transmission=transmission)


@transaction.atomic
def _approve(*, acting_user: AnyUser, transmission: Transmission) -> Transmission:
    transmission = Transmission.objects.select_for_update().get(pk=transmission.pk)
    if transmission.status != TransmissionStatus.PENDING or transmission.case is None:
        raise ValidationError(_("Diese Übermittlung wartet nicht auf Freigabe (registry.transmission_not_pending)."))
    if transmission.consent_id and not transmission.consent.is_active:  # type: ignore[union-attr]
        raise ValidationError(_("Die Einwilligung wurde widerrufen (registry.consent_withdrawn)."))
    _deliver(transmission, acting_user)
    transmission.save()
    record(
        "transmission.approve",
        actor=acting_user,
        organisation=transmission.sender,
        obj=transmission.case,
        extra=_transmission_extra(transmission),
    )
    record(
        "transmission.send",
        actor=acting_user,
        organisation=transmission.sender,
        obj=transmission.case,
        extra=_transmission_extra(transmission),
    )
    return transmission


@transaction.atomic
def transmission_reject(*, acting_user: AnyUser, transmission: Transmission, reason: str) -> Transmission:
    transmission = Transmission.objects.select_for_update().get(pk=transmission.pk)
    if not has_permission(acting_user, "transmission.approve", transmission.sender):
        raise PermissionDenied
    if transmission.status != TransmissionStatus.PENDING:
        raise ValidationError(_("Diese Übermittlung wartet nicht auf Freigabe (registry.transmission_not_pending)."))
    transmission.status = TransmissionStatus.REJECTED
    transmission.rejected_reason = reason[:300]
    transmission.save()
    record(
        "transmission.reject",
        actor=acting_user,
        organisation=transmission.sender,
        object_type="registry.transmission",
        object_id=transmission.pk,
        extra=_transmission_extra(transmission),
    )
    return transmission


def _revoke(transmission: Transmission, acting_user: AnyUser, reason: str) -> None:
    transmission.status = TransmissionStatus.REVOKED
    transmission.revoked_at = timezone.now()
    transmission.revoked_by = _actor(acting_user)
    transmission.revocation_reason = reason[:300]
    # The recipient loses the copy, not only the link to it.
    transmission.snapshot = {}
    transmission.save()
    record(
        "transmission.revoke",
        actor=acting_user,
        organisation=transmission.sender,
        object_type="registry.transmission",
        object_id=transmission.pk,
        extra={**_transmission_extra(transmission), "reason_given": bool(reason)},
    )


@transaction.atomic
def transmission_revoke(*, acting_user: AnyUser, transmission: Transmission, reason: str = "") -> Transmission:
    transmission = Transmission.objects.select_for_update().get(pk=transmission.pk)
    if not has_permission(acting_user, "transmission.request", transmission.sender):
        raise PermissionDenied
    if transmission.status not in (TransmissionStatus.SENT, TransmissionStatus.PENDING):
        raise ValidationError(_("Diese Übermittlung ist nicht mehr wirksam (registry.transmission_inactive)."))
    _revoke(transmission, acting_user, reason)
    return transmission


def transmission_read(*, acting_user: AnyUser, transmission: Transmission, groups: list[str]) -> dict[str, Any]:
    """The recipient's view: the permitted part of the snapshot only; logged as a read of the copy."""
    snapshot = decrypt_json(transmission.snapshot)
    allowed = set(groups)
    data = {
        "reference": snapshot.get("reference", ""),
        "groups": {k: v for k, v in snapshot.get("groups", {}).items() if k in allowed},
        "events": [e for e in snapshot.get("events", []) if e.get("group") in allowed],
        "goals": [g for g in snapshot.get("goals", []) if _goal_group(g.get("area", "")) in allowed],
    }
    aufenthalt = data["groups"].get("aufenthalt")
    if aufenthalt and not can_read_azr(acting_user, transmission.recipient):
        aufenthalt["values"].pop("azr_number", None)
    record(
        "transmission.read",
        actor=acting_user,
        organisation=transmission.recipient,
        object_type="registry.transmission",
        object_id=transmission.pk,
        extra={"groups": sorted(allowed)},
    )
    return data


def _goal_group(area: str) -> str:
    from teilhabe.registry.models import AREA_GROUP

    return AREA_GROUP.get(area, "")


@transaction.atomic
def notice_done(*, acting_user: AnyUser, notice: CorrectionNotice) -> CorrectionNotice:
    if not has_permission(acting_user, "transmission.request", notice.transmission.sender):
        raise PermissionDenied
    notice.done_at = timezone.now()
    notice.done_by = _actor(acting_user)
    notice.save()
    record(
        "transmission.art19_done",
        actor=acting_user,
        organisation=notice.transmission.sender,
        object_type="registry.correctionnotice",
        object_id=notice.pk,
        extra={"transmission_id": notice.transmission_id, "group": notice.group},
    )
    return notice


# --- Consent -----------------------------------------------------------------------------------------------


@transaction.atomic
def consent_give(
    *,
    acting_user: AnyUser,
    case: Case,
    purpose: str,
    data_items: list[str],
    recipients: Iterable[Organisation],
    language: str,
    text_version: str,
) -> Consent:
    if not has_permission(acting_user, "consent.manage", case.owner):
        raise PermissionDenied
    items = [g for g in FIELD_GROUPS if g in set(data_items)]
    recipients = list(recipients)
    if not items or not recipients or not purpose.strip() or not language or not text_version:
        raise ValidationError(
            _("Zweck, Datenkategorien, Empfänger, Sprache und Fassung sind Pflicht (registry.consent_incomplete).")
        )
    consent = Consent.objects.create(
        case=case,
        owner=case.owner,
        purpose=purpose.strip(),
        data_items=items,
        language=language,
        text_version=text_version,
        given_at=timezone.now(),
        recorded_by=_actor(acting_user),
    )
    consent.recipients.set(recipients)
    record(
        "consent.give",
        actor=acting_user,
        organisation=case.owner,
        obj=case,
        extra={
            "consent_id": consent.pk,
            "data_items": items,
            "recipient_ids": sorted(r.pk for r in recipients),
            "language": language,
            "text_version": text_version,
        },
    )
    return consent


@transaction.atomic
def consent_withdraw(*, acting_user: AnyUser, consent: Consent) -> int:
    """One click, like giving it; every transmission resting on the consent is revoked. Returns that count."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if not has_permission(acting_user, "consent.manage", consent.owner):
        raise PermissionDenied
    if consent.withdrawn_at is not None:
        return 0
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = _actor(acting_user)
    consent.save()
    revoked = 0
    for transmission in consent.transmissions.filter(
        status__in=(TransmissionStatus.SENT, TransmissionStatus.PENDING)
    ).select_for_update():
        _revoke(transmission, acting_user, "Einwilligung widerrufen")
        revoked += 1
    record(
        "consent.withdraw",
        actor=acting_user,
        organisation=consent.owner,
        object_type="registry.case",
        object_id=consent.case_id,
        extra={"consent_id": consent.pk, "revoked_transmissions": revoked},
    )
    return revoked


# --- Data-subject rights: restriction, erasure, access report ---------------------------------------------


@transaction.atomic
def case_restrict(*, acting_user: AnyUser, case: Case, restrict: bool, reason: str = "") -> Case:
    """Art. 18: mark or lift the restriction. The reason stays out of the record and the log (it may reveal
    facts about the person); the log notes only that a reason was given."""
    if not has_permission(acting_user, "case.restrict", case.owner):
        raise PermissionDenied
    from teilhabe.registry.cohort import forget

    case.restricted_at = timezone.now() if restrict else None
    if restrict:
        forget(case)
    case.updated_by = _actor(acting_user)
    case.save(update_fields=["restricted_at", "updated_by", "updated_at"])
    record(
        "case.restrict" if restrict else "case.restrict_lift",
        actor=acting_user,
        organisation=case.owner,
        obj=case,
        extra={"reason_given": bool(reason.strip())},
    )
    return case


@transaction.atomic
def case_set_legal_hold(*, acting_user: AnyUser, case: Case, legal_hold: str) -> Case:
    if not has_permission(acting_user, "case.restrict", case.owner):
        raise PermissionDenied
    case.legal_hold = legal_hold.strip()[:300]
    case.save(update_fields=["legal_hold", "updated_at"])
    record(
        "case.legal_hold", actor=acting_user, organisation=case.owner, obj=case, extra={"set": bool(case.legal_hold)}
    )
    return case


@transaction.atomic
def case_erase(*, acting_user: AnyUser, case: Case) -> int:
    """Art. 17: delete the record with all groups, events, goals and consents. Earlier recipients get an
    Art. 19 task; transmission rows keep only metadata (no case link). Refused under a legal hold.
    Returns the erased case id, which is all the audit trail keeps."""
    if not has_permission(acting_user, "case.restrict", case.owner):
        raise PermissionDenied
    if case.legal_hold.strip():
        raise ValidationError(
            _("Aufbewahrungspflicht eingetragen; Löschung nicht möglich (registry.erase_legal_hold).")
        )
    case_id, owner = case.pk, case.owner
    notices = 0
    for transmission in Transmission.objects.filter(case=case, approved_at__isnull=False):
        CorrectionNotice.objects.create(transmission=transmission, group="loeschung")
        notices += 1
    Transmission.objects.filter(case=case, status=TransmissionStatus.PENDING).update(
        status=TransmissionStatus.REJECTED, rejected_reason="Akte gelöscht"
    )
    from teilhabe.registry.cohort import forget

    forget(case)
    case.delete()
    record(
        "case.erase",
        actor=acting_user,
        organisation=owner,
        object_type="registry.case",
        object_id=case_id,
        object_repr=f"Integrationsakte {case_id}",
        extra={"art19_notices": notices},
    )
    from teilhabe.core.erasure_journal import journal_erasure

    journal_erasure("registry.case", case_id)  # erased stays erased after a restore (docs/operations/backup.md)
    return case_id


def access_report(*, acting_user: AnyUser, case: Case) -> dict[str, Any]:
    """Art. 15 report for the person: data, purposes, legal bases, recipients (actual transmissions),
    retention, source and rights. Built by a privileged role of the owning organisation; logged."""
    if not has_permission(acting_user, "case.restrict", case.owner):
        raise PermissionDenied
    from teilhabe.privacy.processing import load_registry

    groups = readable_groups(acting_user, case.owner)
    data = case_data(case, groups, with_azr="aufenthalt" in groups and can_read_azr(acting_user, case.owner))
    registry = load_registry()
    activity = next(a for a in registry["activities"] if a["id"] == "kiim-integrationsakte")
    report = {
        "controller": case.owner.name,
        "case_id": case.pk,
        "generated_at": timezone.now().isoformat(),
        "purposes": activity["purposes"],
        "data": data,
        "categories": [
            {
                "group": g,
                "label": str(FIELD_GROUPS[g].label),
                "protection": FIELD_GROUPS[g].protection,
                "legal_basis": (data["groups"].get(g, {}) or {}).get("legal_basis", ""),
                "retention_days_after_closure": FIELD_GROUPS[g].retention_days,
            }
            for g in data["groups"]
        ],
        "recipients": [
            {
                "transmission_id": t.pk,
                "recipient": t.recipient.name,
                "field_groups": t.field_groups,
                "legal_basis": str(LegalBasis(t.legal_basis).label),
                "purpose": t.purpose,
                "status": t.status,
                "sent_at": t.approved_at.isoformat() if t.approved_at else None,
            }
            for t in case.transmissions.select_related("recipient").order_by("requested_at")
        ],
        "consents": [
            {
                "consent_id": c.pk,
                "purpose": c.purpose,
                "data_items": c.data_items,
                "given_at": c.given_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in case.consents.all()
        ],
        "source": _("Angaben der Person und Unterlagen der aktenführenden Stelle"),
        "rights": _(
            "Berichtigung (Art. 16), Löschung (Art. 17), Einschränkung (Art. 18), Widerspruch (Art. 21), "
            "Widerruf einer Einwilligung (Art. 7 Abs. 3), Beschwerde bei der Aufsichtsbehörde (Art. 77)."
        ),
        "restricted": case.restricted_at is not None,
    }
    record(
        "case.access_report",
        actor=acting_user,
        organisation=case.owner,
        obj=case,
        extra={"groups": sorted(data["groups"]), "transmissions": len(report["recipients"])},
    )
    return report


# --- Art. 12(3) deadlines for access requests -------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


@transaction.atomic
def access_request_create(*, acting_user: AnyUser, case: Case, received_on: date) -> AccessRequest:
    if not has_permission(acting_user, "case.restrict", case.owner):
        raise PermissionDenied
    request = AccessRequest.objects.create(
        owner=case.owner,
        case=case,
        received_on=received_on,
        due_on=add_months(received_on, 1),
        created_by=_actor(acting_user),
    )
    record(
        "case.access_request",
        actor=acting_user,
        organisation=case.owner,
        obj=case,
        extra={"request_id": request.pk, "due_on": request.due_on.isoformat()},
    )
    return request


@transaction.atomic
def access_request_update(*, acting_user: AnyUser, request: AccessRequest, action: str) -> AccessRequest:
    """``extend`` (once, by two months, Art. 12(3) sentence 2) or ``answer``."""
    if not has_permission(acting_user, "case.restrict", request.owner):
        raise PermissionDenied
    if action == "extend" and not request.extended and request.answered_at is None:
        request.extended = True
        request.due_on = add_months(request.due_on, 2)
    elif action == "answer" and request.answered_at is None:
        request.answered_at = timezone.now()
    else:
        raise ValidationError(_("Diese Änderung ist nicht möglich (registry.access_request_state)."))
    request.save()
    record(
        f"case.access_request_{action}",
        actor=acting_user,
        organisation=request.owner,
        object_type="registry.accessrequest",
        object_id=request.pk,
        extra={"due_on": request.due_on.isoformat()},
    )
    return request


# --- AZR authorisations (DP-28) ---------------------------------------------------------------------------


@transaction.atomic
def azr_authorisation_grant(*, acting_user: AnyUser, membership: Membership, reason: str) -> AzrAuthorisation:
    """Authorise one membership for AZR data. Only a second person of the same organisation holding
    ``transmission.approve`` or ``members.manage``; never the member themself; only for roles with
    ``azr.read``."""
    organisation = membership.organisation
    if not can_grant_azr(acting_user, organisation) or membership.user_id == acting_user.pk:
        raise PermissionDenied
    if not membership.is_active or membership.role not in roles_with("azr.read"):
        raise ValidationError(_("Diese Rolle erhält keine AZR-Daten (registry.azr_role)."), code="azr_role")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Bitte den Anlass angeben (registry.azr_reason)."), code="azr_reason")
    if AzrAuthorisation.objects.filter(membership=membership, revoked_at__isnull=True).exists():
        raise ValidationError(_("Die Ermächtigung besteht bereits (registry.azr_exists)."), code="azr_exists")
    authorisation = AzrAuthorisation.objects.create(
        membership=membership, granted_by=_actor(acting_user), granted_at=timezone.now(), reason=reason
    )
    record(
        "registry.azr_grant",
        actor=acting_user,
        organisation=organisation,
        obj=authorisation,
        extra={"membership": membership.pk, "user": membership.user_id, "role": membership.role},
    )
    return authorisation


@transaction.atomic
def azr_authorisation_revoke(*, acting_user: AnyUser, authorisation: AzrAuthorisation) -> None:
    organisation = authorisation.membership.organisation
    if not can_grant_azr(acting_user, organisation) or authorisation.membership.user_id == acting_user.pk:
        raise PermissionDenied
    if authorisation.revoked_at is not None:
        return
    authorisation.revoked_at = timezone.now()
    authorisation.revoked_by = _actor(acting_user)
    authorisation.save(update_fields=["revoked_at", "revoked_by"])
    record(
        "registry.azr_revoke",
        actor=acting_user,
        organisation=organisation,
        obj=authorisation,
        extra={"membership": authorisation.membership_id, "user": authorisation.membership.user_id},
    )
