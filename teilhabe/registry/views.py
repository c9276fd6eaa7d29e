"""Staff pages for KiIM case records under /staff/kiim/. Every view starts from the access helpers in
``registry.access``; objects outside the user's scope answer 404 (DP-06)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.accounts.access import has_permission, organisations_with, staff_required
from teilhabe.accounts.models import Organisation, User
from teilhabe.audit.models import AuditEvent
from teilhabe.audit.services import record
from teilhabe.registry import services
from teilhabe.registry.access import (
    can_read_azr,
    get_case_for_user,
    get_incoming_transmission,
    get_outgoing_transmission,
    readable_groups,
    received_groups,
    writable_groups,
)
from teilhabe.registry.fieldgroups import FIELD_GROUPS, Protection
from teilhabe.registry.forms import (
    CaseForm,
    ConsentForm,
    EventForm,
    GoalForm,
    SearchForm,
    TransmissionForm,
    event_kind_choices,
    fieldgroup_form_class,
)
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import (
    AREA_GROUP,
    Case,
    Consent,
    CorrectionNotice,
    EventKind,
    GoalStatus,
    PlanArea,
    PlanGoal,
    Sex,
    Transmission,
    TransmissionStatus,
)
from teilhabe.registry.nationalities import label as nationality_label

_IDENTITY_LABELS = {spec.name: spec.label for spec in FIELD_GROUPS["identitaet"].fields}


def _apply_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _display_groups(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Turn case_data() output into labelled rows for templates. Only groups present in data appear."""
    rows = []
    for name, content in data["groups"].items():
        group = FIELD_GROUPS[name]
        if name == "identitaet":
            items = [
                (_("Familienname"), content["family_name"]),
                (_("Vornamen"), content["given_names"]),
                (_IDENTITY_LABELS["family_name_latin"], content["family_name_latin"]),
                (_IDENTITY_LABELS["given_names_latin"], content["given_names_latin"]),
                (_("Geburtsdatum"), content["birth_date"]),
                (_("Geschlecht"), Sex(content["sex"]).label),
                (
                    _("Staatsangehörigkeiten"),
                    ", ".join(nationality_label(c) for c in content["nationalities"]),
                ),
                (_("Einreise"), content["arrival_date"]),
                (_("Zuweisung"), content["allocation_date"]),
                (_("Wohngemeinde"), content["gemeinde"]),
            ]
            basis = ""
        else:
            values = content["values"]
            items = []
            if "azr_number" in values:
                items.append((_("AZR-Nummer"), values["azr_number"]))
            for spec in group.fields:
                value = values.get(spec.name, "")
                if spec.kind == "choice":
                    value = dict(spec.choices).get(value, value)
                items.append((spec.label, value))
            basis = str(LegalBasis(content["legal_basis"]).label) if content["legal_basis"] else ""
        rows.append(
            {
                "name": name,
                "label": group.label,
                "protection": Protection.LABELS[group.protection],
                "is_art9": group.is_art9,
                "items": items,
                "legal_basis": basis,
            }
        )
    return rows


def _labelled_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**e, "label": EventKind(e["kind"]).label} for e in events]


def _labelled_goals(goals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**g, "area_label": PlanArea(g["area"]).label, "status_label": GoalStatus(g["status"]).label} for g in goals
    ]


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
    form = CaseForm(request.POST or None, with_azr=can_read_azr(request.user, owner))
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
    }
    return render(request, "registry/case_detail.html", context)


@staff_required("case.write")
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk, write=True)
    if "identitaet" not in writable_groups(request.user, case.owner):
        raise Http404
    with_azr = can_read_azr(request.user, case.owner)
    form = CaseForm(request.POST or None, instance=case if request.method != "POST" else None, with_azr=with_azr)
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
    form_class = fieldgroup_form_class(spec)
    initial = {**(entry.data if entry else {}), "legal_basis": entry.legal_basis if entry else ""}
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
        services.event_add(
            acting_user=request.user,
            case=case,
            kind=form.cleaned_data["kind"],
            on=form.cleaned_data["date"],
            detail=form.cleaned_data["detail"],
        )
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


