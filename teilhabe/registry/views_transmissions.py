"""Staff pages for transmissions and consent (KiIM); objects outside the user's scope answer 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.accounts.access import has_permission, staff_required
from teilhabe.audit.services import record
from teilhabe.registry import services
from teilhabe.registry.access import (
    get_case_for_user,
    get_incoming_transmission,
    get_outgoing_transmission,
    readable_groups,
    received_groups,
)
from teilhabe.registry.display import _apply_errors, _display_groups, _labelled_events, _labelled_goals
from teilhabe.registry.fieldgroups import FIELD_GROUPS
from teilhabe.registry.forms import (
    ConsentForm,
    TransmissionForm,
)
from teilhabe.registry.models import (
    Case,
    Consent,
    CorrectionNotice,
    Transmission,
    TransmissionStatus,
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
    pending = transmission.status == TransmissionStatus.PENDING
    can_approve = (
        pending
        and has_permission(request.user, "transmission.approve", transmission.sender)
        and not services.approval_conflict(request.user, transmission)
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
            "approvers": services.approvers_for(transmission) if pending else [],
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
