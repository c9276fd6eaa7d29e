"""Register extract import: the check report shows how each column was read before committing (issue 18)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.roles import Role
from teilhabe.core.testing import login_verified, make_user
from teilhabe.population.tests.helpers import HEADER, csv_text, row, valid_rows

pytestmark = pytest.mark.usefixtures("regions")


def _report(personas: Any, data: bytes, name: str = "auszug.csv") -> str:
    client = login_verified(Client(), make_user("stefanie", personas.landkreis, Role.STATISTIK))
    response = client.post(
        reverse("population:upload"), {"datei": SimpleUploadedFile(name, data), "stichtag": "2025-12-31"}
    )
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def test_german_extract_preview_shows_date_formats_and_fields(personas: Any) -> None:
    rows = [*valid_rows(4), row("P900", geburtsdatum="15.04.1983")]
    html = _report(personas, csv_text(*rows).encode("cp1252"))
    assert "So wurde die Datei gelesen" in html and "Semikolon" in html
    assert "<code>geburtsdatum</code></th>\n<td>Geburtsdatum</td>\n<td>Datum</td>" in html
    assert "JJJJ-MM-TT und TT.MM.JJJJ" in html
    assert "<code>staatsangehoerigkeit_1</code></th>\n<td>Erste Staatsangehörigkeit</td>" in html
    assert html.index("So wurde die Datei gelesen") < html.index("Übernehmen")


def test_ambiguous_extract_columns_are_flagged(personas: Any) -> None:
    header = HEADER + ";bemerkung"
    rows = [r + ";x" for r in valid_rows(3)] + [row("P901", zuzug_datum="04/05/2016") + ";y"]
    html = _report(personas, csv_text(*rows, header=header).encode())
    assert "Unbekannte Spaltenüberschrift" in html  # bemerkung
    assert "Tag/Monat oder Monat/Tag" in html and "import-preview__ambiguous" in html