@staff_required("case.read")
def transmission_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk, allow_restricted=False)
    if not has_permission(request.user, "transmission.request", case.owner):
        raise Http404
    groups = readable_groups(request.user, case.owner)
    form = TransmissionForm(request.POST or None, case=case, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            transmission = services.transmission_request(
                acting_user=request.user,
                case=case,
                recipient=form.cleaned_data["recipient"],
                groups=form.cleaned_data["groups"],
                legal_basis=form.cleaned_data["legal_basis"],
                purpose=form.cleaned_data["purpose"],
                consent=form.cleaned_data["consent"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if transmission.status == TransmissionStatus.PENDING:
                messages.info(request, _("Übermittlung beantragt; sie braucht die Freigabe einer zweiten Person."))
            else:
                messages.success(request, _("Übermittlung ausgeführt."))
            return redirect("registry:outgoing", pk=transmission.pk)
    status = 422 if form.errors else 200
    return render(request, "registry/transmission_form.html", {"form": form, "case": case}, status=status)


@staff_required("case.read")
def transmissions(request: HttpRequest) -> HttpResponse:
    outgoing = Transmission.objects.outgoing_for(request.user).select_related("recipient", "sender")[:200]
    incoming = Transmission.objects.incoming_for(request.user).select_related("recipient", "sender")[:200]
    notices = CorrectionNotice.objects.filter(
        transmission__in=Transmission.objects.outgoing_for(request.user), done_at__isnull=True
    ).select_related("transmission", "transmission__recipient")
    return render(
        request,
        "registry/transmissions.html",
        {"outgoing": outgoing, "incoming": incoming, "notices": notices},
    )


@staff_required("case.read")
def outgoing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transmission = get_outgoing_transmission(request, pk)
    can_approve = (
        transmission.status == TransmissionStatus.PENDING
        and has_permission(request.user, "transmission.approve", transmission.sender)
        and transmission.requested_by_id != request.user.pk
    )
    can_revoke = transmission.status in (
        TransmissionStatus.SENT,
        TransmissionStatus.PENDING,
    ) and has_permission(request.user, "transmission.request", transmission.sender)
    record(
        "transmission.view",
        actor=request.user,
        organisation=transmission.sender,
        object_type="registry.transmission",
        object_id=transmission.pk,
    )
    return render(
        request,
        "registry/transmission_outgoing.html",
        {
            "t": transmission,
            "group_labels": [FIELD_GROUPS[g].label for g in transmission.field_groups],
            "can_approve": can_approve,
            "can_revoke": can_revoke,
            "notices": transmission.notices.all(),
        },
    )


@staff_required("case.read")
def incoming_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The recipient's read-only, dated copy: exactly the transmitted groups its role may read."""
    transmission = get_incoming_transmission(request, pk)
    groups = received_groups(request.user, transmission)
    data = services.transmission_read(acting_user=request.user, transmission=transmission, groups=groups)
    return render(
        request,
        "registry/transmission_incoming.html",
        {
            "t": transmission,
            "groups": _display_groups(data),
            "events": _labelled_events(data["events"]),
            "goals": _labelled_goals(data["goals"]),
            "reference": data["reference"],
        },
    )


def _post_action(request: HttpRequest, pk: int, permission: str, action: Any, success: str) -> HttpResponse:
    transmission = get_outgoing_transmission(request, pk, permission)
    try:
        action(transmission)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("registry:outgoing", pk=transmission.pk)


@staff_required("case.read")
@require_POST
def transmission_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request,
        pk,
        "transmission.approve",
        lambda t: services.transmission_approve(acting_user=request.user, transmission=t),
        _("Übermittlung freigegeben und ausgeführt."),
    )


@staff_required("case.read")
@require_POST
def transmission_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request,
        pk,
        "transmission.approve",
        lambda t: services.transmission_reject(
            acting_user=request.user, transmission=t, reason=request.POST.get("reason", "")
        ),
        _("Übermittlung abgelehnt."),
    )


@staff_required("case.read")
@require_POST
def transmission_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request,
        pk,
        "transmission.request",
        lambda t: services.transmission_revoke(
            acting_user=request.user, transmission=t, reason=request.POST.get("reason", "")
        ),
        _("Übermittlung widerrufen; der Empfänger hat keinen Zugriff mehr."),
    )


@staff_required("case.read")
@require_POST
def notice_done(request: HttpRequest, pk: int) -> HttpResponse:
    notice = CorrectionNotice.objects.select_related("transmission", "transmission__sender").filter(pk=pk).first()
    if notice is None or not has_permission(request.user, "transmission.request", notice.transmission.sender):
        raise Http404
    services.notice_done(acting_user=request.user, notice=notice)
    messages.success(request, _("Mitteilung als erledigt vermerkt."))
    return redirect("registry:transmissions")


