"""Staff pages around the records: cohort figures, personal API tokens, AZR authorisations."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.accounts.access import staff_required
from teilhabe.accounts.models import User
from teilhabe.audit.services import record
from teilhabe.registry import services


@staff_required("cohort.view")
def cohorts(request: HttpRequest) -> HttpResponse:
    """Pseudonymised, disclosure-controlled cohort figures; reads only the analytics store (DP-41)."""
    from teilhabe.registry.cohort import cohort_table
    from teilhabe.registry.models import CohortRecord

    rows = cohort_table()
    extracted = CohortRecord.objects.order_by("-extracted_at").values_list("extracted_at", flat=True).first()
    record("cohort.view", actor=request.user, object_type="registry.cohortrecord")
    return render(
        request, "registry/cohorts.html", {"rows": rows, "extracted": extracted, "k": settings.DISCLOSURE_MIN_COUNT}
    )


@staff_required("case.read")
def api_tokens(request: HttpRequest) -> HttpResponse:
    """Personal API tokens; only in an MFA-verified session (staff_required), shown once after creation."""
    from teilhabe.registry import api
    from teilhabe.registry.models import ApiToken

    user = request.user
    assert isinstance(user, User)
    plaintext = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            token = ApiToken.objects.filter(
                user=user, pk=request.POST.get("token") or 0, revoked_at__isnull=True
            ).first()
            if token is None:
                raise Http404
            api.token_revoke(acting_user=user, token=token)
            messages.success(request, _("API-Zugang widerrufen."))
            return redirect("registry:api_tokens")
        _token, plaintext = api.token_create(acting_user=user, name=request.POST.get("name", ""))
    tokens = ApiToken.objects.filter(user=user)
    return render(
        request, "registry/api_tokens.html", {"tokens": tokens, "plaintext": plaintext, "now": timezone.now()}
    )


def _get_membership_for_grantor(request: HttpRequest, pk: int) -> Any:
    """The membership, if the user may grant AZR authorisations in its organisation; 404 otherwise."""
    from teilhabe.accounts.models import Membership
    from teilhabe.registry.access import can_grant_azr

    membership = Membership.objects.select_related("organisation", "user").filter(pk=pk).first()
    if membership is None or not can_grant_azr(request.user, membership.organisation):
        raise Http404
    return membership


@staff_required()
def azr_authorisations(request: HttpRequest) -> HttpResponse:
    """AZR authorisations (DP-28) of the organisations where the user holds transmission.approve or
    members.manage: every member whose role could see AZR data, with the current authorisation."""
    from teilhabe.accounts.models import Membership
    from teilhabe.registry.access import azr_grant_organisations, roles_with
    from teilhabe.registry.models import AzrAuthorisation

    organisations = azr_grant_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    memberships = (
        Membership.objects.filter(organisation__in=organisations, is_active=True, role__in=roles_with("azr.read"))
        .select_related("organisation", "user")
        .order_by("organisation__name", "user__last_name", "user__username")
    )
    active = {
        a.membership_id: a
        for a in AzrAuthorisation.objects.active().filter(membership__in=memberships).select_related("granted_by")
    }
    rows = [(m, active.get(m.pk)) for m in memberships]
    return render(request, "registry/azr_authorisations.html", {"rows": rows, "me": request.user.pk})


@staff_required()
@require_POST
def azr_authorisation_grant(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get_membership_for_grantor(request, pk)
    try:
        services.azr_authorisation_grant(
            acting_user=request.user, membership=membership, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("AZR-Ermächtigung erteilt."))
    return redirect("registry:azr_authorisations")


@staff_required()
@require_POST
def azr_authorisation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    from teilhabe.registry.models import AzrAuthorisation

    authorisation = AzrAuthorisation.objects.active().filter(pk=pk).select_related("membership").first()
    if authorisation is None:
        raise Http404
    _get_membership_for_grantor(request, authorisation.membership_id)
    services.azr_authorisation_revoke(acting_user=request.user, authorisation=authorisation)
    messages.success(request, _("AZR-Ermächtigung widerrufen."))
    return redirect("registry:azr_authorisations")
