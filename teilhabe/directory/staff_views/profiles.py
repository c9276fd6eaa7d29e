"""Public organisation profiles (Steckbriefe)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from teilhabe.accounts.access import staff_required
from teilhabe.directory import services
from teilhabe.directory.access import (
    editable_organisations,
    get_profile_organisation_for_user,
)
from teilhabe.directory.forms import ProfileForm
from teilhabe.directory.models import OrganisationProfile
from teilhabe.directory.staff_views.common import MODERATE, actor


@staff_required(MODERATE)
def profile_list(request: HttpRequest) -> HttpResponse:
    organisations = editable_organisations(request.user).select_related("directory_profile").order_by("name")
    page = Paginator(organisations, 50).get_page(request.GET.get("seite"))
    return render(request, "directory/staff/profile_list.html", {"page": page})


@staff_required(MODERATE)
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_profile_organisation_for_user(request, pk)
    profile = OrganisationProfile.objects.filter(organisation=organisation).first()
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "gemeinden"}
        services.profile_save(
            acting_user=actor(request),
            organisation=organisation,
            data=data,
            gemeinden=form.cleaned_data["gemeinden"],
        )
        messages.success(request, _("Steckbrief gespeichert."))
        return redirect("directory_staff:profiles")
    return render(
        request,
        "directory/staff/form.html",
        {"form": form, "title": _("Steckbrief: %(name)s") % {"name": organisation.name}},
    )
