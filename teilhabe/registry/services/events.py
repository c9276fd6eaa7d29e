"""Corrections of the trajectory with history: an event is corrected by a new row that replaces it, or
withdrawn with a reason; nothing is deleted. Both write an audit event (field names, never values)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.accounts.access import AnyUser
from teilhabe.audit.services import record
from teilhabe.registry.access import writable_groups
from teilhabe.registry.models import EVENT_GROUP, TrajectoryEvent
from teilhabe.registry.services.cases import refuse_future
from teilhabe.registry.services.common import _actor


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Bitte einen Grund angeben (registry.reason_missing).")})
    return reason[:300]


def _editable(acting_user: AnyUser, event: TrajectoryEvent) -> TrajectoryEvent:
    event = TrajectoryEvent.objects.select_for_update().select_related("case", "case__owner").get(pk=event.pk)
    if event.group not in writable_groups(acting_user, event.case.owner):
        raise PermissionDenied
    if event.withdrawn_at is not None or TrajectoryEvent.objects.filter(replaces=event).exists():
        raise ValidationError(_("Dieses Ereignis ist nicht mehr aktuell (registry.event_not_current)."))
    return event


@transaction.atomic
def event_correct(
    *, acting_user: AnyUser, event: TrajectoryEvent, kind: str, on: date, detail: str, reason: str
) -> TrajectoryEvent:
    """Replace ``event`` by a corrected one (same field group); the old row stays as history."""
    event = _editable(acting_user, event)
    reason = _require_reason(reason)
    if EVENT_GROUP.get(kind) != event.group:
        raise ValidationError({"kind": _("Die Art gehört zu einer anderen Feldgruppe (registry.event_group).")})
    refuse_future(on, "date")
    corrected = TrajectoryEvent.objects.create(
        case=event.case, kind=kind, date=on, detail=detail, created_by=_actor(acting_user), replaces=event
    )
    changed = [
        name
        for name, old, new in (("kind", event.kind, kind), ("date", event.date, on), ("detail", event.detail, detail))
        if old != new
    ]
    record(
        "case.event_correct",
        actor=acting_user,
        organisation=event.case.owner,
        obj=event.case,
        changed_fields=changed,
        extra={"event_id": event.pk, "new_event_id": corrected.pk, "group": event.group, "reason_given": True},
    )
    return corrected


@transaction.atomic
def event_withdraw(*, acting_user: AnyUser, event: TrajectoryEvent, reason: str) -> TrajectoryEvent:
    event = _editable(acting_user, event)
    event.withdrawal_reason = _require_reason(reason)
    event.withdrawn_at = timezone.now()
    event.withdrawn_by = _actor(acting_user)
    event.save(update_fields=["withdrawal_reason", "withdrawn_at", "withdrawn_by"])
    record(
        "case.event_withdraw",
        actor=acting_user,
        organisation=event.case.owner,
        obj=event.case,
        extra={"event_id": event.pk, "group": event.group, "reason_given": True},
    )
    return event
