"""Staff preview of an unpublished edition: the same HTML pages as the public edition, from the latest finished
build, so the office reads what it will publish before it publishes."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from teilhabe.accounts.access import staff_required
from teilhabe.audit.services import Action, record
from teilhabe.reports.content import build_content, geometries_for, section_charts
from teilhabe.reports.models import BuildStatus, ReportBuild, ReportEdition
from teilhabe.reports.services import previous_snapshot
from teilhabe.reports.staff_views import PERMISSION, get_edition_for_user


def _previewable(request: HttpRequest, pk: int) -> tuple[ReportEdition, ReportBuild]:
    edition = get_edition_for_user(request, pk)
    build = edition.builds.filter(status=BuildStatus.DONE).defer("pdf").first()
    if build is None:
        raise Http404
    return edition, build


def _context(edition: ReportEdition, build: ReportBuild) -> dict[str, Any]:
    return {
        "edition": edition,
        "report": build_content(edition, build.snapshot or {}, previous_snapshot(edition)),
        "preview": True,
        "build": build,
    }


@staff_required(PERMISSION)
def preview_edition(request: HttpRequest, pk: int) -> HttpResponse:
    edition, build = _previewable(request, pk)
    record(Action.READ, actor=request.user, obj=edition, purpose="Vorschau einer Berichtsausgabe")
    return render(request, "reports/edition.html", _context(edition, build))


@staff_required(PERMISSION)
def preview_chapter(request: HttpRequest, pk: int, theme: str) -> HttpResponse:
    edition, build = _previewable(request, pk)
    context = _context(edition, build)
    report = context["report"]
    current = report.chapter(theme)
    if current is None:
        raise Http404
    geometries = geometries_for(build.snapshot or {})
    index = report.chapters.index(current)
    context.update(
        chapter=current,
        sections=[(s, *section_charts(s, report.kreis_name, geometries)) for s in current.sections],
        prev_chapter=report.chapters[index - 1] if index > 0 else None,
        next_chapter=report.chapters[index + 1] if index + 1 < len(report.chapters) else None,
    )
    return render(request, "reports/chapter.html", context)


@staff_required(PERMISSION)
def preview_methods(request: HttpRequest, pk: int) -> HttpResponse:
    edition, build = _previewable(request, pk)
    return render(request, "reports/methods.html", _context(edition, build))


@staff_required(PERMISSION)
def preview_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    edition, build = _previewable(request, pk)
    pdf = ReportBuild.objects.filter(pk=build.pk).values_list("pdf", flat=True).first()
    response = HttpResponse(bytes(pdf or b""), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="vorschau-{edition.slug}.pdf"'
    return response
