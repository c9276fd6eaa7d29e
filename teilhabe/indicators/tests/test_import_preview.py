"""Agency values import: the check shows how each column was read before anything is committed (issue 18)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from teilhabe.core.testing import login_verified
from teilhabe.indicators.models import AgencyValue
from teilhabe.indicators.tests.conftest import catalogue, statistik  # noqa: F401 - fixtures
from teilhabe.regions.models import Gemeinde

pytestmark = pytest.mark.django_db
URL = "/staff/monitoring/aggregate/import/"


@pytest.fixture
def data(catalogue: None) -> list[str]:  # noqa: F811
    return list(
        Gemeinde.objects.filter(kreis_id="12073", is_gemeinde=True).order_by("ags").values_list("ags", flat=True)
    )


def _check(client: Client, personas: Any, content: bytes, name: str = "werte.csv") -> str:
    response = client.post(
        URL, {"organisation": personas.landkreis.pk, "file": SimpleUploadedFile(name, content), "dry_run": "1"}
    )
    return response.content.decode()


def test_german_file_preview_names_field_type_and_number_format(
    data: list[str],
    personas: Any,
    statistik: Any,  # noqa: F811
    client: Client,
) -> None:
    login_verified(client, statistik)
    content = (
        "Quellschlüssel;Ebene;AGS;Jahr;Wert;Quelldokument\n"
        f"sgb2_leb_auslaender;gemeinde;{data[0]};2024;1.234;Jobcenter Prenzlau\n"
        f"sgb2_leb_auslaender;gemeinde;{data[1]};2024;56;Jobcenter Prenzlau\n"
    ).encode("cp1252")
    html = _check(client, personas, content)
    assert "So wurde die Datei gelesen" in html
    assert "CSV (Windows-1252, „;“)" in html and "Semikolon" in html
    assert "<code>Wert</code></th>\n<td>Wert (Anzahl)</td>\n<td>ganze Zahl</td>" in html
    assert "1.234 (deutsch, Punkt als Tausendertrennzeichen)" in html
    assert "<samp>Jobcenter Prenzlau</samp>" in html
    # Committing is offered only after a check that shows the preview.
    assert "Prüfen und übernehmen" in html
    assert AgencyValue.objects.filter(source_key="sgb2_leb_auslaender").count() == 0


def test_ambiguous_columns_are_flagged_in_the_preview(
    data: list[str],
    personas: Any,
    statistik: Any,  # noqa: F811
    client: Client,
) -> None:
    login_verified(client, statistik)
    content = (
        "quellschluessel,ags,jahr,wert,Anzahl\n"
        f"sgb2_leb_auslaender,{data[0]},2024,12.5,3\n"
        f'sgb2_leb_auslaender,{data[1]},2024,"1,5",4\n'
    ).encode()
    html = _check(client, personas, content)
    assert "gemischt (deutsch und englisch)" in html
    assert "steht schon in Spalte „wert“; diese wird ignoriert." in html
    assert "import-preview__ambiguous" in html
    assert "Prüfen und übernehmen" not in html
    assert "Prüfen und übernehmen" not in client.get(URL).content.decode()
