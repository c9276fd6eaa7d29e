"""Staff routes (access, audit) and the public HTML edition."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import login_verified
from teilhabe.reports import services
from teilhabe.reports.models import BuildStatus, EditionStatus, ReportBuild, ReportEdition

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(edition: Any) -> ReportBuild:
    build = services.build_request(acting_user=None, edition=edition, enqueue=False)
    build = services.run_build(build.pk)
    assert build.status == BuildStatus.DONE, build.error
    return build


def _routes(edition: Any, build: ReportBuild) -> list[tuple[str, str]]:
    chapter = edition.chapters.first()
    return [
        ("get", reverse("reports_staff:edition", args=[edition.pk])),
        ("get", reverse("reports_staff:edition_edit", args=[edition.pk])),
        ("get", reverse("reports_staff:edition_create", args=[edition.definition_id])),
        ("get", reverse("reports_staff:chapter", args=[chapter.pk])),
        ("get", reverse("reports_staff:build_status", args=[build.pk])),
        ("get", reverse("reports_staff:build_pdf", args=[build.pk])),
        ("post", reverse("reports_staff:build_create", args=[edition.pk])),
        ("post", reverse("reports_staff:edition_publish", args=[edition.pk])),
        ("get", reverse("reports_staff:preview_edition", args=[edition.pk])),
        ("get", reverse("reports_staff:preview_chapter", args=[edition.pk, "e"])),
        ("get", reverse("reports_staff:preview_methods", args=[edition.pk])),
        ("get", reverse("reports_staff:preview_pdf", args=[edition.pk])),
    ]


def test_anonymous_is_sent_to_login(edition: Any, built: ReportBuild) -> None:
    client = Client()
    for method, url in [("get", reverse("reports_staff:index")), *_routes(edition, built)]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"]


def test_charlie_in_org_b_gets_403_or_404(
    edition: Any, built: ReportBuild, personas: Any, charlie_koordination: Any
) -> None:
    plain = login_verified(Client(), personas.bob)  # no report permission at all
    assert plain.get(reverse("reports_staff:index")).status_code == 403
    client = login_verified(Client(), charlie_koordination)
    index = client.get(reverse("reports_staff:index"))
    assert index.status_code == 200
    assert edition.title not in index.content.decode()
    for method, url in _routes(edition, built):
        assert getattr(client, method)(url, {"confirm": "on"}).status_code == 404, url
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT


def test_editor_edits_commentary_with_history(edition: Any, koordination: Any) -> None:
    client = login_verified(Client(), koordination)
    chapter = edition.chapters.get(theme="A")
    url = reverse("reports_staff:chapter", args=[chapter.pk])
    for text in ("Erste Fassung", "Zweite Fassung mit <b>HTML</b>"):
        response = client.post(url, {"title": chapter.title, "text": text})
        assert response.status_code == 302
    assert list(chapter.revisions.values_list("text", flat=True)) == ["Zweite Fassung mit <b>HTML</b>", "Erste Fassung"]
    page = client.get(url).content.decode()
    assert "Erste Fassung" in page and "&lt;b&gt;HTML&lt;/b&gt;" in page
    assert AuditEvent.objects.filter(action="report.commentary_save", object_id=str(chapter.pk)).count() == 2


def test_build_download_and_publish_are_audited(edition: Any, built: ReportBuild, koordination: Any) -> None:
    client = login_verified(Client(), koordination)
    page = client.get(reverse("reports_staff:edition", args=[edition.pk])).content.decode()
    assert "Herunterladen" in page and "ua-1" in page
    status = client.get(reverse("reports_staff:build_status", args=[built.pk])).json()
    assert status["progress"] == 100 and status["finished"]
    pdf = client.get(reverse("reports_staff:build_pdf", args=[built.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="report.build_download", object_id=str(built.pk)).exists()
    # Public pages do not exist before publication.
    assert Client().get(reverse("reports:edition", args=[edition.slug])).status_code == 404
    # Without confirmation nothing happens.
    client.post(reverse("reports_staff:edition_publish", args=[edition.pk]))
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT
    response = client.post(reverse("reports_staff:edition_publish", args=[edition.pk]), {"confirm": "on"})
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.status == EditionStatus.PUBLISHED and edition.published_build_id == built.pk
    event = AuditEvent.objects.get(action="report.publish")
    assert event.object_id == str(edition.pk) and event.extra["build"] == built.pk
    # Published editions are frozen.
    chapter = edition.chapters.first()
    assert (
        client.post(reverse("reports_staff:chapter", args=[chapter.pk]), {"title": "x", "text": "y"}).status_code == 404
    )


def test_public_html_edition(edition: Any, built: ReportBuild) -> None:
    services.edition_publish(acting_user=None, edition=edition, build=built)
    client = Client()
    overview = client.get(reverse("reports:edition", args=[edition.slug])).content.decode()
    assert "Kernaussagen" in overview and "Synthetische Demodaten" in overview
    assert '<a class="kern-link" href="https://example.org">Link</a>' in overview
    chapter = client.get(reverse("reports:chapter", args=[edition.slug, "e"])).content.decode()
    assert "Die Beschäftigung steigt." in chapter
    assert "<svg" in chapter and 'role="img"' in chapter and "<table" in chapter
    assert client.get(reverse("reports:chapter", args=[edition.slug, "z"])).status_code == 404
    methods = client.get(reverse("reports:methods", args=[edition.slug])).content.decode()
    assert "GeoBasis-DE / BKG" in methods and "Statistische Geheimhaltung" in methods
    pdf = client.get(reverse("reports:pdf", args=[edition.slug]))
    assert pdf.content == bytes(built.pdf or b"")
    assert edition.title in client.get(reverse("reports:index")).content.decode()


def test_create_definition_and_edition_via_forms(monitoring: None, personas: Any, koordination: Any) -> None:
    client = login_verified(Client(), koordination)
    response = client.post(reverse("reports_staff:index"), {"title": "Reihe", "owner": personas.org_a.pk})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="report.definition_create").exists()
    create_url = response["Location"]
    bad = client.post(create_url, {"title": "A", "slug": "a-1", "stichtag": "2024-12-31", "years": "2022, zwei"})
    assert "ist kein Jahr" in bad.content.decode()
    ok = client.post(create_url, {"title": "A", "slug": "a-1", "stichtag": "2024-12-31", "years": "2024, 2023"})
    assert ok.status_code == 302
    edition = ReportEdition.objects.get(slug="a-1")
    assert edition.years == [2023, 2024]
    assert [c.theme for c in edition.chapters.all()] == list("ABCDEFGHI")


def test_preview_before_publishing_and_no_rebuild_after(edition: Any, built: ReportBuild, koordination: Any) -> None:
    import re

    client = login_verified(Client(), koordination)
    page = client.get(reverse("reports_staff:edition", args=[edition.pk])).content.decode()
    assert "fertig – fertig" not in page
    assert re.search(r"\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} Uhr", page)  # Datenstand as a date, not a hash alone
    preview = client.get(reverse("reports_staff:preview_edition", args=[edition.pk])).content.decode()
    assert "Vorschau" in preview and "Kernaussagen" in preview
    assert reverse("reports_staff:preview_chapter", args=[edition.pk, "e"]) in preview
    assert reverse("reports:chapter", args=[edition.slug, "e"]) not in preview
    chapter = client.get(reverse("reports_staff:preview_chapter", args=[edition.pk, "e"])).content.decode()
    assert "Die Beschäftigung steigt." in chapter
    client.post(reverse("reports_staff:edition_publish", args=[edition.pk]), {"confirm": "on"})
    page = client.get(reverse("reports_staff:edition", args=[edition.pk])).content.decode()
    assert "Bericht erstellen" not in page
    builds = ReportBuild.objects.filter(edition=edition).count()
    client.post(reverse("reports_staff:build_create", args=[edition.pk]))
    assert ReportBuild.objects.filter(edition=edition).count() == builds
