"""Issue 12, example 1: German numbers, ``nan`` never a 500, replacements show old → new and keep history,
plausibility warnings. One catalogue, small files."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from teilhabe.core.testing import login_verified
from teilhabe.indicators import plausibility
from teilhabe.indicators.importer import parse
from teilhabe.indicators.models import AgencyValue, AgencyValueRevision
from teilhabe.indicators.tests.conftest import put

pytestmark = pytest.mark.django_db
HEADER = "quellschluessel;ebene;ags;jahr;wert\n"
IMPORT_URL = "/staff/monitoring/aggregate/import/"


def _post(client: Client, personas: Any, content: str, *, commit: bool = False) -> str:
    data = {
        "organisation": personas.landkreis.pk,
        "file": SimpleUploadedFile("werte.csv", content.encode(), content_type="text/csv"),
    }
    data["commit" if commit else "dry_run"] = "1"
    response = client.post(IMPORT_URL, data)
    assert response.status_code in (200, 302), response.status_code
    return response.content.decode()


def test_german_thousands_in_a_count_is_1234_not_1_234(catalogue: None) -> None:
    parsed = parse((HEADER + "ew_auslaender;gemeinde;12073008;2024;1.234\n").encode(), "a.csv")
    assert parsed.ok and parsed.rows[0].value == 1234


def test_nan_in_dry_run_is_an_error_not_http_500(
    catalogue: None, personas: Any, statistik: Any, client: Client
) -> None:
    login_verified(client, statistik)
    html = _post(client, personas, HEADER + "ew_auslaender;gemeinde;12073008;2024;nan\n")
    assert "Zeile 2, Spalte „wert“" in html and "keine endliche Zahl" in html
    assert not AgencyValue.objects.exists()


def test_staff_form_1_210_is_1210(catalogue: None, personas: Any, statistik: Any, client: Client) -> None:
    login_verified(client, statistik)
    form = {
        "organisation": personas.landkreis.pk,
        "source_key": "ew_auslaender",
        "ags": "12073008",
        "year": 2024,
        "value": "1.210",
        "source_document": "Melderegister",
    }
    assert client.post("/staff/monitoring/aggregate/neu/", form).status_code == 302
    assert AgencyValue.objects.get(source_key="ew_auslaender", ags="12073008").value == 1210
    fraction = client.post("/staff/monitoring/aggregate/neu/", {**form, "value": "12,5"})
    assert fraction.status_code == 200 and "keine ganze Zahl" in fraction.content.decode()


def test_second_value_shows_old_to_new_and_keeps_history(
    catalogue: None, personas: Any, statistik: Any, client: Client
) -> None:
    login_verified(client, statistik)
    form = {
        "organisation": personas.landkreis.pk,
        "source_key": "ew_auslaender",
        "ags": "12073008",
        "year": 2024,
        "value": "1200",
        "source_document": "Melderegister",
    }
    client.post("/staff/monitoring/aggregate/neu/", form)
    response = client.post("/staff/monitoring/aggregate/neu/", {**form, "value": "1.234"}, follow=True)
    assert "1.200 → 1.234" in response.content.decode()
    history = AgencyValueRevision.objects.filter(source_key="ew_auslaender", ags="12073008", year=2024)
    assert [(r.old_value, r.new_value) for r in history] == [(None, 1200), (1200, 1234)]
    stored = AgencyValue.objects.get(ags="12073008")
    page = client.get(f"/staff/monitoring/aggregate/{stored.pk}/").content.decode()
    assert "Änderungshistorie" in page and "1.200 → 1.234" in page
    # The import's dry run says the same before anything is written.
    html = _post(client, personas, HEADER + "ew_auslaender;gemeinde;12073008;2024;1300\n")
    assert "1.234 → 1.300" in html and AgencyValue.objects.get(ags="12073008").value == 1234


def test_plausibility_warnings(catalogue: None, personas: Any) -> None:
    put("ew_auslaender", "12073008", 2023, 100, personas.landkreis)
    put("ew_auslaender", "12073", 2024, 150, personas.landkreis)
    put("ew_gesamt", "12073572", 2024, 50, personas.landkreis)
    content = (
        HEADER
        + "ew_auslaender;gemeinde;12073008;2024;300\n"  # factor 3 against 2023
        + "ew_auslaender;gemeinde;12073572;2024;80\n"  # 300 + 80 > Kreis 150; 80 foreigners of 50 inhabitants
    )
    parsed = parse(content.encode(), "a.csv")
    assert parsed.ok
    codes = {(w.row, w.code) for w in plausibility.warnings(parsed.rows)}
    assert (2, "W_CHANGE_FACTOR") in codes
    assert any(code == "W_GEMEINDEN_OVER_KREIS" for _r, code in codes)
    assert (3, "W_RATE_OVER_100") in codes
