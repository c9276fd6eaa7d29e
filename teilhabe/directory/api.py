"""Read-only public JSON API, Open Referral HSDS 3.0 export and the OpenAPI description of both.

Plain Django views: everything here is public data of published entries, so no authentication.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from teilhabe.directory.content import localize, with_translations
from teilhabe.directory.forms import SearchForm
from teilhabe.directory.models import (
    OFFER_TEXT_FIELDS,
    Event,
    Location,
    Offer,
    OrganisationProfile,
)
from teilhabe.directory.search import search

PAGE_SIZE = 50
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _language(request: HttpRequest) -> str:
    language = request.GET.get("lang", "de")
    return language if language in LANGUAGE_CODES else "de"


def location_json(location: Location | None) -> dict[str, Any] | None:
    if location is None:
        return None
    return {
        "id": location.pk,
        "name": location.name,
        "street": location.street,
        "postcode": location.postcode,
        "city": location.city,
        "gemeinde_ags": location.gemeinde_id,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "opening_hours": location.opening_hours,
        "wheelchair_accessible": location.wheelchair_accessible,
        "accessible_toilet": location.accessible_toilet,
        "hearing_loop": location.hearing_loop,
        "accessibility_note": location.accessibility_note,
    }


def offer_json(offer: Offer, language: str, *, distance: float | None = None) -> dict[str, Any]:
    text = localize(offer, language)
    data: dict[str, Any] = {
        "id": offer.pk,
        "url": _absolute(reverse("directory:offer", args=[offer.pk])),
        "type": offer.offer_type,
        **{name: text.texts[name] for name in OFFER_TEXT_FIELDS},
        "text_language": text.language,
        "translation_notice": text.notice or None,
        "is_free": offer.is_free,
        "target_groups": offer.target_group_list,
        "languages_spoken": offer.language_list,
        "gemeinde": {"ags": offer.gemeinde.ags, "name": offer.gemeinde.name} if offer.gemeinde else None,
        "location": location_json(offer.location),
        "organisation": {"id": offer.owner_id, "name": offer.owner.name},
        "contact_email": offer.contact_email,
        "contact_phone": offer.contact_phone,
        "website": offer.website,
        "last_confirmed_at": offer.last_confirmed_at.isoformat() if offer.last_confirmed_at else None,
        "is_demo": offer.is_demo,
    }
    if distance is not None:
        data["distance_km"] = round(distance, 2)
    return data


def event_json(event: Event, language: str) -> dict[str, Any]:
    text = localize(event, language)
    return {
        "id": event.pk,
        "type": event.event_type,
        "title": text.texts["title"],
        "description": text.texts["description"],
        "text_language": text.language,
        "translation_notice": text.notice or None,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat() if event.ends_at else None,
        "recurrence": event.recurrence,
        "repeat_until": event.repeat_until.isoformat() if event.repeat_until else None,
        "offer_id": event.offer_id,
        "gemeinde_ags": event.gemeinde_id,
        "location": location_json(event.location),
        "organisation": {"id": event.owner_id, "name": event.owner.name},
        "is_free": event.is_free,
        "is_demo": event.is_demo,
    }


def _error(message: str, code: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def _page_number(request: HttpRequest) -> int | None:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return None
    return number if number >= 1 else None


@require_GET
def offers(request: HttpRequest) -> JsonResponse:
    form = SearchForm(request.GET, gemeinden=[])
    form.fields["gemeinde"].choices = [("", ""), *[(a, a) for a in _gemeinde_codes()]]  # type: ignore[attr-defined]
    form.fields["nahe"].choices = form.fields["gemeinde"].choices  # type: ignore[attr-defined]
    if not form.is_valid():
        return _error("Ungültige Filter: " + ", ".join(sorted(form.errors)), "invalid_filter")
    number = _page_number(request)
    if number is None:
        return _error("page muss eine positive ganze Zahl sein.", "invalid_page")
    language = _language(request)
    result = search(form.cleaned_data)
    paginator = Paginator(result.ids, PAGE_SIZE)
    if number > max(paginator.num_pages, 1):
        return _error("Seite existiert nicht.", "page_out_of_range", 404)
    ids = list(paginator.page(number).object_list) if result.ids else []
    objects = {
        o.pk: o
        for o in with_translations(
            Offer.objects.filter(pk__in=ids).select_related("gemeinde", "location", "owner"), language
        )
    }
    return JsonResponse(
        {
            "count": paginator.count,
            "page": number,
            "pages": paginator.num_pages,
            "results": [offer_json(objects[pk], language, distance=result.distances.get(pk)) for pk in ids],
            # Same search as the public page: typo suggestion, relaxed match, guidance when nothing was found.
            "suggestion": result.suggestion or None,
            "relaxed": result.relaxed,
            "place": result.place or None,
            "related_types": result.related_types,
            "nearby_gemeinden": [{"ags": a, "name": n, "count": c} for a, n, c in result.nearby],
            "counselling_offer_ids": result.counselling_ids,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _gemeinde_codes() -> list[str]:
    from teilhabe.directory.forms import kreis_gemeinden

    return list(kreis_gemeinden().values_list("ags", flat=True))


@require_GET
def offer_detail(request: HttpRequest, pk: int) -> JsonResponse:
    language = _language(request)
    offer = with_translations(
        Offer.objects.published().filter(pk=pk).select_related("gemeinde", "location", "owner"), language
    ).first()
    if offer is None:
        raise Http404
    data = offer_json(offer, language)
    data["translations"] = {
        t.language: {
            "status": t.status,
            "machine_translated": t.machine_translated,
            "source_language": t.source_language,
            "updated_at": t.updated_at.isoformat(),
        }
        for t in offer.translations.all()
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_GET
def events(request: HttpRequest) -> JsonResponse:
    language = _language(request)
    number = _page_number(request)
    if number is None:
        return _error("page muss eine positive ganze Zahl sein.", "invalid_page")
    queryset = Event.objects.published().select_related("location", "owner").order_by("starts_at", "pk")
    if request.GET.get("gemeinde"):
        queryset = queryset.filter(gemeinde_id=request.GET["gemeinde"])
    if request.GET.get("typ"):
        queryset = queryset.filter(event_type=request.GET["typ"])
    paginator = Paginator(with_translations(queryset, language), PAGE_SIZE)
    if number > max(paginator.num_pages, 1):
        return _error("Seite existiert nicht.", "page_out_of_range", 404)
    return JsonResponse(
        {
            "count": paginator.count,
            "page": number,
            "pages": paginator.num_pages,
            "results": [event_json(e, language) for e in paginator.page(number).object_list],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def profile_json(profile: OrganisationProfile) -> dict[str, Any]:
    return {
        "id": profile.organisation_id,
        "name": profile.organisation.name,
        "description": profile.description,
        "is_mso": profile.is_mso,
        "languages": profile.language_list,
        "fields_of_work": profile.fields_of_work_list,
        "gemeinden": [g.ags for g in profile.gemeinden.all()],
        "contact_email": profile.contact_email,
        "contact_phone": profile.contact_phone,
        "website": profile.website,
        "is_demo": profile.is_demo,
    }


@require_GET
def organisations(request: HttpRequest) -> JsonResponse:
    profiles = OrganisationProfile.objects.public().select_related("organisation").prefetch_related("gemeinden")
    return JsonResponse({"results": [profile_json(p) for p in profiles]}, json_dumps_params={"ensure_ascii": False})


@require_GET
def hsds(request: HttpRequest) -> JsonResponse:
    from teilhabe.directory.hsds import hsds_export

    return JsonResponse(hsds_export(), json_dumps_params={"ensure_ascii": False})


@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    from teilhabe.directory.openapi import schema

    return JsonResponse(schema(), json_dumps_params={"ensure_ascii": False})
