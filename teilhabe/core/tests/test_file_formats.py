"""Every upload form links its format description, and each example file passes its importer unchanged."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from teilhabe.core.file_formats import FORMATS
from teilhabe.core.staff_text_checks import check_staff_page
from teilhabe.core.testing import login_verified
from teilhabe.directory.forms import OfferImportForm, XliffImportForm
from teilhabe.indicators.forms import ImportForm
from teilhabe.population.forms import UploadForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("form", "field", "slug"),
    [
        (lambda: UploadForm(), "datei", "melderegister"),
        (lambda: ImportForm(user=AnonymousUser()), "file", "behoerdenwerte"),
        (lambda: OfferImportForm(), "file", "angebote"),
        (lambda: XliffImportForm(), "file", "xliff"),
    ],
)
def test_upload_forms_link_their_format_description(form: Any, field: str, slug: str) -> None:
    help_text = str(form().fields[field].help_text)
    assert reverse("staff:format_description", args=[slug]) in help_text
    assert "Formatbeschreibung und Beispieldatei" in help_text


def test_format_pages_and_examples(personas: Any) -> None:
    client = login_verified(Client(), personas.alice)
    for slug, file_format in FORMATS.items():
        page = client.get(reverse("staff:format_description", args=[slug]))
        assert page.status_code == 200
        for column in file_format.columns:
            assert column.name in page.content.decode()
        # file values (keys, ISO dates) only as code, with the key's name in words
        assert check_staff_page(page.content.decode()) == [], slug
        if file_format.example_rows:
            example = client.get(reverse("staff:format_example", args=[slug]))
            assert example.status_code == 200 and example["Content-Type"].startswith("text/csv")
    assert client.get(reverse("staff:format_description", args=["gibt-es-nicht"])).status_code == 404
    assert (
        "Sozialversicherungspflichtig beschäftigte Ausländer"
        in client.get(reverse("staff:format_description", args=["behoerdenwerte"])).content.decode()
    )


def _example(slug: str) -> bytes:
    from teilhabe.lib.exports import csv_bytes

    file_format = FORMATS[slug]
    return csv_bytes(file_format.example_header, file_format.example_rows)


def test_register_example_passes_the_check(regions: None) -> None:
    from teilhabe.population.importer import read_extract, validate
    from teilhabe.regions.models import Gemeinde

    read = read_extract(_example("melderegister"), "beispiel.csv")
    gemeinden = set(Gemeinde.objects.filter(kreis_id="12073").values_list("ags", flat=True))
    result = validate(read, date(2025, 12, 31), gemeinden)
    assert [p for p in result.problems if p.severity == "error"] == []


def test_agency_example_passes_the_check(regions: None) -> None:
    from teilhabe.indicators.importer import parse

    result = parse(_example("behoerdenwerte"), "beispiel.csv")
    assert result.problems == [] and len(result.rows) == 2
