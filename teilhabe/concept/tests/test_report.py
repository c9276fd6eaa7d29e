"""Status report: golden PDF text (pypdf), reproducible from its snapshot, HTML edition, publication."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from teilhabe.audit.models import AuditEvent
from teilhabe.concept import network_services as net
from teilhabe.concept import report, services
from teilhabe.concept.models import BodyKind, MeasureStatus
from teilhabe.core.testing import login_verified

from .conftest import World, put

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def built(world: World):  # type: ignore[no-untyped-def]
    kreis = settings.TEILHABE_KREIS
    put(world.indicator, "kreis", kreis, 2020, 40.0)
    put(world.indicator, "kreis", kreis, 2022, 44.0)
    put(world.indicator, "kreis", kreis, 2023, 61.3, suppression="primary")
    services.milestone_save(
        acting_user=world.office_user,
        measure=world.measure_a,
        changes={"title": "Raum", "due_date": date(2025, 2, 1), "done_on": date(2025, 2, 3)},
    )
    services.milestone_save(
        acting_user=world.office_user,
        measure=world.measure_a,
        changes={"title": "Eröffnung", "due_date": date(2025, 9, 1)},
    )
    services.version_adopt(
        acting_user=world.office_user,
        version=world.concept.versions.get(),
        body="Kreistag",
        decision_date=date(2025, 3, 12),
        drucksache="DS 2025/041",
    )
    services.measure_save(
        acting_user=world.office_user,
        goal=world.goal,
        changes={"status": MeasureStatus.RUNNING},
        measure=world.measure_a,
    )
    office = world.p.landkreis
    gero = net.contact_save(
        acting_user=world.office_user, owner=office, changes={"name": "Gero Gemeinde", "email": "g@a.example"}
    )
    body = net.body_save(
        acting_user=world.office_user,
        owner=office,
        changes={"kind": BodyKind.RUNDER_TISCH, "name": "Runder Tisch Integration"},
    )
    meeting = net.meeting_save(
        acting_user=world.office_user,
        body=body,
        changes={
            "title": "Frühjahr",
            "starts_at": datetime(2025, 4, 2, 17, tzinfo=BERLIN),
            "ends_at": datetime(2025, 4, 2, 19, tzinfo=BERLIN),
        },
    )
    net.decision_add(
        acting_user=world.office_user,
        meeting=meeting,
        kind="decision",
        text="Der Runde Tisch empfiehlt ein Jobcafé in jeder Stadt.",
        action_title="Standorte vorschlagen",
        action_owner=gero,
        action_due=date(2025, 5, 1),
    )
    return report.report_build(
        acting_user=world.office_user,
        version=world.concept.versions.get(),
        title="Sachstandsbericht 2025",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
    )


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_golden_status_report_pdf_text(built) -> None:  # type: ignore[no-untyped-def]
    pdf = bytes(built.pdf)
    assert pdf.startswith(b"%PDF") and built.pdf_standard in ("ua-1", "tagged")
    text = " ".join(_text(pdf).split())
    for expected in (
        "Sachstandsbericht 2025",
        "Berichtszeitraum 01.01.2025 bis 30.06.2025",
        "Drucksache DS 2025/041",
        "Ziele nach Zielerreichung und Maßnahmen je Handlungsfeld",
        "Arbeitsmarkt und Lebensunterhalt",  # every field of action has a chapter
        "Demografie und Bevölkerung",
        "Mehr Beschäftigung",
        "auf Kurs",
        "40,0 (2020)",
        "44,0 (2022)",
        "50,0 (31.12.2030)",
        "40 %",
        "Gesperrt (nicht verwendet): 2023",
        "Jobcafé A",
        "laufend",
        "1/2",
        "Überfällige Aufgaben",
        "Standorte vorschlagen",
        "01.05.2025",
        "Der Runde Tisch empfiehlt ein Jobcafé in jeder Stadt.",
    ):
        assert expected in text, expected
    assert "61,3" not in text  # the suppressed value never appears
    assert AuditEvent.objects.filter(action="concept.report_build", object_id=str(built.pk)).exists()


def test_the_report_is_reproducible_from_its_snapshot(built) -> None:  # type: ignore[no-untyped-def]
    pdf, _standard = report.render_pdf(built.snapshot)
    assert pdf == bytes(built.pdf)
    assert report.snapshot_hash(built.snapshot) == built.snapshot_sha256


def test_html_edition_and_publication(built, world: World) -> None:  # type: ignore[no-untyped-def]
    office = login_verified(Client(), world.office_user)
    html = office.get(reverse("concept_staff:report", args=[built.pk])).content.decode()
    assert "Sachstandsbericht 2025" in html and "<svg" in html and "Standorte vorschlagen" in html
    assert Client().get(reverse("concept:report", args=[built.pk])).status_code == 404
    assert (
        login_verified(Client(), world.gero_a)
        .post(reverse("concept_staff:report_publish", args=[built.pk]))
        .status_code
        == 403
    )
    office.post(reverse("concept_staff:report_publish", args=[built.pk]))
    public = Client()
    assert "Sachstandsbericht 2025" in public.get(reverse("concept:report", args=[built.pk])).content.decode()
    assert public.get(reverse("concept:report_pdf", args=[built.pk])).content.startswith(b"%PDF")
    assert (
        login_verified(Client(), world.p.charlie).get(reverse("concept_staff:report_pdf", args=[built.pk])).status_code
        == 403
    )


def test_period_end_after_start(world: World) -> None:
    office = login_verified(Client(), world.office_user)
    version = world.concept.versions.get()
    office.post(
        reverse("concept_staff:report_create", args=[version.pk]),
        {"title": "x", "period_start": "2025-06-01", "period_end": "2025-01-01"},
    )
    assert not version.status_reports.exists()
