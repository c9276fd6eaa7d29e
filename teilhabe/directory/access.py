"""Single-object access for the directory's staff pages: anything outside the user's scope is a 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from teilhabe.accounts.access import organisation_ids_with
from teilhabe.accounts.models import Organisation
from teilhabe.directory.models import DialogueEntry, Event, Location, Offer, Submission, _scope_filter


def _one(queryset: Any, pk: int) -> Any:
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def get_offer_for_user(request: HttpRequest, pk: int) -> Offer:
    return _one(Offer.objects.visible_to(request.user).select_related("owner", "gemeinde", "location"), pk)


def get_event_for_user(request: HttpRequest, pk: int) -> Event:
    return _one(Event.objects.visible_to(request.user).select_related("owner"), pk)


def get_location_for_user(request: HttpRequest, pk: int) -> Location:
    return _one(Location.objects.visible_to(request.user), pk)


def get_submission_for_user(request: HttpRequest, pk: int) -> Submission:
    return _one(Submission.objects.visible_to(request.user).select_related("offer", "gemeinde"), pk)


def get_dialogue_for_user(request: HttpRequest, pk: int) -> DialogueEntry:
    return _one(DialogueEntry.objects.visible_to(request.user).select_related("organisation", "owner"), pk)


def editable_organisations(user: Any) -> Any:
    """Organisations whose directory entries and Steckbrief the user maintains."""
    query = _scope_filter(user, owner_path="pk", gemeinde_path=None)
    organisations = Organisation.objects.filter(is_active=True)
    return organisations if query is None else organisations.filter(query)


def get_profile_organisation_for_user(request: HttpRequest, pk: int) -> Organisation:
    return _one(editable_organisations(request.user), pk)


def dialogue_owners(user: Any) -> Any:
    return Organisation.objects.filter(pk__in=organisation_ids_with(user, "directory.dialogue"))
