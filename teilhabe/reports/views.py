"""Public HTML edition of published reports: overview, one page per chapter, methods, PDF download.

A published edition never changes (its build keeps the snapshot), so the title and content of each page are
rendered once per language into the fragment store (``teilhabe.indicators.fragments``) when the edition is
published (``prerender_jobs``) and read from there; the key names the edition, its build, its last change
and the previous edition's build (key figures compare with it).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from teilhabe.core import fragments
from teilhabe.reports.content import ReportContent, build_content, geometries_for, section_charts
from teilhabe.reports.models import ReportEdition
from teilhabe.reports.services import previous_snapshot


def _published_or_404(slug: str) -> ReportEdition:
    # The snapshot (a large JSON document) and the PDF are read only when needed, not for a stored page.
    edition = (
        ReportEdition.objects.published()
        .select_related("definition", "published_build", "previous")
        .defer("published_build__snapshot", "published_build__pdf")
        .filter(slug=slug)
        .first()
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


SPLIT = "<!--fragment-split-->"


def _key(obj: ReportEdition, page: str) -> str:
    previous = obj.previous.published_build_id if obj.previous_id and obj.previous else None
    version = (obj.published_build_id, obj.updated_at.isoformat() if obj.updated_at else "", previous)
    return fragments.key("report", page, get_language(), obj.pk, *version)


def _stored(
    request: HttpRequest, obj: ReportEdition, page: str, template: str, context: Callable[[], dict[str, Any]]
) -> HttpResponse:
    """Title and content of a page from the store; rendered (with ``_fragment.html`` as base) when missing."""

    def build() -> tuple[str, str]:
        html = render_to_string(template, {**context(), "base_template": "reports/_fragment.html"}, request)
        title, _sep, body = html.partition(SPLIT)
        return title.strip(), body

    title, body = fragments.get_or_build(_key(obj, page), build)
    return render(request, "reports/stored.html", {"page_title": mark_safe(title), "body": mark_safe(body)})


def edition(request: HttpRequest, slug: str) -> HttpResponse:
    obj = _published_or_404(slug)
    return _stored(request, obj, "edition", "reports/edition.html", lambda: {"edition": obj, "report": _content(obj)})


def chapter(request: HttpRequest, slug: str, theme: str) -> HttpResponse:
    obj = _published_or_404(slug)
    # An unknown theme raises Http404 inside the build, so nothing is stored for it.
    return _stored(request, obj, f"chapter:{theme}", "reports/chapter.html", lambda: _chapter_context(obj, theme))


def _chapter_context(obj: ReportEdition, theme: str) -> dict[str, Any]:
    report = _content(obj)
    current = report.chapter(theme)
    if current is None:
        raise Http404
    snapshot: dict[str, Any] = obj.published_build.snapshot or {}  # type: ignore[union-attr]
    geometries = geometries_for(snapshot)
    sections = [(s, *section_charts(s, report.kreis_name, geometries)) for s in current.sections]
    index = report.chapters.index(current)
    return {
        "edition": obj,
        "report": report,
        "chapter": current,
        "sections": sections,
        "prev_chapter": report.chapters[index - 1] if index > 0 else None,
        "next_chapter": report.chapters[index + 1] if index + 1 < len(report.chapters) else None,
    }


def methods(request: HttpRequest, slug: str) -> HttpResponse:
    obj = _published_or_404(slug)
    return _stored(request, obj, "methods", "reports/methods.html", lambda: {"edition": obj, "report": _content(obj)})


def prerender_jobs(make_request: Callable[[str], HttpRequest]) -> list[tuple[str, Callable[[], Any]]]:
    """(description, call) storing every page of every published edition (``indicators.prerender``)."""
    jobs: list[tuple[str, Callable[[], Any]]] = []
    for obj in (
        ReportEdition.objects.published().select_related("definition", "published_build").defer("published_build__pdf")
    ):
        themes = [c.slug for c in _content(obj).chapters]
        request = make_request("/berichte/")
        jobs.append((f"report {obj.slug}", partial(edition, request, obj.slug)))
        jobs.append((f"report {obj.slug} methods", partial(methods, request, obj.slug)))
        jobs += [(f"report {obj.slug} {theme}", partial(chapter, request, obj.slug, theme)) for theme in themes]
    return jobs


def pdf(request: HttpRequest, slug: str) -> HttpResponse:
    obj = _published_or_404(slug)
    build = obj.published_build
    assert build is not None
    response = HttpResponse(bytes(build.pdf or b""), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{obj.slug}.pdf"'
    return response
