"""Access helpers of the concept app: single objects only through these, 404 outside the user's scope.

- Plan (versions, fields, goals, measures): read by everyone with ``concept.view``/``concept.manage``;
  written by the office (``concept.manage`` in the concept's owner) and, for measures and responsibilities,
  by the owning Gemeinde (``concept.measures.own`` in the measure's organisation).
- Bodies, meetings, action items: the office and the bodies' own members (contact linked to the account).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from teilhabe.accounts.access import has_permission, organisation_ids_with
from teilhabe.concept.models import (
    ActionItem,
    Body,
    Comment,
    Concept,
    ConceptVersion,
    Evidence,
    FieldOfAction,
    Goal,
    GoalIndicator,
    Measure,
    Meeting,
    Milestone,
    Responsibility,
    StatusReport,
)


def _first_or_404(qs: Any) -> Any:
    obj = qs.first()
    if obj is None:
        raise Http404
    return obj


def can_manage(user: Any, concept: Concept) -> bool:
    return has_permission(user, "concept.manage", concept.owner_id)


def can_edit_measure(user: Any, measure: Measure) -> bool:
    return Measure.objects.editable_by(user).filter(pk=measure.pk).exists()


def get_version(request: HttpRequest, pk: int, *, manage: bool = False) -> ConceptVersion:
    concepts = Concept.objects.managed_by(request.user) if manage else Concept.objects.visible_to(request.user)
    return _first_or_404(ConceptVersion.objects.filter(pk=pk, concept__in=concepts).select_related("concept__owner"))


def get_field(request: HttpRequest, pk: int, *, manage: bool = False) -> FieldOfAction:
    concepts = Concept.objects.managed_by(request.user) if manage else Concept.objects.visible_to(request.user)
    return _first_or_404(
        FieldOfAction.objects.filter(pk=pk, version__concept__in=concepts).select_related("version__concept__owner")
    )


def get_goal(request: HttpRequest, pk: int, *, manage: bool = False) -> Goal:
    concepts = Concept.objects.managed_by(request.user) if manage else Concept.objects.visible_to(request.user)
    return _first_or_404(
        Goal.objects.filter(pk=pk, field__version__concept__in=concepts).select_related(
            "field__version__concept__owner"
        )
    )


def get_target(request: HttpRequest, pk: int) -> GoalIndicator:
    return _first_or_404(
        GoalIndicator.objects.filter(
            pk=pk, goal__field__version__concept__in=Concept.objects.managed_by(request.user)
        ).select_related("goal__field__version__concept__owner")
    )


def get_measure(request: HttpRequest, pk: int, *, write: bool = False) -> Measure:
    qs = (
        Measure.objects.editable_by(request.user)
        if write
        else Measure.objects.filter(goal__field__version__concept__in=Concept.objects.visible_to(request.user))
    )
    return _first_or_404(
        qs.filter(pk=pk).select_related("goal__field__version__concept__owner", "owner", "responsible")
    )


def get_milestone(request: HttpRequest, pk: int) -> Milestone:
    return _first_or_404(
        Milestone.objects.filter(pk=pk, measure__in=Measure.objects.editable_by(request.user)).select_related(
            "measure__goal__field__version__concept__owner", "measure__owner"
        )
    )


def get_evidence(request: HttpRequest, pk: int) -> Evidence:
    return _first_or_404(
        Evidence.objects.filter(
            pk=pk, measure__goal__field__version__concept__in=Concept.objects.visible_to(request.user)
        ).select_related("measure__owner")
    )


def get_comment(request: HttpRequest, pk: int) -> Comment:
    return _first_or_404(
        Comment.objects.filter(pk=pk, version__concept__in=Concept.objects.managed_by(request.user)).select_related(
            "version__concept__owner"
        )
    )


def get_report(request: HttpRequest, pk: int) -> StatusReport:
    return _first_or_404(
        StatusReport.objects.filter(
            pk=pk, version__concept__in=Concept.objects.visible_to(request.user)
        ).select_related("version__concept__owner")
    )


def get_body(request: HttpRequest, pk: int, *, manage: bool = False) -> Body:
    qs = (
        Body.objects.filter(owner_id__in=organisation_ids_with(request.user, "concept.manage"))
        if manage
        else Body.objects.visible_to(request.user)
    )
    return _first_or_404(qs.filter(pk=pk).select_related("owner", "responsible"))


def get_meeting(request: HttpRequest, pk: int, *, manage: bool = False) -> Meeting:
    qs = (
        Body.objects.filter(owner_id__in=organisation_ids_with(request.user, "concept.manage"))
        if manage
        else Body.objects.visible_to(request.user)
    )
    return _first_or_404(Meeting.objects.filter(pk=pk, body__in=qs).select_related("body__owner"))


def get_action_item(request: HttpRequest, pk: int) -> ActionItem:
    """The office, or the item's owner (a contact linked to this account), may update an action item."""
    from django.db.models import Q

    return _first_or_404(
        ActionItem.objects.filter(pk=pk)
        .filter(
            Q(decision__meeting__body__owner_id__in=organisation_ids_with(request.user, "concept.manage"))
            | Q(owner__user=request.user)
        )
        .select_related("decision__meeting__body__owner", "owner")
    )


def get_responsibility(request: HttpRequest, pk: int) -> Responsibility:
    return _first_or_404(Responsibility.objects.editable_by(request.user).filter(pk=pk).select_related("owner"))
