"""Irreversible steps with a guard, and corrections with history (issue 10, item 8): revoking a transmission
and erasing a record ask for confirmation on their own page with a mandatory reason (erasure: the visible
Aktenzeichen typed again); trajectory events are corrected or withdrawn, never deleted."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teilhabe.accounts.access import has_permission, staff_required
from teilhabe.registry import services
from teilhabe.registry.access import get_case_for_user, get_outgoing_transmission, writable_groups
from teilhabe.registry.fieldgroups import FIELD_GROUPS
from teilhabe.registry.forms import event_kind_choices
from teilhabe.registry.models import EVENT_GROUP, NoticeKind, RecipientNotice, TrajectoryEvent, TransmissionStatus


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Grund"), max_length=300)


class EraseForm(ReasonForm):
    confirm = forms.CharField(label=gettext_lazy("Aktenzeichen zur Bestätigung"), max_length=60)

    def __init__(self, *args: Any, reference: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reference = reference
        self.fields["confirm"].help_text = _("Bitte genau so eingeben: %(ref)s") % {"ref": reference}

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value != self.reference:
            raise ValidationError(_("Das Aktenzeichen stimmt nicht (registry.erase_confirm)."))
        return value


class EventCorrectionForm(ReasonForm):
    kind = forms.ChoiceField(label=gettext_lazy("Ereignis"))
    date = forms.DateField(
        label=gettext_lazy("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    detail = forms.CharField(label=gettext_lazy("Angabe"), required=False, max_length=200)
    field_order = ["kind", "date", "detail", "reason"]


def _apply(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@staff_required("case.read")
def transmission_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what revocation means, for which record and recipient. POST: revoke with the mandatory reason."""
    transmission = get_outgoing_transmission(request, pk, "transmission.request")
    if transmission.status not in (TransmissionStatus.SENT, TransmissionStatus.PENDING):
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.transmission_revoke(
                acting_user=request.user, transmission=transmission, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(
                request, _("Übermittlung widerrufen; der Empfänger hat keinen Zugriff mehr und wurde benachrichtigt.")
            )
            return redirect("registry:outgoing", pk=transmission.pk)
    return render(
        request,
        "registry/confirm_revoke.html",
        {"t": transmission, "form": form, "groups": [FIELD_GROUPS[g].label for g in transmission.field_groups]},
        status=422 if form.errors else 200,
    )


@staff_required("case.read")
def case_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what erasure removes and who is told. POST: erase after the Aktenzeichen and a reason."""
    case = get_case_for_user(request, pk)
    if not has_permission(request.user, "case.restrict", case.owner):
        raise Http404
    form = EraseForm(request.POST or None, reference=case.display_reference)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_erase(acting_user=request.user, case=case, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("Integrationsakte %(ref)s gelöscht.") % {"ref": form.reference})
            return redirect("registry:list")
    recipients = sorted(
        {t.recipient.name for t in case.transmissions.filter(approved_at__isnull=False).select_related("recipient")}
    )
    return render(
        request,
        "registry/confirm_erase.html",
        {"case": case, "form": form, "recipients": recipients, "held": bool(case.legal_hold.strip())},
    )


def _event_for_user(request: HttpRequest, pk: int, event_pk: int) -> TrajectoryEvent:
    case = get_case_for_user(request, pk, write=True)
    event = case.events.current().filter(pk=event_pk).first()
    if event is None or event.group not in writable_groups(request.user, case.owner):
        raise Http404
    return event


@staff_required("case.write")
def event_correct(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    event = _event_for_user(request, pk, event_pk)
    kinds = [(k, label) for k, label in event_kind_choices([event.group]) if EVENT_GROUP[k] == event.group]
    form = EventCorrectionForm(
        request.POST or None, initial={"kind": event.kind, "date": event.date, "detail": event.detail}
    )
    form.fields["kind"].choices = kinds  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.event_correct(
                acting_user=request.user,
                event=event,
                kind=data["kind"],
                on=data["date"],
                detail=data["detail"],
                reason=data["reason"],
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("Ereignis berichtigt; die frühere Fassung bleibt im Verlauf sichtbar."))
            return redirect("registry:detail", pk=pk)
    return render(
        request, "registry/simple_form.html", {"form": form, "case": event.case, "title": _("Ereignis berichtigen")}
    )


@staff_required("case.write")
def event_withdraw(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    event = _event_for_user(request, pk, event_pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.event_withdraw(acting_user=request.user, event=event, reason=form.cleaned_data["reason"])
        messages.success(request, _("Ereignis zurückgezogen; es bleibt mit Grund im Verlauf sichtbar."))
        return redirect("registry:detail", pk=pk)
    return render(
        request,
        "registry/simple_form.html",
        {"form": form, "case": event.case, "title": _("Ereignis zurückziehen")},
    )


@staff_required("case.read")
def recipient_notices(request: HttpRequest) -> HttpResponse:
    """Notices for the user's organisations as recipients (revoked transmissions, erased records)."""
    from django.utils import timezone

    from teilhabe.accounts.access import organisation_ids_with

    notices = RecipientNotice.objects.filter(recipient_id__in=organisation_ids_with(request.user, "case.read"))
    if request.method == "POST":
        notice = notices.filter(pk=request.POST.get("notice") or 0, read_at__isnull=True).first()
        if notice is None:
            raise Http404
        notice.read_at = timezone.now()
        notice.read_by = request.user  # type: ignore[assignment]
        notice.save(update_fields=["read_at", "read_by"])
        return redirect("registry:recipient_notices")
    return render(
        request,
        "registry/recipient_notices.html",
        {"notices": notices.select_related("transmission", "transmission__sender")[:200], "kinds": NoticeKind},
    )