@staff_required("case.read")
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk, allow_restricted=False)
    if not has_permission(request.user, "consent.manage", case.owner):
        raise Http404
    form = ConsentForm(request.POST or None, case=case, groups=readable_groups(request.user, case.owner))
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_give(acting_user=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Einwilligung erfasst."))
            return redirect("registry:detail", pk=case.pk)
    return render(
        request,
        "registry/simple_form.html",
        {"form": form, "case": case, "title": _("Einwilligung erfassen")},
    )


@staff_required("case.read")
@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = Consent.objects.select_related("owner").filter(pk=pk).first()
    if (
        consent is None
        or not has_permission(request.user, "consent.manage", consent.owner)
        or not (Case.objects.visible_to(request.user).filter(pk=consent.case_id).exists())
    ):
        raise Http404
    revoked = services.consent_withdraw(acting_user=request.user, consent=consent)
    messages.success(request, _("Widerruf eingetragen; %(n)d Übermittlung(en) widerrufen.") % {"n": revoked})
    return redirect("registry:detail", pk=consent.case_id)


@staff_required()
def access_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Per-record access history for the data-protection officer (DP-32); shows ids, never case content."""
    case = Case.objects.select_related("owner").filter(pk=pk).first()
    if case is None or not has_permission(request.user, "audit.view", case.owner):
        raise Http404
    transmission_ids = [str(t) for t in case.transmissions.values_list("pk", flat=True)]
    events = AuditEvent.objects.filter(
        Q(object_type="registry.case", object_id=str(case.pk))
        | Q(object_type="registry.transmission", object_id__in=transmission_ids)
    ).order_by("-id")[:500]
    record("case.history", actor=request.user, organisation=case.owner, obj=case)
    return render(request, "registry/access_history.html", {"case": case, "events": events})


def _get_case_for_rights(request: HttpRequest, pk: int) -> Case:
    case = get_case_for_user(request, pk)
    if not has_permission(request.user, "case.restrict", case.owner):
        raise Http404
    return case


@staff_required("case.read")
def case_rights(request: HttpRequest, pk: int) -> HttpResponse:
    """Data-subject rights for one record: restriction (Art. 18), legal hold and erasure (Art. 17)."""
    case = _get_case_for_rights(request, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("restrict", "lift"):
            services.case_restrict(
                acting_user=request.user,
                case=case,
                restrict=action == "restrict",
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Einschränkung gespeichert."))
        elif action == "hold":
            services.case_set_legal_hold(
                acting_user=request.user, case=case, legal_hold=request.POST.get("legal_hold", "")
            )
            messages.success(request, _("Aufbewahrungspflicht gespeichert."))
        elif action == "access_request":
            try:
                received = date.fromisoformat(request.POST.get("received_on", ""))
            except ValueError:
                received = timezone.localdate()
            services.access_request_create(acting_user=request.user, case=case, received_on=received)
            messages.success(request, _("Auskunftsersuchen mit Frist eingetragen."))
        elif action in ("extend", "answer"):
            from teilhabe.registry.models import AccessRequest

            item = AccessRequest.objects.filter(case=case, pk=request.POST.get("request") or 0).first()
            if item is None:
                raise Http404
            try:
                services.access_request_update(acting_user=request.user, request=item, action=action)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        elif action == "erase" and request.POST.get("confirm") == str(case.pk):
            try:
                services.case_erase(acting_user=request.user, case=case)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Integrationsakte gelöscht."))
                return redirect("registry:list")
        else:
            messages.error(request, _("Zum Löschen die Aktennummer zur Bestätigung eingeben."))
        return redirect("registry:rights", pk=case.pk)
    from teilhabe.registry.models import AccessRequest

    return render(
        request,
        "registry/case_rights.html",
        {"case": case, "requests": AccessRequest.objects.filter(case=case), "today": timezone.localdate()},
    )


@staff_required("case.read")
def access_report(request: HttpRequest, pk: int, as_json: bool = False, as_pdf: bool = False) -> HttpResponse:
    """Art. 15 report (HTML for printing, JSON machine-readable); logged as case.access_report."""
    case = _get_case_for_rights(request, pk)
    report = services.access_report(acting_user=request.user, case=case)
    if as_json:
        response = HttpResponse(
            json.dumps(report, ensure_ascii=False, indent=2, default=str), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="auskunft-{case.pk}.json"'
        return response
    if as_pdf:
        from teilhabe.registry.pdf import render_access_report

        pdf = render_access_report(
            report,
            _display_groups(report["data"]),
            _labelled_events(report["data"]["events"]),
            _labelled_goals(report["data"]["goals"]),
            reference=case.display_reference,
            synthetic=case.is_synthetic,
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="auskunft-{case.pk}.pdf"'
        return response
    return render(
        request,
        "registry/access_report.html",
        {
            "case": case,
            "report": report,
            "groups": _display_groups(report["data"]),
            "events": _labelled_events(report["data"]["events"]),
            "goals": _labelled_goals(report["data"]["goals"]),
        },
    )


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


@staff_required("case.restrict")
def access_requests(request: HttpRequest) -> HttpResponse:
    """Open Art. 15 requests of the user's organisations with their deadlines; overdue ones first."""
    from teilhabe.registry.models import AccessRequest

    today = timezone.localdate()
    items = AccessRequest.objects.visible_to(request.user).open().select_related("owner")
    return render(
        request,
        "registry/access_requests.html",
        {"items": items, "today": today, "overdue": [i for i in items if i.due_on < today]},
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
