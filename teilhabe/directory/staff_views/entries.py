"""Offers, their events and locations: the list, create, edit, confirm."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.accounts.access import staff_required
from teilhabe.directory import services
from teilhabe.directory.access import (
    dialogue_owners,
    editable_organisations,
    get_event_for_user,
    get_location_for_user,
    get_offer_for_user,
)
from teilhabe.directory.forms import (
    EventForm,
    LocationForm,
    OfferForm,
)
from teilhabe.directory.models import (
    Event,
    Location,
    Offer,
    Submission,
)
from teilhabe.directory.staff_views.common import MODERATE, TARGET_LANGUAGES, actor


@staff_required(MODERATE)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    offers = Offer.objects.visible_to(user)
    search = request.GET.get("q", "").strip()[:100]
    listed = offers.select_related("gemeinde", "owner").order_by("title")
    if search:
        listed = listed.filter(title__icontains=search)
    page = Paginator(listed, 50).get_page(request.GET.get("seite"))
    return render(
        request,
        "directory/staff/home.html",
        {
            "page": page,
            "q": search,
            "pending": Submission.objects.visible_to(user).pending().count(),
            "stale": offers.stale().count(),
            "counts": offers.values("status").annotate(n=Count("pk")).order_by("status"),
            "can_dialogue": bool(dialogue_owners(user).exists()),
        },
    )


def _offer_form(request: HttpRequest, instance: Offer | None) -> OfferForm:
    owners = editable_organisations(request.user)
    locations = Location.objects.visible_to(request.user)
    return OfferForm(request.POST or None, instance=instance, owners=owners, locations=locations)


@staff_required(MODERATE)
def offer_create(request: HttpRequest) -> HttpResponse:
    form = _offer_form(request, None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "owner"}
        offer = services.offer_create(acting_user=actor(request), owner=form.cleaned_data["owner"], data=data)
        messages.success(request, _("Eintrag angelegt."))
        return redirect("directory_staff:offer", offer.pk)
    return render(request, "directory/staff/form.html", {"form": form, "title": _("Angebot anlegen")})


@staff_required(MODERATE)
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_offer_for_user(request, pk)
    form = _offer_form(request, offer)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "owner"}
        data["owner"] = form.cleaned_data["owner"]
        # ModelForm already wrote the values onto the instance; re-read so the service sees the changes.
        offer = Offer.objects.get(pk=offer.pk)
        changed = services.offer_update(acting_user=actor(request), offer=offer, data=data)
        messages.success(request, _("Gespeichert.") if changed else _("Keine Änderungen; als bestätigt vermerkt."))
        return redirect("directory_staff:offer", offer.pk)
    translations = {t.language: t for t in offer.translations.all()}
    return render(
        request,
        "directory/staff/offer_edit.html",
        {
            "form": form,
            "offer": offer,
            "events": offer.events.order_by("starts_at"),
            "languages": [(code, dict(settings.LANGUAGES)[code], translations.get(code)) for code in TARGET_LANGUAGES],
        },
    )


@staff_required(MODERATE)
@require_POST
def offer_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_offer_for_user(request, pk)
    services.offer_confirm(acting_user=actor(request), offer=offer)
    messages.success(request, _("Eintrag als aktuell bestätigt."))
    return redirect((request.POST.get("next") == "stale" and "directory_staff:stale") or "directory_staff:home")


@staff_required(MODERATE)
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_offer_for_user(request, pk)
    form = EventForm(
        request.POST or None,
        initial={
            "event_type": offer.offer_type,
            "gemeinde": offer.gemeinde_id,
            "location": offer.location_id,
            "title": offer.title,
        },
    )
    _limit_event_form(request, form)
    if request.method == "POST" and form.is_valid():
        services.event_save(acting_user=actor(request), owner=offer.owner, data=form.cleaned_data)
        messages.success(request, _("Termin angelegt."))
        return redirect("directory_staff:offer", offer.pk)
    return render(request, "directory/staff/form.html", {"form": form, "title": _("Termin anlegen")})


def _limit_event_form(request: HttpRequest, form: EventForm) -> None:
    form.fields["offer"].queryset = Offer.objects.visible_to(request.user)  # type: ignore[attr-defined]
    form.fields["location"].queryset = Location.objects.visible_to(request.user)  # type: ignore[attr-defined]
    from teilhabe.directory.forms import kreis_gemeinden

    form.fields["gemeinde"].queryset = kreis_gemeinden()  # type: ignore[attr-defined]


@staff_required(MODERATE)
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request, pk)
    form = EventForm(request.POST or None, instance=event)
    _limit_event_form(request, form)
    if request.method == "POST" and form.is_valid():
        services.event_save(
            acting_user=actor(request),
            owner=event.owner,
            data=form.cleaned_data,
            event=Event.objects.get(pk=event.pk),
        )
        messages.success(request, _("Gespeichert."))
        return redirect("directory_staff:event", event.pk)
    return render(request, "directory/staff/form.html", {"form": form, "title": _("Termin bearbeiten")})


@staff_required(MODERATE)
def location_list(request: HttpRequest) -> HttpResponse:
    locations = Location.objects.visible_to(request.user).select_related("gemeinde").order_by("name")
    page = Paginator(locations, 50).get_page(request.GET.get("seite"))
    return render(request, "directory/staff/location_list.html", {"page": page})


@staff_required(MODERATE)
def location_create(request: HttpRequest) -> HttpResponse:
    form = LocationForm(request.POST or None, owners=editable_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "owner"}
        services.location_save(acting_user=actor(request), owner=form.cleaned_data["owner"], data=data)
        messages.success(request, _("Ort angelegt."))
        return redirect("directory_staff:locations")
    return render(request, "directory/staff/form.html", {"form": form, "title": _("Ort anlegen")})


@staff_required(MODERATE)
def location_edit(request: HttpRequest, pk: int) -> HttpResponse:
    location = get_location_for_user(request, pk)
    form = LocationForm(request.POST or None, instance=location, owners=editable_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "owner"}
        services.location_save(
            acting_user=actor(request),
            owner=location.owner,
            data=data,
            location=Location.objects.get(pk=location.pk),
        )
        messages.success(request, _("Gespeichert."))
        return redirect("directory_staff:locations")
    return render(request, "directory/staff/form.html", {"form": form, "title": _("Ort bearbeiten")})
