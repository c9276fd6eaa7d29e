"""Moderation of public proposals and the list of offers not confirmed for a long time."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from teilhabe.accounts.access import staff_required
from teilhabe.directory import services
from teilhabe.directory.access import (
    editable_organisations,
    get_submission_for_user,
)
from teilhabe.directory.forms import ModerationForm
from teilhabe.directory.models import (
    Offer,
    Submission,
    SubmissionKind,
    SubmissionStatus,
)
from teilhabe.directory.staff_views.common import MODERATE, actor


@staff_required(MODERATE)
def submission_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", SubmissionStatus.PENDING)
    if status not in SubmissionStatus.values:
        status = SubmissionStatus.PENDING
    submissions = Submission.objects.visible_to(request.user).filter(status=status).select_related("gemeinde", "offer")
    page = Paginator(submissions, 50).get_page(request.GET.get("seite"))
    return render(
        request,
        "directory/staff/submission_list.html",
        {"page": page, "status": status, "statuses": SubmissionStatus.choices},
    )


@staff_required(MODERATE)
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_submission_for_user(request, pk)
    owners = editable_organisations(request.user)
    data = dict(submission.data)
    initial = {
        **data,
        "internet": data.get("website", ""),
        "gemeinde": submission.gemeinde_id,
        "owner": submission.offer.owner_id if submission.offer else owners.first(),
    }
    form = ModerationForm(request.POST or None, initial=initial, owners=owners)
    if submission.kind == SubmissionKind.CHANGE:
        form.fields["owner"].required = False
    decided = submission.status != SubmissionStatus.PENDING
    if request.method == "POST" and not decided:
        if request.POST.get("decision") == "reject":
            message = request.POST.get("message", "").strip()
            if not message:
                form.add_error("message", _("Bitte begründen Sie die Ablehnung für die einreichende Person."))
            else:
                services.submission_reject(acting_user=actor(request), submission=submission, message=message)
                messages.success(request, _("Vorschlag abgelehnt."))
                return redirect("directory_staff:submissions")
        elif form.is_valid():
            owner = form.cleaned_data.get("owner") or (submission.offer.owner if submission.offer else None)
            if owner is None:
                raise Http404
            offer = services.submission_approve(
                acting_user=actor(request),
                submission=submission,
                owner=owner,
                data=form.offer_data(),
                gemeinde=form.cleaned_data.get("gemeinde"),
                message=form.cleaned_data.get("message", ""),
            )
            messages.success(request, _("Vorschlag angenommen und veröffentlicht."))
            return redirect("directory_staff:offer", offer.pk)
    return render(
        request,
        "directory/staff/submission_detail.html",
        {
            "submission": submission,
            "form": form,
            "decided": decided,
            "original": submission.offer,
        },
    )


@staff_required(MODERATE)
def stale_list(request: HttpRequest) -> HttpResponse:
    offers = (
        Offer.objects.visible_to(request.user).stale().select_related("owner", "gemeinde").order_by("last_confirmed_at")
    )
    page = Paginator(offers, 50).get_page(request.GET.get("seite"))
    return render(request, "directory/staff/stale_list.html", {"page": page, "days": settings.DIRECTORY_STALE_DAYS})
