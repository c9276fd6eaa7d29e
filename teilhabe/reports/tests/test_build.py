"""Build pipeline: golden PDF text, snapshot reproducibility, deltas, task queue."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from teilhabe.indicators.models import IndicatorValue, Level
from teilhabe.reports import services
from teilhabe.reports.content import build_content
from teilhabe.reports.models import BuildStatus, ReportBuild

pytestmark = pytest.mark.django_db


def _text(build: ReportBuild) -> str:
    reader = PdfReader(io.BytesIO(bytes(build.pdf or b"")))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def snap(build: ReportBuild | None) -> dict[str, Any]:
    assert build is not None and build.snapshot is not None
    return dict(build.snapshot)


def _built(edition: Any, **kwargs: Any) -> ReportBuild:
    build = services.build_request(acting_user=None, edition=edition, enqueue=False, **kwargs)
    build = services.run_build(build.pk)
    assert build.status == BuildStatus.DONE, build.error
    return build


def _kreis_value(code: str, year: int) -> IndicatorValue:
    from django.conf import settings

    return IndicatorValue.objects.get(
        indicator__code=code, category="", level=Level.KREIS, region=settings.TEILHABE_KREIS, year=year
    )


def test_golden_pdf_text(edition: Any) -> None:
    # Typst syntax in a commentary stays text: the template receives data, never markup.
    services.commentary_save(
        acting_user=None, chapter=edition.chapters.get(theme="A"), text='Formel #panic("x") und $x$ bleibt Text.'
    )
    build = _built(edition)
    assert len(snap(build)["indicators"]) == 3
    assert build.pdf_standard == "ua-1"
    assert bytes(build.pdf or b"").startswith(b"%PDF")
    text = _text(build)
    # Chapter titles (one per field of action) and the appendix.
    for title in ("Demografie und Bevölkerung", "Arbeitsmarkt und Lebensunterhalt", "Methoden und Quellen"):
        assert title in text
    assert "Inhalt" in text and "Zusammenfassung" in text
    # A known Kreis value in German format, and the suppression mark with its legend.
    content = build_content(edition, snap(build))
    section = next(s for c in content.chapters for s in c.sections if s.code == content.key_figures[0].code)
    assert section.kreis[-1].text in text
    assert "," in section.kreis[-1].text
    assert "•" in text and "gesperrt" in text
    assert "Die Beschäftigung steigt." in text  # chapter commentary
    assert '#panic("x") und $x$ bleibt Text.' in text
    assert "GeoBasis-DE / BKG" in text and "Zensus 2022" in text and "INKAR" in text
    assert "Seite 3 von" in text  # page numbers


def test_snapshot_marks_suppression(edition: Any) -> None:
    build = _built(edition)
    code, row = next((c, e) for c, entries in snap(build)["values"].items() for e in entries if e[4])
    assert row[3] is None
    stored = IndicatorValue.objects.filter(indicator__code=code, level=row[0], region=row[1], year=row[2])
    assert row[4] in {v.suppression for v in stored}
    # Only published numbers: no raw numerators anywhere in the snapshot.
    assert "numerator" not in str(snap(build))


def test_rebuild_uses_snapshot_after_new_data(edition: Any) -> None:
    first = _built(edition)
    code = snap(first)["indicators"][0]["code"]
    value = _kreis_value(code, 2024)
    old_text = build_content(edition, snap(first)).chapters[0].sections[0].kreis[-1].text
    value.published_value = (value.published_value or 0) + 11.1
    value.save()
    second = _built(edition)
    assert second.snapshot_from_id == first.pk
    assert second.snapshot_sha256 == first.snapshot_sha256
    assert old_text in _text(second)
    assert build_content(edition, snap(second)).chapters[0].sections[0].kreis[-1].text == old_text
    # An explicit refresh on a draft takes the new data.
    third = _built(edition, refresh_data=True)
    assert third.snapshot_sha256 != first.snapshot_sha256


def test_new_edition_shows_deltas(edition: Any, koordination: Any) -> None:
    _built(edition)
    newer = services.edition_create(
        acting_user=koordination,
        definition=edition.definition,
        title="Integrationsbericht 2025",
        slug="bericht-2025",
        stichtag=date(2025, 12, 31),
        years=[2022, 2023, 2024],
    )
    assert newer.previous == edition
    code = snap(edition.latest_done_build())["indicators"][0]["code"]
    value = _kreis_value(code, 2024)
    value.published_value = (value.published_value or 0) + 2.5
    value.save()
    build = _built(newer)
    content = build_content(newer, snap(build), services.previous_snapshot(newer))
    figure = next(k for k in content.key_figures if k.code == code)
    # Both editions end in 2024: the change is against 2023, never "2024 → 2024" (issue 13, example 2).
    assert figure.year == 2024 and figure.previous_year == 2023
    earlier = _kreis_value(code, 2023).published_value or 0
    delta = round((value.published_value or 0) - earlier, 1)
    assert figure.delta_text.lstrip("+") == f"{delta:.1f}".replace(".", ",").replace("-", "") or delta < 0
    assert figure.arrow == ("↑" if delta > 0 else "↓" if delta < 0 else "→")
    assert figure.arrow in _text(build)


def test_build_request_enqueues_task(edition: Any, koordination: Any, django_capture_on_commit_callbacks: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from teilhabe.audit.models import AuditEvent

    with django_capture_on_commit_callbacks(execute=True):
        build = services.build_request(acting_user=koordination, edition=edition)
    build.refresh_from_db()
    assert build.task_id
    assert DBTaskResult.objects.filter(id=build.task_id).exists()
    assert AuditEvent.objects.filter(action="report.build_request").exists()
    services.run_build(build.pk)
    assert ReportBuild.objects.get(pk=build.pk).progress == 100
