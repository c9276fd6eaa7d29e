"""Data-subject rights: restriction (Art. 18), erasure (Art. 17), access report (Art. 15) and deadlines."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.accounts.access import AnyUser, has_permission
from teilhabe.audit.services import record
from teilhabe.registry.access import can_read_azr, readable_groups
from teilhabe.registry.fieldgroups import FIELD_GROUPS
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import (
    ERASURE,
    AccessRequest,
    Case,
    CorrectionNotice,
    NoticeKind,
    Transmission,
    TransmissionStatus,
)
from teilhabe.registry.services.cases import case_data
from teilhabe.registry.services.common import (
    _actor,
)
from teilhabe.registry.services.transmissions import notify_recipient

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
def case_erase(*, acting_user: AnyUser, case: Case, reason: str) -> int:
    """Art. 17: delete the record with all groups, events, goals and consents. Earlier recipients get a
    notice and the sender an Art. 19 task; transmission rows keep only metadata (no case link). Refused
    under a legal hold and without a reason (the reason goes to the recipients, not into the log).
    Returns the erased case id, which is all the audit trail keeps."""
    if not has_permission(acting_user, "case.restrict", case.owner):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Bitte den Anlass der Löschung angeben (registry.reason_missing).")})
    if case.legal_hold.strip():
        raise ValidationError(
            _("Aufbewahrungspflicht eingetragen; Löschung nicht möglich (registry.erase_legal_hold).")
        )
    case_id, owner = case.pk, case.owner
    notices = 0
    for transmission in Transmission.objects.filter(case=case, approved_at__isnull=False):
        CorrectionNotice.objects.create(transmission=transmission, group=ERASURE)
        notify_recipient(transmission, NoticeKind.ERASED, reason.strip())
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
                "status_label": str(t.get_status_display()),
                "requested_at": t.requested_at.isoformat(),
                "sent_at": t.approved_at.isoformat() if t.approved_at else None,
                "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
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
