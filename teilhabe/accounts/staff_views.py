"""Staff area: start page, organisations, members and roles (authorised administrators only)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.accounts import services
from teilhabe.accounts.access import (
    AuthenticatedHttpRequest,
    all_permissions,
    get_organisation_for_user,
    has_district_permission,
    has_permission,
    staff_required,
)
from teilhabe.accounts.enrolment import invitation_send
from teilhabe.accounts.forms import MembershipRoleForm, NewMemberForm, OrganisationForm
from teilhabe.accounts.models import Membership, Organisation, OrganisationKind, User
from teilhabe.accounts.roles import DISTRICT_WIDE_ROLES, PERMISSIONS, ROLE_PERMISSIONS, Role
from teilhabe.accounts.separation import can_confirm, is_member_admin, opens_person_data, pending_for
from teilhabe.core.navigation import STAFF_AREAS
from teilhabe.regions.models import Gemeinde


@staff_required()
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    permissions = all_permissions(request.user)
    areas = [
        area
        for area in STAFF_AREAS
        if not area.permission
        or area.permission in permissions
        or has_district_permission(request.user, area.permission)
    ]
    memberships = Membership.objects.filter(user=request.user, is_active=True).select_related("organisation")
    from teilhabe.registry.worklists import worklists_for

    return render(
        request,
        "staff/home.html",
        {"areas": areas, "memberships": memberships, "worklists": worklists_for(request.user)},
    )


@staff_required()
def roles_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = [(role.label, sorted(str(PERMISSIONS.get(p, p)) for p in ROLE_PERMISSIONS.get(role, ()))) for role in Role]
    return render(request, "staff/roles.html", {"rows": rows})


def _kreis_gemeinden() -> object:
    return Gemeinde.objects.filter(kreis_id=settings.TEILHABE_KREIS).only("ags", "name").order_by("name")


@staff_required()
def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisations = (
        Organisation.objects.visible_to(request.user)
        .annotate(member_count=Count("memberships", filter=Q(memberships__is_active=True)))
        .order_by("name")
    )
    can_create = has_district_permission(request.user, "organisations.manage")
    return render(request, "staff/organisation_list.html", {"organisations": organisations, "can_create": can_create})


@staff_required("organisations.manage")
def organisation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not has_district_permission(request.user, "organisations.manage"):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, gemeinden_queryset=_kreis_gemeinden())
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(acting_user=request.user, data=dict(form.cleaned_data))
        messages.success(request, _("Organisation „%(name)s“ angelegt.") % {"name": organisation.name})
        return redirect("staff:organisation", pk=organisation.pk)
    return render(request, "staff/organisation_form.html", {"form": form, "organisation": None})


def _get_visible_organisation(request: AuthenticatedHttpRequest, pk: int) -> Organisation:
    organisation = Organisation.objects.visible_to(request.user).filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return organisation


@staff_required()
def organisation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = _get_visible_organisation(request, pk)
    can_manage_members = has_permission(request.user, "members.manage", organisation)
    memberships = organisation.memberships.select_related("user").order_by("user__username", "role")
    shown = list(memberships if can_manage_members else memberships.filter(user=request.user))
    # "Rolle ändern" only where this viewer may grant the role (``membership_edit`` refuses the others).
    grantable = {value for value, _label in _grantable_roles(request, organisation)} if can_manage_members else set()
    for membership in shown:
        membership.role_editable = membership.role in grantable  # type: ignore[attr-defined]
    return render(
        request,
        "staff/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": shown,
            "can_manage_members": can_manage_members,
            "can_edit": has_district_permission(request.user, "organisations.manage"),
            "gemeinden": organisation.gemeinden.order_by("name"),
        },
    )


@staff_required("organisations.manage")
def organisation_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not has_district_permission(request.user, "organisations.manage"):
        raise PermissionDenied
    organisation = _get_visible_organisation(request, pk)
    form = OrganisationForm(request.POST or None, instance=organisation, gemeinden_queryset=_kreis_gemeinden())
    if request.method == "POST" and form.is_valid():
        fresh = Organisation.objects.get(pk=organisation.pk)
        services.organisation_update(acting_user=request.user, organisation=fresh, data=dict(form.cleaned_data))
        messages.success(request, _("Änderungen gespeichert."))
        return redirect("staff:organisation", pk=organisation.pk)
    return render(request, "staff/organisation_form.html", {"form": form, "organisation": organisation})


def _grantable_roles(request: AuthenticatedHttpRequest, organisation: Organisation) -> list[tuple[str, str]]:
    """District-wide roles are granted only by district administrators and only in the Landkreis office;
    roles that open person data only by a member administrator of the organisation itself."""
    district_admin = has_district_permission(request.user, "members.manage")
    member_admin = is_member_admin(request.user, organisation)
    choices = []
    for role in Role:
        if role in DISTRICT_WIDE_ROLES and not (district_admin and organisation.kind == OrganisationKind.LANDKREIS):
            continue
        if opens_person_data(role) and not member_admin:
            continue
        choices.append((role.value, str(role.label)))
    return choices


@staff_required("members.manage")
def member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_user(request, pk, "members.manage")
    form = NewMemberForm(request.POST or None, allowed_roles=_grantable_roles(request, organisation))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = data["existing_user"]
        try:
            with transaction.atomic():
                if user is None:
                    user = services.user_create(
                        acting_user=request.user,
                        username=data["username"],
                        first_name=data["first_name"],
                        last_name=data["last_name"],
                        email=data["email"],
                    )
                    invitation_send(acting_user=request.user, user=user)
                membership = services.membership_add(
                    acting_user=request.user, user=user, organisation=organisation, role=data["role"]
                )
        except services.GrantRefused as refusal:
            form.add_error("role", str(refusal))
        else:
            if membership.pending:
                messages.info(
                    request,
                    _(
                        "Rolle für %(user)s eingetragen; sie wirkt erst, wenn eine zweite Person sie bestätigt "
                        "(Administration oder Fallaufsicht der Organisation oder Datenschutz)."
                    )
                    % {"user": user.username},
                )
            else:
                messages.success(request, _("%(user)s ist jetzt Mitglied.") % {"user": user.username})
            return redirect("staff:organisation", pk=organisation.pk)
    return render(request, "staff/member_form.html", {"form": form, "organisation": organisation})


def _get_membership_for_user(request: AuthenticatedHttpRequest, pk: int) -> Membership:
    membership = Membership.objects.select_related("organisation", "user").filter(pk=pk).first()
    if membership is None or not has_permission(request.user, "members.manage", membership.organisation):
        raise Http404
    return membership


@staff_required("members.manage")
def membership_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    membership = _get_membership_for_user(request, pk)
    allowed = _grantable_roles(request, membership.organisation)
    if membership.role not in {value for value, _label in allowed}:
        raise PermissionDenied
    form = MembershipRoleForm(request.POST or None, instance=Membership.objects.get(pk=membership.pk))
    form.fields["role"].choices = allowed  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                acting_user=request.user,
                membership=membership,
                role=form.cleaned_data["role"],
                is_active=form.cleaned_data["is_active"],
            )
        except services.GrantRefused as refusal:
            form.add_error("role", str(refusal))
        else:
            messages.success(request, _("Mitgliedschaft gespeichert."))
            return redirect("staff:organisation", pk=membership.organisation_id)
    return render(request, "staff/membership_form.html", {"form": form, "membership": membership})


def _back(request: AuthenticatedHttpRequest) -> HttpResponse:
    back = request.POST.get("back", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("staff:organisations")


def _get_member_user(request: AuthenticatedHttpRequest, pk: int) -> User:
    """A user the acting user may administer: member of an organisation where they manage members."""
    user = User.objects.filter(pk=pk).first()
    if user is None or user.pk == request.user.pk:
        raise Http404
    organisations = Organisation.objects.filter(memberships__user=user).distinct()
    if not any(has_permission(request.user, "members.manage", org) for org in organisations):
        raise Http404
    return user


@require_POST
@staff_required("members.manage")
def user_toggle_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = _get_member_user(request, pk)
    reason = request.POST.get("reason", "").strip()[:300]
    if user.is_active:
        services.user_deactivate(acting_user=request.user, user=user, reason=reason)
        messages.success(
            request, _("Konto %(user)s gesperrt; offene Sitzungen wurden beendet.") % {"user": user.username}
        )
    else:
        services.user_reactivate(acting_user=request.user, user=user, reason=reason)
        messages.success(request, _("Konto %(user)s entsperrt.") % {"user": user.username})
    return _back(request)


@require_POST
@staff_required("members.manage")
def user_mfa_reset(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = _get_member_user(request, pk)
    services.mfa_reset(acting_user=request.user, user=user, reason=request.POST.get("reason", "").strip()[:300])
    messages.success(
        request,
        _("Zweiter Faktor von %(user)s zurückgesetzt. Die Person richtet ihn bei der nächsten Anmeldung neu ein.")
        % {"user": user.username},
    )
    return _back(request)


@staff_required()
def membership_confirmations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Role grants that open person data and wait for this user's confirmation (second person)."""
    return render(request, "staff/membership_confirmations.html", {"pending": pending_for(request.user)})


@require_POST
@staff_required()
def membership_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    membership = Membership.objects.select_related("organisation", "user").filter(pk=pk, pending=True).first()
    if membership is None or not can_confirm(request.user, membership):
        raise Http404
    services.membership_confirm(acting_user=request.user, membership=membership)
    messages.success(
        request,
        _("Rolle von %(user)s in %(org)s bestätigt; sie wirkt ab sofort.")
        % {"user": membership.user.username, "org": membership.organisation.name},
    )
    return redirect("staff:membership_confirmations")
