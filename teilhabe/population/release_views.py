"""Staff pages: which Gemeinde organisation sees which population tables (decided by the district)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from teilhabe.accounts.access import staff_required
from teilhabe.accounts.models import Organisation, OrganisationKind
from teilhabe.population.models import RELEASE_PERMISSION, GemeindeRelease
from teilhabe.population.releases import ReleaseRefused, release_grant, release_revoke
from teilhabe.regions.models import Gemeinde


class ReleaseForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation der Gemeinde"),
        queryset=Organisation.objects.none(),
        help_text=_("Nur Organisationen der Art „Gemeinde/Stadt/Amt“."),
    )
    gemeinde = forms.ModelChoiceField(label=_("Gemeinde"), queryset=Gemeinde.objects.none())
    scope = forms.ChoiceField(label=_("Umfang"), choices=GemeindeRelease.Scope.choices)
    basis = forms.CharField(
        label=_("Grundlage"),
        max_length=300,
        help_text=_("Zum Beispiel: Beschluss des Kreisausschusses vom …, Vereinbarung mit der Gemeinde."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        organisation_field = self.fields["organisation"]
        gemeinde_field = self.fields["gemeinde"]
        assert isinstance(organisation_field, forms.ModelChoiceField)
        assert isinstance(gemeinde_field, forms.ModelChoiceField)
        organisation_field.queryset = Organisation.objects.filter(
            kind=OrganisationKind.GEMEINDE, is_active=True
        ).order_by("name")
        gemeinde_field.queryset = (
            Gemeinde.objects.filter(organisations__kind=OrganisationKind.GEMEINDE).distinct().order_by("name")
        )


@staff_required(RELEASE_PERMISSION)
def releases(request: HttpRequest) -> HttpResponse:
    form = ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            release_grant(
                acting_user=request.user,
                organisation=form.cleaned_data["organisation"],
                gemeinde=form.cleaned_data["gemeinde"],
                scope=form.cleaned_data["scope"],
                basis=form.cleaned_data["basis"],
            )
        except ReleaseRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Freigabe gespeichert."))
            return redirect("population:releases")
    active = GemeindeRelease.objects.active().select_related("organisation", "gemeinde", "granted_by")
    return render(
        request,
        "population/releases.html",
        {"form": form, "releases": active.order_by("gemeinde__name", "organisation__name")},
    )


@staff_required(RELEASE_PERMISSION)
@require_POST
def release_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    release = GemeindeRelease.objects.active().filter(pk=pk).first()
    if release is None:
        raise Http404
    release_revoke(acting_user=request.user, release=release)
    messages.success(request, _("Freigabe zurückgenommen."))
    return redirect("population:releases")
