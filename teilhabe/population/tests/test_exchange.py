"""Issue 12, examples 2, 4 and 5 for register extracts: mixed encodings, Planungsraum names, error-row CSV."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.roles import Role
from teilhabe.core.testing import login_verified, make_user
from teilhabe.population.models import RegisterImport
from teilhabe.population.tests.helpers import csv_text, row, valid_rows
from teilhabe.regions.models import Planungsraum

pytestmark = pytest.mark.usefixtures("regions")


@pytest.fixture
def statistik(personas: Any) -> Any:
    return make_user("stefanie", personas.landkreis, Role.STATISTIK)


def _upload(client: Client, data: bytes) -> RegisterImport:
    response = client.post(
        reverse("population:upload"),
        {"datei": SimpleUploadedFile("auszug.csv", data, content_type="text/csv"), "stichtag": "2025-12-31"},
    )
    assert response.status_code == 302
    return RegisterImport.objects.latest("created_at")


def test_mixed_encoding_names_the_line_and_planungsraum_names_are_refused(personas: Any, statistik: Any) -> None:
    client = login_verified(Client(), statistik)
    Planungsraum.objects.create(gemeinde_id="12073008", code="03", name="Süd", owner=personas.landkreis)
    mixed = csv_text(*valid_rows(2), row("Jürgen-1", planungsraum="03")).encode() + row("M2", planungsraum="03").encode(
        "cp1252"
    ).replace(b"M2", "Müller".encode("cp1252"))
    register_import = _upload(client, mixed + b"\n")
    assert register_import.problem_counts.get("E_ENCODING_ROW") == 1 and register_import.rows_valid == 0

    names = csv_text(*valid_rows(2), row("N1", planungsraum="Süd"), row("N2", planungsraum="03")).encode()
    register_import = _upload(client, names)
    page = client.get(reverse("population:report", args=[register_import.pk])).content.decode()
    assert register_import.problem_counts == {"E_PLANUNGSRAUM_UNKNOWN": 1}
    assert "Meinten Sie „03“ (Süd)?" in page


def test_failed_rows_csv_neutralises_uploaded_cells(personas: Any, statistik: Any) -> None:
    client = login_verified(Client(), statistik)
    register_import = _upload(client, csv_text(*valid_rows(2), row("=1+2", geschlecht="q")).encode())
    failed = client.get(reverse("population:failed_rows", args=[register_import.pk])).content.decode("utf-8-sig")
    assert "'=1+2" in failed and ";=1+2" not in failed


def test_state_names_instead_of_keys_get_did_you_mean() -> None:
    """Issue 12, example 4 for state keys: a name where the key belongs is an error with a suggestion."""
    from datetime import date

    from teilhabe.population.importer import read_extract, validate
    from teilhabe.population.tests.helpers import AGS, OTHER_AGS

    data = csv_text(row("S1", staatsangehoerigkeit_1="Syrien", art_deutsche_staatsangehoerigkeit="")).encode()
    result = validate(read_extract(data, "a.csv"), date(2025, 12, 31), {AGS, OTHER_AGS})
    (problem,) = [p for p in result.problems if p.code == "E_STATE_UNKNOWN"]
    assert problem.row == 2 and "Meinten Sie „475“ (Arabische Republik Syrien)?" in problem.message
