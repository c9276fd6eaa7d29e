"""Public HTML edition of published reports: overview, one page per chapter, methods, PDF download."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from teilhabe.reports.content import ReportContent, build_content, geometries_for, section_charts
from teilhabe.reports.models import ReportEdition
from teilhabe.reports.services import previous_snapshot


def _published_or_404(slug: str) -> ReportEdition:
    edition = (
        ReportEdition.objects.published().select_related("definition", "published_build").filter(slug=slug).first()
    )
    if edition is None:
        raise Http404
    return edition


def _content(edition: ReportEdition) -> ReportContent:
    assert edition.published_build is not None  # guaranteed by published()
    return build_content(edition, edition.published_build.snapshot or {}, previous_snapshot(edition))


def index(request: HttpRequest) -> HttpResponse:
    editions = ReportEdition.objects.published().select_related("definition")
    return render(request, "reports/index.html", {"editions": editions})


def edition(request: HttpRequest, slug: str) -> HttpResponse:
    obj = _published_or_404(slug)
    return render(request, "reports/edition.html", {"edition": obj, "report": _content(obj)})


def chapter(request: HttpRequest, slug: str, theme: str) -> HttpResponse:
    obj = _published_or_404(slug)
    report = _content(obj)
    current = report.chapter(theme)
    if current is None:
        raise Http404
    snapshot: dict[str, Any] = obj.published_build.snapshot or {}  # type: ignore[union-attr]
    geometries = geometries_for(snapshot)
    sections = [(s, *section_charts(s, report.kreis_name, geometries)) for s in current.sections]
    index = report.chapters.index(current)
    return render(
        request,
        "reports/chapter.html",
        {
            "edition": obj,
            "report": report,
            "chapter": current,
            "sections": sections,
            "prev_chapter": report.chapters[index - 1] if index > 0 else None,
            "next_chapter": report.chapters[index + 1] if index + 1 < len(report.chapters) else None,
        },
    )


def methods(request: HttpRequest, slug: str) -> HttpResponse:
    obj = _published_or_404(slug)
    return render(request, "reports/methods.html", {"edition": obj, "report": _content(obj)})


def pdf(request: HttpRequest, slug: str) -> HttpResponse:
    obj = _published_or_404(slug)
    build = obj.published_build
    assert build is not None
    response = HttpResponse(bytes(build.pdf or b""), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{obj.slug}.pdf"'
    return response
