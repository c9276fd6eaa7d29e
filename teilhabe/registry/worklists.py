"""Worklists for the staff start page (issue 10): transmissions waiting for my approval, my own requests
waiting (with who can approve them), incoming transmissions, Integrationsplan reviews due, role grants to
confirm. Rows carry references and organisations, never names (the start page is no case view)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from teilhabe.accounts.access import AnyUser, organisation_ids_with
from teilhabe.accounts.models import User
from teilhabe.registry.access import readable_groups
from teilhabe.registry.models import PlanGoal, Transmission, TransmissionStatus

REVIEW_HORIZON_DAYS = 14
LIMIT = 20


def _approvals(user: User) -> list[Transmission]:
    from teilhabe.registry.services import approval_conflict

    pending = (
        Transmission.objects.filter(
            status=TransmissionStatus.PENDING, sender_id__in=organisation_ids_with(user, "transmission.approve")
        )
        .select_related("sender", "recipient", "case", "requested_by")
        .order_by("requested_at")[:LIMIT]
    )
    return [t for t in pending if not approval_conflict(user, t)]


def _my_waiting(user: User) -> list[dict[str, Any]]:
    from teilhabe.registry.services import approvers_for

    mine = (
        Transmission.objects.filter(status=TransmissionStatus.PENDING, requested_by=user)
        .select_related("recipient", "case")
        .order_by("requested_at")[:LIMIT]
    )
    return [{"t": t, "approvers": approvers_for(t)} for t in mine]


def _reviews(user: User) -> list[PlanGoal]:
    today = timezone.localdate()
    goals = (
        PlanGoal.objects.filter(
            case__owner_id__in=organisation_ids_with(user, "case.read"),
            case__restricted_at__isnull=True,
            review_on__isnull=False,
            review_on__lte=today + timedelta(days=REVIEW_HORIZON_DAYS),
            status__in=("open", "in_progress"),
        )
        .select_related("case", "case__owner")
        .order_by("review_on")[: LIMIT * 2]
    )
    readable: dict[int, list[str]] = {}
    rows = []
    for goal in goals:
        owner = goal.case.owner
        if owner.pk not in readable:
            readable[owner.pk] = readable_groups(user, owner)
        if goal.group in readable[owner.pk]:
            rows.append(goal)
    return rows[:LIMIT]


def worklists_for(user: AnyUser) -> dict[str, Any]:
    """Everything the start page shows; empty lists for users without case roles."""
    if not isinstance(user, User):
        return {}
    from teilhabe.accounts.separation import pending_for

    incoming = (
        Transmission.objects.incoming_for(user).select_related("sender").order_by("-approved_at")[:LIMIT]
        if organisation_ids_with(user, "case.read")
        else []
    )
    return {
        "approvals": _approvals(user),
        "my_waiting": _my_waiting(user),
        "incoming": list(incoming),
        "reviews": _reviews(user),
        "confirmations": pending_for(user),
        "today": timezone.localdate(),
    }
