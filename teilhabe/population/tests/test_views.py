"""Staff routes: access control on every route, the upload → report → commit flow, exports and audit."""

from __future__ import annotations

import io
import uuid
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from teilhabe.accounts.roles import Role
from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import login_verified, make_user
from teilhabe.lib.disclosure import SUPPRESSED_MARK
from teilhabe.population import services
from teilhabe.population.models import RegisterImport
from teilhabe.population.tests.helpers import csv_text, row, valid_rows

pytestmark = pytest.mark.usefixtures("regions")
STICHTAG = date(2025, 12, 31)


def _routes(pk: uuid.UUID) -> list[tuple[str, str]]:
    return [
        ("get", reverse("population:home")),
        ("post", reverse("population:upload")),
        ("get", reverse("population:report", args=[pk])),
        ("get", reverse("population:failed_rows", args=[pk])),
        ("post", reverse("population:commit", args=[pk])),
        ("post", reverse("population:discard", args=[pk])),
        ("get", reverse("population:tables")),
        ("get", reverse("population:export", args=["csv"])),
        ("get", reverse("population:export", args=["xlsx"])),
        ("get", reverse("population:comparison")),
    ]


@pytest.fixture
def statistik(personas: Any) -> Any:
    return make_user("stefanie", personas.landkreis, Role.STATISTIK)


@pytest.fixture
def committed(personas: Any, statistik: Any, django_capture_on_commit_callbacks: Any) -> Any:
    register_import = services.register_import_check(
        acting_user=statistik,
        owner=personas.landkreis,
        data=csv_text(*valid_rows(30)).encode(),
        filename="a.csv",
        stichtag=STICHTAG,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.register_import_commit(acting_user=statistik, register_import=register_import)
    return register_import


def test_anonymous_is_sent_to_login(committed: Any) -> None:
    client = Client()
    for method, url in _routes(committed.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/konto/anmelden/" in response["Location"], url


def test_users_without_population_permission_get_403(personas: Any, committed: Any) -> None:
    for user in (personas.charlie, personas.alice, personas.dpo):
        client = login_verified(Client(), user)
        for method, url in _routes(committed.pk):
            assert getattr(client, method)(url).status_code == 403, (user, url)


def test_coordination_sees_tables_but_no_microdata(personas: Any, committed: Any) -> None:
    koordination = make_user("kai", personas.landkreis, Role.KOORDINATION)
    client = login_verified(Client(), koordination)
    assert client.get(reverse("population:tables")).status_code == 200
    for name in ("population:report", "population:failed_rows"):
        assert client.get(reverse(name, args=[committed.pk])).status_code == 403


def test_statistics_role_of_another_organisation_gets_404(personas: Any, committed: Any) -> None:
    other = make_user("otto", personas.org_b, Role.STATISTIK)
    client = login_verified(Client(), other)
    for name in ("population:report", "population:failed_rows"):
        assert client.get(reverse(name, args=[committed.pk])).status_code == 404
    for name in ("population:commit", "population:discard"):
        assert client.post(reverse(name, args=[committed.pk])).status_code == 404
    assert client.get(reverse("population:tables")).status_code == 404
    assert client.get(reverse("population:comparison")).status_code == 404


def test_upload_report_failed_rows_and_commit(
    personas: Any, statistik: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = login_verified(Client(), statistik)
    data = csv_text(*valid_rows(), row("BAD", geschlecht="q")).encode("cp1252")
    response = client.post(
        reverse("population:upload"),
        {"datei": SimpleUploadedFile("auszug.csv", data, content_type="text/csv"), "stichtag": "2025-12-31"},
    )
    assert response.status_code == 302
    register_import = RegisterImport.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "E_GESCHLECHT" in page and "Geschlecht muss m, w, d oder x sein." in page
    failed = client.get(reverse("population:failed_rows", args=[register_import.pk])).content.decode("utf-8-sig")
    lines = failed.strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("15;BAD;") and "E_GESCHLECHT" in lines[1]
    assert AuditEvent.objects.filter(action="export", object_id=str(register_import.pk)).exists()
    # Plain commit is refused (nothing stored), valid rows only works.
    client.post(reverse("population:commit", args=[register_import.pk]))
    register_import.refresh_from_db()
    assert register_import.status == RegisterImport.Status.CHECKED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("population:commit", args=[register_import.pk]), {"nur_fehlerfreie": "1"})
    register_import.refresh_from_db()
    assert register_import.status == RegisterImport.Status.COMMITTED and register_import.valid_rows_only


def test_a_refused_upload_shows_the_same_overview_as_the_page_itself_plus_the_error(statistik: Any) -> None:
    """Found by trying the product: the error page after a refused upload lost the overview's links and its list
    of checks and showed the text meant for a Gemeinde without released tables."""
    client = login_verified(Client(), statistik)
    services.register_import_check(
        acting_user=statistik,
        owner=statistik.memberships.first().organisation,
        data=csv_text(*valid_rows()).encode(),
        filename="frueher.csv",
        stichtag=STICHTAG,
    )
    overview = client.get(reverse("population:home")).content.decode()
    response = client.post(
        reverse("population:upload"),
        {"datei": SimpleUploadedFile("auszug", b"a;b\n1;2\n", content_type="text/plain"), "stichtag": "2025-12-31"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "frueher.csv" in overview and "frueher.csv" in page
    assert "Für Ihre Gemeinde" not in overview and "Für Ihre Gemeinde" not in page
    assert 'class="kern-alert kern-alert--danger"' in page or "errorlist" in page or "kern-error" in page


def test_tables_exports_and_comparison_are_protected_and_audited(statistik: Any, committed: Any) -> None:
    client = login_verified(Client(), statistik)
    page = client.get(reverse("population:tables")).content.decode()
    assert SUPPRESSED_MARK in page and "Migrationshintergrund" in page
    gemeinde = client.get(reverse("population:tables"), {"ebene": "gemeinde", "gebiet": "12073008"})
    assert gemeinde.status_code == 200
    unknown = client.get(reverse("population:tables"), {"ebene": "gemeinde", "gebiet": "99999999"})
    assert unknown.status_code == 200 and "keine Zahlen" in unknown.content.decode()
    csv_response = client.get(reverse("population:export", args=["csv"]))
    body = csv_response.content.decode("utf-8-sig")
    assert csv_response["Content-Type"].startswith("text/csv") and SUPPRESSED_MARK in body
    xlsx = client.get(reverse("population:export", args=["xlsx"]))
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert len(workbook.sheetnames) >= 10
    values = [c for ws in workbook for r in ws.iter_rows(values_only=True) for c in r if isinstance(c, int)]
    assert values and all(v == 0 or v >= 3 for v in values)
    assert AuditEvent.objects.filter(action="export", object_id=str(committed.pk)).count() == 2
    comparison = client.get(reverse("population:comparison")).content.decode()
    assert "Zensus 2022" in comparison and "Karteileichen" in comparison
    assert AuditEvent.objects.filter(action="read", object_id=str(committed.pk)).count() >= 2
