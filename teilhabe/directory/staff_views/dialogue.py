"""Dialogue log with organisations and the outreach list (with CSV export)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.accounts.access import staff_required
from teilhabe.directory import services
from teilhabe.directory.access import (
    dialogue_owners,
    get_dialogue_for_user,
)
from teilhabe.directory.forms import (
    DialogueForm,
    OutreachForm,
)
from teilhabe.directory.models import (
    SPOKEN_LANGUAGE_NAMES,
    DialogueEntry,
    OfferType,
    OrganisationProfile,
    tokens_split,
)
from teilhabe.directory.staff_views.common import DIALOGUE, actor
from teilhabe.lib.exports import csv_response


@staff_required(DIALOGUE)
def dialogue_overview(request: HttpRequest) -> HttpResponse:
    entries = DialogueEntry.objects.visible_to(request.user).select_related("organisation")
    due = entries.filter(
        follow_up_on__isnull=False, follow_up_on__lte=timezone.localdate() + timedelta(days=14)
    ).order_by("follow_up_on")
    profiles = OrganisationProfile.objects.select_related("organisation").order_by("organisation__name")
    if request.GET.get("nur_mso", "1") == "1":
        profiles = profiles.filter(is_mso=True)
    return render(
        request,
        "directory/staff/dialogue_overview.html",
        {"due": due[:50], "recent": entries[:20], "profiles": profiles[:300]},
    )


@staff_required(DIALOGUE)
def dialogue_organisation(request: HttpRequest, pk: int) -> HttpResponse:
    profile = OrganisationProfile.objects.select_related("organisation").filter(organisation_id=pk).first()
    if profile is None:
        raise Http404
    owners = dialogue_owners(request.user)
    form = DialogueForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.dialogue_save(
            acting_user=actor(request),
            owner=owners.first(),
            organisation=profile.organisation,
            data=form.cleaned_data,
        )
        messages.success(request, _("Eintrag gespeichert."))
        return redirect("directory_staff:dialogue_organisation", pk)
    entries = DialogueEntry.objects.visible_to(request.user).filter(organisation_id=pk)
    return render(
        request,
        "directory/staff/dialogue_organisation.html",
        {"profile": profile, "entries": entries, "form": form},
    )


@staff_required(DIALOGUE)
def dialogue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_dialogue_for_user(request, pk)
    form = DialogueForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        services.dialogue_save(
            acting_user=actor(request),
            owner=entry.owner,
            organisation=entry.organisation,
            data=form.cleaned_data,
            entry=DialogueEntry.objects.get(pk=entry.pk),
        )
        messages.success(request, _("Gespeichert."))
        return redirect("directory_staff:dialogue_organisation", entry.organisation_id)
    return render(request, "directory/staff/form.html", {"form": form, "title": _("Dialogeintrag bearbeiten")})


def _outreach(form: OutreachForm) -> Any:
    profiles = OrganisationProfile.objects.select_related("organisation").order_by("organisation__name")
    if not form.is_valid():
        return profiles.filter(is_mso=True), {}
    data = form.cleaned_data
    if data.get("nur_mso"):
        profiles = profiles.filter(is_mso=True)
    if data.get("gemeinde"):
        profiles = profiles.filter(gemeinden__ags=data["gemeinde"])
    if data.get("sprache"):
        profiles = profiles.filter(languages__contains=f",{data['sprache']},")
    return profiles.distinct(), {k: v for k, v in data.items() if v}


@staff_required(DIALOGUE)
def outreach(request: HttpRequest) -> HttpResponse:
    form = OutreachForm(request.GET or {"nur_mso": True})
    profiles, _filters = _outreach(form)
    return render(
        request,
        "directory/staff/outreach.html",
        {
            "form": form,
            "profiles": profiles[:500],
            "query": request.GET.urlencode(),
            "language_names": SPOKEN_LANGUAGE_NAMES,
        },
    )


@staff_required(DIALOGUE)
def outreach_csv(request: HttpRequest) -> HttpResponse:
    form = OutreachForm(request.GET or {"nur_mso": True})
    profiles, filters = _outreach(form)
    header = [
        "Organisation",
        "MSO",
        "Ansprechperson",
        "E-Mail",
        "Telefon",
        "Internetseite",
        "Sprachen",
        "Gemeinden",
        "Arbeitsfelder",
        "Netzwerke",
    ]
    types = dict(OfferType.choices)
    table = [
        [
            profile.organisation.name,
            profile.is_mso,
            profile.contact_name,
            profile.contact_email or profile.organisation.email,
            profile.contact_phone or profile.organisation.phone,
            profile.website,
            ", ".join(SPOKEN_LANGUAGE_NAMES.get(c, c) for c in profile.language_list),
            ", ".join(g.name for g in profile.gemeinden.all()),
            ", ".join(str(types.get(c, c)) for c in tokens_split(profile.fields_of_work)),
            profile.networks,
        ]
        for profile in profiles.prefetch_related("gemeinden")
    ]
    rows = len(table)
    response = csv_response("ansprache", header, table)
    services.record_export(acting_user=actor(request), what="outreach_csv", count=rows, filters=filters)
    return response
