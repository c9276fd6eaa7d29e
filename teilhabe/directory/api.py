"""Read-only public JSON API and the Open Referral HSDS 3.0 export.

DRF views on the one API layer (decision 0040): the serializers below write every response and
drf-spectacular generates the OpenAPI document (/api/v1/directory/openapi.json) from them. Everything here
is public data of published entries, so no authentication. Errors: ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teilhabe.directory import fragments
from teilhabe.directory.content import localize, with_translations
from teilhabe.directory.forms import SearchForm
from teilhabe.directory.models import (
    OFFER_TEXT_FIELDS,
    SPOKEN_LANGUAGES,
    Event,
    Location,
    Offer,
    OfferType,
    OrganisationProfile,
    TargetGroup,
)
from teilhabe.directory.search import search, vocabulary
from teilhabe.lib.api import ApiError, ErrorSerializer

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
        "last_confirmed_at": offer.last_confirmed_at,
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
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "recurrence": event.recurrence,
        "repeat_until": event.repeat_until,
        "offer_id": event.offer_id,
        "gemeinde_ags": event.gemeinde_id,
        "location": location_json(event.location),
        "organisation": {"id": event.owner_id, "name": event.owner.name},
        "is_free": event.is_free,
        "is_demo": event.is_demo,
    }


class LocationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(allow_blank=True)
    street = serializers.CharField(allow_blank=True)
    postcode = serializers.CharField(allow_blank=True)
    city = serializers.CharField(allow_blank=True)
    gemeinde_ags = serializers.CharField(allow_null=True)
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    opening_hours = serializers.CharField(allow_blank=True)
    wheelchair_accessible = serializers.BooleanField()
    accessible_toilet = serializers.BooleanField()
    hearing_loop = serializers.BooleanField()
    accessibility_note = serializers.CharField(allow_blank=True)


class GemeindeRefSerializer(serializers.Serializer):
    ags = serializers.CharField()
    name = serializers.CharField()


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OfferSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    type = serializers.ChoiceField(choices=OfferType.values)
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    eligibility = serializers.CharField(allow_blank=True)
    how_to_access = serializers.CharField(allow_blank=True)
    cost_note = serializers.CharField(allow_blank=True)
    text_language = serializers.CharField()
    translation_notice = serializers.ChoiceField(choices=["missing", "outdated", "machine"], allow_null=True)
    is_free = serializers.BooleanField()
    target_groups = serializers.ListField(child=serializers.CharField())
    languages_spoken = serializers.ListField(child=serializers.CharField())
    gemeinde = GemeindeRefSerializer(allow_null=True)
    location = LocationSerializer(allow_null=True)
    organisation = OrganisationRefSerializer()
    contact_email = serializers.CharField(allow_blank=True)
    contact_phone = serializers.CharField(allow_blank=True)
    website = serializers.CharField(allow_blank=True)
    last_confirmed_at = serializers.DateTimeField(allow_null=True)
    is_demo = serializers.BooleanField()
    distance_km = serializers.FloatField(required=False)


class TranslationStateSerializer(serializers.Serializer):
    status = serializers.CharField()
    machine_translated = serializers.BooleanField()
    source_language = serializers.CharField()
    updated_at = serializers.DateTimeField()


class OfferDetailSerializer(OfferSerializer):
    translations = serializers.DictField(child=TranslationStateSerializer())


class NearbyGemeindeSerializer(serializers.Serializer):
    ags = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class OfferPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = OfferSerializer(many=True)
    suggestion = serializers.CharField(allow_null=True, help_text="„Meinten Sie …?“: corrected query, if any")
    relaxed = serializers.BooleanField(help_text="true if no offer matched every word and partial matches are shown")
    place = serializers.CharField(allow_null=True, help_text="Gemeinde recognised in the query")
    related_types = serializers.ListField(child=serializers.CharField())
    nearby_gemeinden = NearbyGemeindeSerializer(many=True)
    counselling_offer_ids = serializers.ListField(child=serializers.IntegerField())


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    text_language = serializers.CharField()
    translation_notice = serializers.ChoiceField(choices=["missing", "outdated", "machine"], allow_null=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    recurrence = serializers.CharField()
    repeat_until = serializers.DateField(allow_null=True)
    offer_id = serializers.IntegerField(allow_null=True)
    gemeinde_ags = serializers.CharField(allow_null=True)
    location = LocationSerializer(allow_null=True)
    organisation = OrganisationRefSerializer()
    is_free = serializers.BooleanField()
    is_demo = serializers.BooleanField()


class EventPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = EventSerializer(many=True)


class ProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    is_mso = serializers.BooleanField()
    languages = serializers.ListField(child=serializers.CharField())
    fields_of_work = serializers.ListField(child=serializers.CharField())
    gemeinden = serializers.ListField(child=serializers.CharField())
    contact_email = serializers.CharField(allow_blank=True)
    contact_phone = serializers.CharField(allow_blank=True)
    website = serializers.CharField(allow_blank=True)
    is_demo = serializers.BooleanField()


class ProfileListSerializer(serializers.Serializer):
    results = ProfileSerializer(many=True)


class OfferQuerySerializer(serializers.Serializer):
    """The offer filters (validated by ``SearchForm``, which the public search page uses too)."""

    q = serializers.RegexField(r"^[^\x00]*$", required=False, max_length=100, help_text="Suchbegriff (ohne NUL)")
    gemeinde = serializers.RegexField(r"^[0-9]{8}$", required=False, help_text="AGS einer Gemeinde des Kreises")
    typ = serializers.ChoiceField(choices=OfferType.values, required=False)
    sprache = serializers.ChoiceField(choices=[c for c, _n in SPOKEN_LANGUAGES], required=False)
    zielgruppe = serializers.ChoiceField(choices=TargetGroup.values, required=False)
    kostenlos = serializers.BooleanField(required=False)
    barrierefrei = serializers.BooleanField(required=False)
    nahe = serializers.RegexField(r"^[0-9]{8}$", required=False, help_text="In der Nähe von (AGS)")
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    lon = serializers.FloatField(required=False, min_value=-180, max_value=180)
    umkreis = serializers.ChoiceField(choices=["5", "10", "20", "50"], required=False)
    page = serializers.IntegerField(required=False, min_value=1)
    lang = serializers.ChoiceField(choices=LANGUAGE_CODES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the Kreis' own Gemeinden are accepted; the generated document names them (like the form).
        codes = _gemeinde_codes()
        if codes:
            for name in ("gemeinde", "nahe"):
                self.fields[name] = serializers.ChoiceField(
                    choices=codes, required=False, help_text=self.fields[name].help_text
                )


class EventQuerySerializer(serializers.Serializer):
    gemeinde = serializers.CharField(required=False)
    typ = serializers.CharField(required=False)
    page = serializers.IntegerField(required=False, min_value=1)
    lang = serializers.ChoiceField(choices=LANGUAGE_CODES, required=False)


LANG = OpenApiParameter("lang", str, enum=LANGUAGE_CODES, description="Sprache der Texte (Fallback Deutsch)")
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Ungültiger Filter oder Parameter"),
    404: OpenApiResponse(ErrorSerializer, description="Seite oder Eintrag nicht gefunden"),
}


def _page_number(request: HttpRequest) -> int:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 0
    if number < 1:
        raise ApiError(400, "invalid_page", "page muss eine positive ganze Zahl sein.")
    return number


class OfferListView(APIView):
    @extend_schema(
        operation_id="listOffers",
        summary="Veröffentlichte Angebote suchen",
        parameters=[OfferQuerySerializer],
        responses={200: OfferPageSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        vocab = vocabulary()
        form = SearchForm(request.GET, choices=[(ags, ags) for ags, _name in vocab.gemeinde_choices])
        if not form.is_valid():
            raise ApiError(400, "invalid_filter", "Ungültige Filter: " + ", ".join(sorted(form.errors)))
        number = _page_number(request)
        language = _language(request)
        result = search(form.cleaned_data)
        paginator = Paginator(result.ids, PAGE_SIZE)
        if number > max(paginator.num_pages, 1):
            raise ApiError(404, "page_out_of_range", "Seite existiert nicht.")
        ids = list(paginator.page(number).object_list) if result.ids else []
        body = {
            "count": paginator.count,
            "page": number,
            "pages": paginator.num_pages,
            "results": [],
            # Same search as the public page: typo suggestion, relaxed match, guidance when nothing was found.
            "suggestion": result.suggestion or None,
            "relaxed": result.relaxed,
            "place": result.place or None,
            "related_types": result.related_types,
            "nearby_gemeinden": [{"ags": a, "name": n, "count": c} for a, n, c in result.nearby],
            "counselling_offer_ids": result.counselling_ids,
        }
        data = OfferPageSerializer(body).data
        # Each offer serialised once per language and data version (fragments.py); only the distance is new.
        data["results"] = fragments.offers_json(
            ids,
            language,
            result.distances,
            vocab,
            lambda offer: serialised_offer(offer, language),
        )
        return Response(data)


def serialised_offer(offer: Offer, language: str) -> dict[str, Any]:
    """One result of the offer list (without ``distance_km``), as ``fragments.offers_json`` keeps it."""
    return dict(OfferSerializer(offer_json(offer, language)).data)


def _gemeinde_codes() -> list[str]:
    from teilhabe.directory.forms import kreis_gemeinden

    return list(kreis_gemeinden().values_list("ags", flat=True))


class OfferDetailView(APIView):
    @extend_schema(
        operation_id="getOffer",
        summary="Ein veröffentlichtes Angebot",
        parameters=[LANG],
        responses={200: OfferDetailSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, id: int) -> Response:
        language = _language(request)
        offer = with_translations(
            Offer.objects.published().filter(pk=id).select_related("gemeinde", "location", "owner"), language
        ).first()
        if offer is None:
            raise ApiError(404, "not_found", "Angebot nicht gefunden oder nicht veröffentlicht.")
        data = offer_json(offer, language)
        data["translations"] = {
            t.language: {
                "status": t.status,
                "machine_translated": t.machine_translated,
                "source_language": t.source_language,
                "updated_at": t.updated_at,
            }
            for t in offer.translations.all()
        }
        return Response(OfferDetailSerializer(data).data)


class EventListView(APIView):
    @extend_schema(
        operation_id="listEvents",
        summary="Veröffentlichte Veranstaltungen",
        parameters=[EventQuerySerializer],
        responses={200: EventPageSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        language = _language(request)
        number = _page_number(request)
        queryset = Event.objects.published().select_related("location", "owner").order_by("starts_at", "pk")
        if any("\x00" in request.GET.get(name, "") for name in ("gemeinde", "typ")):
            queryset = queryset.none()  # no Gemeinde or type contains NUL (PostgreSQL rejects it in a query: a 500)
        if request.GET.get("gemeinde"):
            queryset = queryset.filter(gemeinde_id=request.GET["gemeinde"])
        if request.GET.get("typ"):
            queryset = queryset.filter(event_type=request.GET["typ"])
        paginator = Paginator(with_translations(queryset, language), PAGE_SIZE)
        if number > max(paginator.num_pages, 1):
            raise ApiError(404, "page_out_of_range", "Seite existiert nicht.")
        body = {
            "count": paginator.count,
            "page": number,
            "pages": paginator.num_pages,
            "results": [event_json(e, language) for e in paginator.page(number).object_list],
        }
        return Response(EventPageSerializer(body).data)


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


class OrganisationListView(APIView):
    @extend_schema(
        operation_id="listOrganisations", summary="Öffentliche Organisationsprofile", responses=ProfileListSerializer
    )
    def get(self, request: Request) -> Response:
        profiles = OrganisationProfile.objects.public().select_related("organisation").prefetch_related("gemeinden")
        return Response(ProfileListSerializer({"results": [profile_json(p) for p in profiles]}).data)


class HsdsView(APIView):
    @extend_schema(
        operation_id="hsdsExport",
        summary="Open Referral HSDS 3.0 (Organisationen, Dienste, Orte, Zeiten)",
        description="Jeder Dienst ist gültig gegen service.json, jede Organisation gegen organization.json "
        "der offiziellen HSDS-3.0-Schemas.",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        from teilhabe.directory.hsds import hsds_export

        return Response(hsds_export())
