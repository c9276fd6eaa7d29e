"""Public pages: the adopted concept with computed goal attainment, the organigram, status reports.

Only adopted versions marked public, responsibilities marked public and published status reports are
shown; goal attainment uses published, unsuppressed monitoring values only. Page texts are translated
(de, en, ar, fa, uk, ru, tr); the concept's own content stays in German (it is a council document).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.concept import report
from teilhabe.concept.attainment import goal_attainment, measure_progress
from teilhabe.concept.charts import target_chart
from teilhabe.concept.models import (
    Concept,
    ConceptVersion,
    Goal,
    MeasureStatus,
    Responsibility,
    StatusReport,
    VersionStatus,
)
from teilhabe.concept.organigram import organigram


def public_version() -> ConceptVersion | None:
    return (
        ConceptVersion.objects.filter(
            concept__kreis_ags=settings.TEILHABE_KREIS, status=VersionStatus.ADOPTED, is_public=True
        )
        .select_related("concept")
        .order_by("-decision_date", "-number")
        .first()
    )


def _names() -> dict[str, str]:
    from teilhabe.regions.models import Gemeinde

    return dict(Gemeinde.objects.filter(kreis_id=settings.TEILHABE_KREIS).values_list("ags", "name"))


def index(request: HttpRequest) -> HttpResponse:
    version = public_version()
    tree: list[dict[str, Any]] = []
    counts = {s: 0 for s in MeasureStatus.values}
    if version is not None:
        names = _names()
        today = timezone.localdate()
        for fld in version.fields.prefetch_related(
            "goals__targets__indicator", "goals__measures__milestones", "goals__measures__owner"
        ):
            goals = []
            for goal in fld.goals.all():
                measures = [(m, measure_progress(m, today)) for m in goal.measures.all()]
                for m, _p in measures:
                    counts[m.status] += 1
                goals.append({"goal": goal, "attainment": goal_attainment(goal, gemeinden=names), "measures": measures})
            tree.append({"field": fld, "goals": goals})
    reports = StatusReport.objects.filter(is_public=True, version__concept__kreis_ags=settings.TEILHABE_KREIS).defer(
        "pdf", "snapshot"
    )
    return render(
        request,
        "concept/public_index.html",
        {
            "version": version,
            "tree": tree,
            "counts": [(MeasureStatus(k).label, n) for k, n in counts.items()],
            "reports": reports,
            "has_organigram": Responsibility.objects.public().exists(),
        },
    )


def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = public_version()
    goal = Goal.objects.filter(pk=pk, field__version=version).select_related("field").first() if version else None
    if goal is None:
        raise Http404
    attainment = goal_attainment(goal, gemeinden=_names())
    return render(
        request,
        "concept/public_goal.html",
        {
            "version": version,
            "goal": goal,
            "attainment": attainment,
            "target_rows": [(t, target_chart(t)) for t in attainment.targets],
            "measures": [
                (m, measure_progress(m, timezone.localdate()))
                for m in goal.measures.select_related("owner").prefetch_related("milestones")
            ],
        },
    )


def organigram_page(request: HttpRequest) -> HttpResponse:
    items = Responsibility.objects.public().select_related("owner", "contact", "gemeinde")
    svg, roots = organigram(items, title=_("Organigramm der Zuständigkeiten"))
    return render(request, "concept/public_organigram.html", {"svg": svg, "roots": roots, "public": True})


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    status_report = StatusReport.objects.filter(pk=pk, is_public=True).first()
    if status_report is None:
        raise Http404
    return render(
        request,
        "concept/report.html",
        {
            "report": status_report,
            "data": status_report.snapshot,
            "fields": report.html_fields(status_report.snapshot),
            "staff": False,
        },
    )


def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    status_report = StatusReport.objects.filter(pk=pk, is_public=True).first()
    if status_report is None or not status_report.pdf:
        raise Http404
    response = HttpResponse(bytes(status_report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sachstandsbericht-{status_report.pk}.pdf"'
    return response


def concepts_exist() -> bool:
    return Concept.objects.exists()
