"""Status reports: build from the current data (snapshot), view the HTML edition, download, publish."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.accounts.access import staff_required
from teilhabe.audit.services import record
from teilhabe.concept import access, forms, report


@staff_required("concept.manage")
@require_POST
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    version = access.get_version(request, pk, manage=True)
    form = forms.StatusReportForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, str(errors[0]))
        return redirect("concept_staff:version", version.pk)
    built = report.report_build(
        acting_user=request.user,
        version=version,
        title=form.cleaned_data["title"],
        period_start=form.cleaned_data["period_start"],
        period_end=form.cleaned_data["period_end"],
    )
    messages.success(request, _("Sachstandsbericht erstellt."))
    return redirect("concept_staff:report", built.pk)


@staff_required("concept.view")
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    status_report = access.get_report(request, pk)
    return render(
        request,
        "concept/report.html",
        {
            "report": status_report,
            "data": status_report.snapshot,
            "fields": report.html_fields(status_report.snapshot),
            "staff": True,
            "manage": access.can_manage(request.user, status_report.version.concept),
        },
    )


@staff_required("concept.view")
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    status_report = access.get_report(request, pk)
    if not status_report.pdf:
        raise Http404
    record("concept.report_download", actor=request.user, organisation=status_report.version.owner, obj=status_report)
    response = HttpResponse(bytes(status_report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sachstandsbericht-{status_report.pk}.pdf"'
    return response


@staff_required("concept.manage")
@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    status_report = access.get_report(request, pk)
    if not access.can_manage(request.user, status_report.version.concept):
        raise Http404
    report.report_publish(acting_user=request.user, report=status_report, public=not status_report.is_public)
    messages.success(request, _("Veröffentlichung geändert."))
    return redirect("concept_staff:report", status_report.pk)
