"""Status report (Sachstandsbericht) of an adopted concept version: snapshot → Typst PDF and HTML.

Uses the report engine's pieces (bundled Fira Sans fonts, Vega-Lite charts rendered to SVG, Typst with
PDF/UA-1 and a tagged-PDF fallback). All text comes from a JSON snapshot taken once; the PDF and the HTML
edition are rendered from that snapshot only, and the Typst document carries no date, so the same
snapshot always gives the same PDF bytes (reproducible, decision 0084).

Snapshot shape: ``{"title", "kreis", "concept", "version": {...}, "period": {"start", "end"},
"taken_at", "fields": [{"title", "goals": [{"title", "state", "state_label", "targets": [...],
"measures": [...]}]}], "status_counts": [[label, n]], "overdue": [...], "decisions": [...]}``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from teilhabe.audit.services import record
from teilhabe.concept.attainment import BEHIND, NO_DATA, ON_TRACK, REACHED, goal_attainment, measure_progress
from teilhabe.concept.charts import chart_points, chart_title
from teilhabe.concept.models import (
    ActionItem,
    ConceptVersion,
    Decision,
    MeasureStatus,
    StatusReport,
)
from teilhabe.indicators import charts
from teilhabe.indicators.dashboard import format_number
from teilhabe.reports.content import FONT_DIR, register_fonts

TEMPLATE = Path(__file__).resolve().parent / "typst" / "status.typ"


def _d(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "–"


def take_snapshot(version: ConceptVersion, *, period_start: date, period_end: date, title: str) -> dict[str, Any]:
    """Everything the report shows, as plain strings and numbers (published, unsuppressed values only)."""
    from teilhabe.regions.models import Gemeinde, Kreis

    kreis = Kreis.objects.filter(ags=settings.TEILHABE_KREIS).first()
    names = dict(Gemeinde.objects.filter(kreis_id=settings.TEILHABE_KREIS).values_list("ags", "name"))
    fields = []
    status_counts = {s.value: 0 for s in MeasureStatus}
    summary: list[list[str]] = []
    for fld in version.fields.prefetch_related(
        "goals__targets__indicator", "goals__measures__milestones", "goals__measures__owner"
    ):
        goals = []
        for goal in fld.goals.all():
            attainment = goal_attainment(goal, gemeinden=names)
            targets = []
            for t in attainment.targets:
                k = t.kreis
                unit = t.target.indicator.unit
                targets.append(
                    {
                        "code": t.target.indicator.code,
                        "name": t.target.indicator.name_de,
                        "unit": unit,
                        "baseline": f"{format_number(k.baseline_value)} ({k.baseline_year})",
                        "latest": f"{format_number(k.latest_value)} ({k.latest_year})" if k.latest_year else "–",
                        "target": f"{format_number(k.target_value)} ({_d(k.target_date)})",
                        "direction": t.target.get_direction_display(),
                        "percent": "–" if k.percent is None else f"{k.percent} %",
                        "state": k.state,
                        "state_label": k.state_label,
                        "suppressed_years": k.suppressed_years,
                        "points": [[s, y, v] for s, y, v in chart_points(t)],
                        "chart_title": chart_title(t),
                        "gemeinden": [
                            [
                                g.region_name,
                                g.state_label,
                                f"{format_number(g.latest_value)} ({g.latest_year})" if g.latest_year else "–",
                            ]
                            for g in t.gemeinden
                        ],
                    }
                )
            measures = []
            for m in goal.measures.all():
                status_counts[m.status] += 1
                progress = measure_progress(m, period_end)
                measures.append(
                    {
                        "title": m.title,
                        "owner": m.owner.name,
                        "status": m.get_status_display(),
                        "milestones": f"{progress.done}/{progress.total}" if progress.total else "–",
                    }
                )
            goals.append(
                {
                    "title": goal.title,
                    "state": attainment.state,
                    "state_label": attainment.state_label,
                    "targets": targets,
                    "measures": measures,
                }
            )
        fields.append({"title": fld.title, "description": fld.description, "goals": goals})
        counts = [sum(1 for g in goals if g["state"] == s) for s in (REACHED, ON_TRACK, BEHIND, NO_DATA)]
        summary.append(
            [fld.title, str(len(goals)), *[str(n) for n in counts], str(sum(len(g["measures"]) for g in goals))]
        )
    owner = version.concept.owner
    overdue = (
        ActionItem.objects.overdue(period_end)
        .filter(decision__meeting__body__owner=owner)
        .select_related("owner", "decision__meeting__body")
        .order_by("due_date", "pk")
    )
    decisions = (
        Decision.objects.filter(
            meeting__body__owner=owner,
            meeting__starts_at__date__gte=period_start,
            meeting__starts_at__date__lte=period_end,
        )
        .select_related("meeting__body")
        .order_by("meeting__starts_at", "pk")
    )
    return {
        "title": title,
        "kreis": kreis.name if kreis else settings.TEILHABE_KREIS,
        "concept": version.concept.title,
        "version": {
            "number": version.number,
            "title": version.title,
            "decision": (
                f"beschlossen von {version.decision_body} am {_d(version.decision_date)}, Drucksache {version.drucksache}"
                if version.is_frozen
                else "Entwurf (noch nicht beschlossen)"
            ),
        },
        "period": {"start": _d(period_start), "end": _d(period_end)},
        "taken_at": timezone.localtime().strftime("%d.%m.%Y %H:%M"),
        "fields": fields,
        "status_counts": [[str(MeasureStatus(k).label), n] for k, n in status_counts.items()],
        "field_summary": summary,
        "overdue": [
            {
                "title": i.title,
                "owner": i.owner.name,
                "due": _d(i.due_date),
                "body": i.decision.meeting.body.name,
            }
            for i in overdue
        ],
        "decisions": [
            {
                "date": _d(timezone.localtime(d.meeting.starts_at).date()),
                "body": d.meeting.body.name,
                "kind": d.get_kind_display(),
                "text": d.text,
            }
            for d in decisions
        ],
    }


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def render_pdf(snapshot: dict[str, Any]) -> tuple[bytes, str]:
    """(PDF bytes, "ua-1" or "tagged") from a snapshot alone."""
    import typst

    register_fonts()
    workdir = Path(tempfile.mkdtemp(prefix="teilhabe-status-"))
    try:
        (workdir / "charts").mkdir()
        data = json.loads(json.dumps(snapshot))
        n = 0
        for fld in data["fields"]:
            for goal in fld["goals"]:
                for t in goal["targets"]:
                    svg = charts.time_series_svg(
                        [tuple(p) for p in t["points"]], title=t["chart_title"], unit=t["unit"]
                    )
                    t["chart"] = ""
                    if svg:
                        n += 1
                        t["chart"] = f"charts/ziel-{n}.svg"
                        (workdir / t["chart"]).write_text(svg.replace(' class="chart-svg"', "", 1), encoding="utf-8")
                    t["alt"] = (
                        f"{t['chart_title']}. Ausgangswert {t['baseline']}, zuletzt {t['latest']}, Ziel {t['target']}: "
                        f"{t['state_label']}."
                    )
        (workdir / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        shutil.copy(TEMPLATE, workdir / "status.typ")
        options: dict[str, Any] = {"root": str(workdir), "font_paths": [str(FONT_DIR)], "ignore_system_fonts": True}
        try:
            pdf = typst.compile(str(workdir / "status.typ"), pdf_standards=["ua-1"], **options)
            standard = "ua-1"
        except RuntimeError:
            pdf = typst.compile(str(workdir / "status.typ"), **options)
            standard = "tagged"
        return bytes(pdf or b""), standard
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def report_build(
    *, acting_user: Any, version: ConceptVersion, title: str, period_start: date, period_end: date
) -> StatusReport:
    snapshot = take_snapshot(version, period_start=period_start, period_end=period_end, title=title)
    pdf, standard = render_pdf(snapshot)
    with transaction.atomic():
        report = StatusReport.objects.create(
            version=version,
            title=title,
            period_start=period_start,
            period_end=period_end,
            snapshot=snapshot,
            snapshot_sha256=snapshot_hash(snapshot),
            pdf=pdf,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            pdf_standard=standard,
            created_by=acting_user,
        )
        record(
            "concept.report_build",
            actor=acting_user,
            organisation=version.owner,
            obj=report,
            extra={"snapshot_sha256": report.snapshot_sha256, "pdf_sha256": report.pdf_sha256},
        )
    return report


def report_publish(*, acting_user: Any, report: StatusReport, public: bool = True) -> StatusReport:
    with transaction.atomic():
        report.is_public = public
        report.save(update_fields=["is_public"])
        record(
            "concept.report_publish",
            actor=acting_user,
            organisation=report.version.owner,
            obj=report,
            changed_fields=["is_public"],
        )
    return report


def html_fields(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """The snapshot's fields for the HTML edition, each target with its chart (SVG) rendered from the snapshot."""
    fields = json.loads(json.dumps(snapshot["fields"]))
    for fld in fields:
        for goal in fld["goals"]:
            for t in goal["targets"]:
                t["svg"] = charts.time_series_svg(
                    [tuple(p) for p in t["points"]], title=t["chart_title"], unit=t["unit"]
                )
    return fields
