"""Transmissions of field groups to other organisations (DP-07, § 67d SGB X), checked against the sharing
matrix in privacy/registry.yaml."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.accounts.access import AnyUser, has_permission
from teilhabe.accounts.models import Organisation
from teilhabe.audit.services import record
from teilhabe.privacy import sharing
from teilhabe.registry.access import can_read_azr, readable_groups
from teilhabe.registry.crypto import decrypt_json, encrypt_json
from teilhabe.registry.fieldgroups import FIELD_GROUPS
from teilhabe.registry.legal import TRANSMISSION_BASES, LegalBasis
from teilhabe.registry.models import (
    Case,
    Consent,
    CorrectionNotice,
    NoticeKind,
    RecipientNotice,
    Transmission,
    TransmissionStatus,
)
from teilhabe.registry.services.cases import case_data
from teilhabe.registry.services.common import (
    _actor,
)

# --- Transmissions -----------------------------------------------------------------------------------------


def needs_four_eyes(sender: Organisation, recipient: Organisation, groups: Iterable[str], legal_basis: str) -> bool:
    """Four eyes as declared in the sharing matrix (registry.yaml): per rule, plus every Art. 9 group and
    every transmission by a Jugendamt."""
    return sharing.needs_four_eyes(sender.kind, recipient.kind, groups, legal_basis)


def refused_by_matrix(
    sender: Organisation, recipient: Organisation, groups: Iterable[str], legal_basis: str
) -> list[str]:
    """The groups the sharing matrix does not allow for this route (empty list: all allowed)."""
    return sharing.refused_groups(sender.kind, recipient.kind, groups, legal_basis)


def _matrix_error(refused: list[str], recipient: Organisation, legal_basis: str) -> ValidationError:
    labels = ", ".join(str(FIELD_GROUPS[g].label) if g in FIELD_GROUPS else g for g in refused)
    basis = str(LegalBasis(legal_basis).label) if legal_basis in LegalBasis.values else legal_basis
    return ValidationError(
        {
            "groups": _(
                "Nach der Übermittlungsmatrix nicht zulässig: %(groups)s an %(recipient)s (%(kind)s) "
                "auf Grundlage von %(basis)s (registry.sharing_refused)."
            )
            % {
                "groups": labels,
                "recipient": recipient.name,
                "kind": recipient.get_kind_display(),
                "basis": basis,
            }
        },
        code="sharing_refused",
    )


def _snapshot(case: Case, groups: list[str]) -> dict[str, Any]:
    data = case_data(case, groups, with_azr="aufenthalt" in groups)
    data["reference"] = case.display_reference
    return data


def _deliver(transmission: Transmission, approver: AnyUser | None) -> None:
    """Store the encrypted copy. ``approver`` is the second person of a four-eyes step; a transmission that
    needs no approval records no approver (the requester never appears as approver)."""
    assert transmission.case is not None
    now = timezone.now()
    # The copy may hold Art. 9 and residence data: always stored encrypted.
    transmission.snapshot = encrypt_json(_snapshot(transmission.case, list(transmission.field_groups)))
    transmission.snapshot_at = now
    transmission.approved_by = _actor(approver) if approver is not None else None
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
    refused = refused_by_matrix(case.owner, recipient, groups, legal_basis)
    if refused:
        raise _matrix_error(refused, recipient, legal_basis)
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
        requires_four_eyes=needs_four_eyes(case.owner, recipient, groups, legal_basis),
    )
    if not transmission.requires_four_eyes:
        _deliver(transmission, None)
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


def approval_conflict(user: AnyUser, transmission: Transmission) -> str:
    """Why ``user`` may not be the second pair of eyes: ``own_request``, ``created_by_requester`` or
    ``empowered_by_requester`` (the requester created the account or granted/confirmed one of its roles);
    empty string if independent."""
    from teilhabe.accounts.separation import dependence

    if transmission.requested_by_id == getattr(user, "pk", None):
        return "own_request"
    if transmission.requested_by_id is None or not user.is_authenticated:
        return ""
    return dependence(user, transmission.requested_by_id)


def approvers_for(transmission: Transmission) -> list[Any]:
    """Accounts that could approve this pending transmission (for worklists and the outgoing page)."""
    from teilhabe.accounts.models import User
    from teilhabe.registry.access import roles_with

    candidates = User.objects.filter(
        is_active=True,
        memberships__organisation=transmission.sender,
        memberships__is_active=True,
        memberships__pending=False,
        memberships__role__in=roles_with("transmission.approve"),
    ).distinct()
    return [u for u in candidates.order_by("last_name", "username") if not approval_conflict(u, transmission)]


def transmission_approve(*, acting_user: AnyUser, transmission: Transmission) -> Transmission:
    """Second pair of eyes: FALLAUFSICHT in the sending organisation, never the requester. A refused
    self-approval is logged outside the approval transaction so the attempt stays on record."""
    if not has_permission(acting_user, "transmission.approve", transmission.sender):
        raise PermissionDenied
    reason = approval_conflict(acting_user, transmission)
    if reason:
        record(
            "transmission.approve_denied",
            actor=acting_user,
            organisation=transmission.sender,
            object_type="registry.transmission",
            object_id=transmission.pk,
            extra={"reason": reason},
        )
        if reason == "own_request":
            raise PermissionDenied(_("Die eigene Übermittlung kann nicht selbst freigegeben werden."))
        raise PermissionDenied(
            _("Freigeben darf nur, wen die antragstellende Person weder angelegt noch berechtigt hat.")
        )
    return _approve(acting_user=acting_user, transmission=transmission)


@transaction.atomic
def _approve(*, acting_user: AnyUser, transmission: Transmission) -> Transmission:
    transmission = Transmission.objects.select_for_update().get(pk=transmission.pk)
    if transmission.status != TransmissionStatus.PENDING or transmission.case is None:
        raise ValidationError(_("Diese Übermittlung wartet nicht auf Freigabe (registry.transmission_not_pending)."))
    if transmission.consent_id and not transmission.consent.is_active:  # type: ignore[union-attr]
        raise ValidationError(_("Die Einwilligung wurde widerrufen (registry.consent_withdrawn)."))
    refused = refused_by_matrix(
        transmission.sender, transmission.recipient, transmission.field_groups, transmission.legal_basis
    )
    if refused:  # the matrix may have changed since the request
        raise _matrix_error(refused, transmission.recipient, transmission.legal_basis)
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


def notify_recipient(transmission: Transmission, kind: str, reason: str) -> RecipientNotice:
    """The recipient's notice (worklist) and, if the organisation has an address, an e-mail without case
    content: only the transmission number, the sender and what happened."""
    notice = RecipientNotice.objects.create(
        transmission=transmission, recipient=transmission.recipient, kind=kind, reason=reason[:300]
    )
    address = transmission.recipient.email
    if address:
        subject = _("Teilhabe: Mitteilung zu Übermittlung %(n)s") % {"n": transmission.pk}
        body = _(
            "%(sender)s teilt mit: %(what)s (Übermittlung %(n)s). Die Kopie ist nicht mehr abrufbar. "
            "Einzelheiten im Mitarbeitendenbereich unter „Übermittlungen“."
        ) % {"sender": transmission.sender.name, "what": NoticeKind(kind).label, "n": transmission.pk}
        transaction.on_commit(lambda: send_mail(subject, body, None, [address], fail_silently=True))
    return notice


def _revoke(transmission: Transmission, acting_user: AnyUser, reason: str) -> None:
    transmission.status_before_revoke = transmission.status  # type: ignore[attr-defined]
    transmission.status = TransmissionStatus.REVOKED
    transmission.revoked_at = timezone.now()
    transmission.revoked_by = _actor(acting_user)
    transmission.revocation_reason = reason[:300]
    # The recipient loses the copy, not only the link to it, and is told so (with the reason).
    was_delivered = transmission.status_before_revoke == TransmissionStatus.SENT  # type: ignore[attr-defined]
    transmission.snapshot = {}
    transmission.save()
    if was_delivered:
        notify_recipient(transmission, NoticeKind.REVOKED, reason)
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
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Bitte den Grund des Widerrufs angeben (registry.reason_missing).")})
    _revoke(transmission, acting_user, reason.strip())
    return transmission


def transmission_read(*, acting_user: AnyUser, transmission: Transmission, groups: list[str]) -> dict[str, Any]:
    """The recipient's view: the permitted part of the snapshot only; logged as a read of the copy."""
    snapshot = decrypt_json(transmission.snapshot)
    # The recipient's read re-checks the sharing matrix: a group the matrix no longer allows is not shown.
    allowed = set(groups) - set(
        refused_by_matrix(transmission.sender, transmission.recipient, groups, transmission.legal_basis)
    )
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
