"""Planungsräume: a Kommune's small areas inside its own Gemeinden."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from teilhabe.accounts.access import AuthenticatedHttpRequest, organisation_ids_with, staff_required
from teilhabe.accounts.models import Organisation
from teilhabe.regions import services
from teilhabe.regions.forms import PlanungsraumForm, gemeinden_for_organisations
from teilhabe.regions.models import Planungsraum

PERMISSION = "regions.planungsraum.manage"


def get_planungsraum_for_user(request: AuthenticatedHttpRequest, pk: int) -> Planungsraum:
    planungsraum = Planungsraum.objects.visible_to(request.user).select_related("gemeinde").filter(pk=pk).first()
    if planungsraum is None:
        raise Http404
    return planungsraum


@staff_required(PERMISSION)
def planungsraum_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    items = Planungsraum.objects.visible_to(request.user).select_related("gemeinde", "owner")
    gemeinden = gemeinden_for_organisations(organisation_ids_with(request.user, PERMISSION))
    return render(request, "regions/planungsraum_list.html", {"items": items, "gemeinden": gemeinden})


def _owner_for(request: AuthenticatedHttpRequest, form: PlanungsraumForm) -> Organisation:
    """The user's organisation that serves the chosen Gemeinde (the new Planungsraum's owner)."""
    ids = organisation_ids_with(request.user, PERMISSION)
    return Organisation.objects.filter(pk__in=ids, gemeinden=form.cleaned_data["gemeinde"]).order_by("pk").first()  # type: ignore[return-value]


def _edit(request: AuthenticatedHttpRequest, instance: Planungsraum) -> HttpResponse:
    gemeinden = gemeinden_for_organisations(organisation_ids_with(request.user, PERMISSION))
    form = PlanungsraumForm(request.POST or None, instance=instance, gemeinden=gemeinden)
    if request.method == "POST" and form.is_valid():
        owner = instance.owner if instance.pk else _owner_for(request, form)
        services.planungsraum_save(
            acting_user=request.user,
            owner=owner,
            instance=form.save(commit=False),
            geometry=form.cleaned_data["geometry_text"],
            changed_fields=form.changed_data,
        )
        messages.success(request, _("Planungsraum gespeichert."))
        return redirect("regions_staff:planungsraeume")
    return render(request, "regions/planungsraum_form.html", {"form": form, "instance": instance})


@staff_required(PERMISSION)
def planungsraum_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _edit(request, Planungsraum())


@staff_required(PERMISSION)
def planungsraum_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_planungsraum_for_user(request, pk))
