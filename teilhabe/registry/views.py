"""Staff pages for KiIM case records under /staff/kiim/. Every view starts from the access helpers in
``registry.access``; objects outside the user's scope answer 404 (DP-06)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from teilhabe.accounts.access import has_permission, organisations_with, staff_required
from teilhabe.accounts.models import Organisation
from teilhabe.registry import services
from teilhabe.registry.access import (
    can_read_azr,
    get_case_for_user,
    readable_groups,
    writable_groups,
)
from teilhabe.registry.display import _apply_errors, _display_groups, _labelled_events, _labelled_goals
from teilhabe.registry.fieldgroups import FIELD_GROUPS
from teilhabe.registry.forms import (
    CaseForm,
    EventForm,
    GoalForm,
    SearchForm,
    event_kind_choices,
    fieldgroup_form_class,
)
from teilhabe.registry.models import (
    AREA_GROUP,
    Case,
    PlanArea,
    PlanGoal,
)


@staff_required("case.read")
def case_list(request: HttpRequest) -> HttpResponse:
    """Search only: no browsing of all records (DP-11)."""
    form = SearchForm(request.GET or None)
    results: list[Case] | None = None
    truncated = False
    if request.GET and form.is_valid():
        try:
            results, truncated = services.case_search(
                acting_user=request.user,
                query=form.cleaned_data["q"] or "",
                birth_year=form.cleaned_data["birth_year"],
            )
        except services.SearchInputError as error:
            form.add_error("q", error.messages)
    can_create = organisations_with(request.user, "case.write").exists()
    # Names only in the hit list where the user may read identities in that organisation.
    rows = [{"case": c, "show_name": "identitaet" in readable_groups(request.user, c.owner)} for c in results or []]
    status = 400 if form.errors else 200
    return render(
        request,
        "registry/case_list.html",
        {
            "form": form,
            "rows": rows,
            "searched": results is not None,
            "truncated": truncated,
            "can_create": can_create,
        },
        status=status,
    )


def _owner_choices(request: HttpRequest) -> list[Organisation]:
    return [
        org
        for org in Organisation.objects.filter(
            memberships__user_id=request.user.pk or 0, memberships__is_active=True
        ).distinct()
        if "identitaet" in writable_groups(request.user, org)
    ]


@staff_required("case.write")
def case_create(request: HttpRequest) -> HttpResponse:
    owners = _owner_choices(request)
    if not owners:
        raise Http404
    owner = owners[0]
    if request.POST.get("owner"):
        owner = next((o for o in owners if str(o.pk) == request.POST["owner"]), owner)
    form = CaseForm(request.POST or None, with_azr=can_read_azr(request.user, owner), owner_kind=owner.kind)
    similar: list[Case] = []
    if request.method == "POST" and form.is_valid() and not request.POST.get("confirm_new"):
        # Search before create (issue 11): similar own cases are shown first; creating needs a confirmation.
        from teilhabe.linkage.services import intake_check

        similar = intake_check(acting_user=request.user, owner=owner, data=dict(form.cleaned_data))
    if request.method == "POST" and form.is_valid() and not similar:
        try:
            case = services.case_create(acting_user=request.user, owner=owner, data=dict(form.cleaned_data))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Integrationsakte angelegt."))
            return redirect("registry:detail", pk=case.pk)
    return render(
        request,
        "registry/case_form.html",
        {"form": form, "case": None, "owners": owners, "owner": owner, "similar": similar},
    )


@staff_required("case.read")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk)
    data = services.case_read(acting_user=request.user, case=case)
    groups = readable_groups(request.user, case.owner)
    writable = writable_groups(request.user, case.owner)
    owner = case.owner
    context = {
        "case": case,
        "groups": _display_groups(data),
        "events": _labelled_events(data["events"]),
        "goals": _labelled_goals(data["goals"]),
        "writable": writable,
        "missing_groups": [FIELD_GROUPS[g] for g in writable if g not in data["groups"] and g != "identitaet"],
        "can_transmit": has_permission(request.user, "transmission.request", owner),
        "can_consent": has_permission(request.user, "consent.manage", owner),
        "can_history": has_permission(request.user, "audit.view", owner),
        "can_rights": has_permission(request.user, "case.restrict", owner),
        "transmissions": case.transmissions.select_related("recipient").all(),
        "consents": case.consents.prefetch_related("recipients").all(),
        "can_event": bool(event_kind_choices(writable)),
        "can_goal": any(AREA_GROUP[a] in writable for a in PlanArea.values),
        "editable_goals": {g.pk for g in case.goals.all() if g.group in writable},
        "goal_objects": [g for g in case.goals.all() if g.group in groups],
        "event_history": [
            e
            for e in case.events.exclude(pk__in=case.events.current().values("pk")).order_by("date", "pk")
            if e.group in groups
        ],
    }
    return render(request, "registry/case_detail.html", context)


@staff_required("case.write")
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk, write=True)
    if "identitaet" not in writable_groups(request.user, case.owner):
        raise Http404
    with_azr = can_read_azr(request.user, case.owner)
    if request.method != "POST":
        services.identity_for_edit(acting_user=request.user, case=case)  # the form shows the identity: logged
    form = CaseForm(
        request.POST or None,
        instance=case if request.method != "POST" else None,
        with_azr=with_azr,
        owner_kind=case.owner.kind,
    )
    if request.method != "POST":
        form.initial["nationalities"] = case.nationalities
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(acting_user=request.user, case=case, data=dict(form.cleaned_data))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Änderungen gespeichert."))
            return redirect("registry:detail", pk=case.pk)
    return render(request, "registry/case_form.html", {"form": form, "case": case})


@staff_required("case.write")
def fieldgroup_edit(request: HttpRequest, pk: int, group: str) -> HttpResponse:
    case = get_case_for_user(request, pk, write=True)
    if group not in writable_groups(request.user, case.owner) or group == "identitaet":
        raise Http404
    spec = FIELD_GROUPS[group]
    entry = case.entries.filter(group=group).first()
    form_class = fieldgroup_form_class(spec, owner_kind=case.owner.kind)
    # Initial values come from the decrypted entry (encrypted groups store {"_enc": ...}); reading them for
    # the form is a read of person data and is logged like any other.
    values = services.fieldgroup_values(acting_user=request.user, case=case, group=group)
    initial = {**values, "legal_basis": entry.legal_basis if entry else ""}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {
            k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in form.cleaned_data.items()
            if k != "legal_basis"
        }
        try:
            services.fieldgroup_save(
                acting_user=request.user,
                case=case,
                group=group,
                data=data,
                legal_basis=form.cleaned_data["legal_basis"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Feldgruppe gespeichert."))
            return redirect("registry:detail", pk=case.pk)
    return render(request, "registry/fieldgroup_form.html", {"form": form, "case": case, "group": spec})


@staff_required("case.write")
def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk, write=True)
    kinds = event_kind_choices(writable_groups(request.user, case.owner))
    if not kinds:
        raise Http404
    form = EventForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_add(
                acting_user=request.user,
                case=case,
                kind=form.cleaned_data["kind"],
                on=form.cleaned_data["date"],
                detail=form.cleaned_data["detail"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Ereignis eingetragen."))
            return redirect("registry:detail", pk=case.pk)
    return render(
        request,
        "registry/simple_form.html",
        {"form": form, "case": case, "title": _("Verlaufsereignis eintragen")},
    )


@staff_required("case.write")
def goal_edit(request: HttpRequest, pk: int, goal_pk: int | None = None) -> HttpResponse:
    case = get_case_for_user(request, pk, write=True)
    writable = writable_groups(request.user, case.owner)
    areas = [a for a in PlanArea.values if AREA_GROUP[a] in writable]
    goal: PlanGoal | None = None
    if goal_pk is not None:
        goal = case.goals.filter(pk=goal_pk).first()
        if goal is None or goal.group not in writable:
            raise Http404
    if not areas:
        raise Http404
    form = GoalForm(request.POST or None, instance=goal, areas=areas)
    if request.method == "POST" and form.is_valid():
        services.goal_save(acting_user=request.user, case=case, goal=goal, **form.cleaned_data)
        messages.success(request, _("Ziel gespeichert."))
        return redirect("registry:detail", pk=case.pk)
    return render(
        request,
        "registry/simple_form.html",
        {"form": form, "case": case, "title": _("Ziel im Integrationsplan")},
    )


@staff_required("case.read")
def case_export(request: HttpRequest, pk: int) -> HttpResponse:
    """JSON export of exactly what the user may read (DP-10); logged as case.export."""
    case = get_case_for_user(request, pk, allow_restricted=False)
    data = services.case_read(acting_user=request.user, case=case, action="case.export")
    payload = {
        "case_id": case.pk,
        "reference": case.display_reference,
        "owner": case.owner.name,
        "synthetic": case.is_synthetic,
        **data,
    }
    response = HttpResponse(json.dumps(payload, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="integrationsakte-{case.pk}.json"'
    return response


@staff_required("case.read")
def case_print(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk, allow_restricted=False)
    data = services.case_read(acting_user=request.user, case=case, action="case.print")
    return render(
        request,
        "registry/case_print.html",
        {
            "case": case,
            "groups": _display_groups(data),
            "events": _labelled_events(data["events"]),
            "goals": _labelled_goals(data["goals"]),
        },
    )


# Split by concept; every view stays reachable as registry.views.<name> (urls.py, tests).
from teilhabe.registry.views_admin import (  # noqa: E402
    api_tokens,
    azr_authorisation_grant,
    azr_authorisation_revoke,
    azr_authorisations,
    cohorts,
)
from teilhabe.registry.views_rights import (  # noqa: E402
    access_history,
    access_report,
    access_requests,
    actor_labels,
    case_rights,
)
from teilhabe.registry.views_transmissions import (  # noqa: E402
    consent_create,
    consent_withdraw,
    incoming_detail,
    notice_done,
    outgoing_detail,
    transmission_approve,
    transmission_create,
    transmission_reject,
    transmissions,
)

__all__ = [
    "access_history",
    "access_report",
    "access_requests",
    "actor_labels",
    "api_tokens",
    "azr_authorisation_grant",
    "azr_authorisation_revoke",
    "azr_authorisations",
    "case_create",
    "case_detail",
    "case_edit",
    "case_export",
    "case_list",
    "case_print",
    "case_rights",
    "cohorts",
    "consent_create",
    "consent_withdraw",
    "event_add",
    "fieldgroup_edit",
    "goal_edit",
    "incoming_detail",
    "notice_done",
    "outgoing_detail",
    "transmission_approve",
    "transmission_create",
    "transmission_reject",
    "transmissions",
]
