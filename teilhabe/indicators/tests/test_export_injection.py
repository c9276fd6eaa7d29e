"""Issue 12, example 5: formulas in indicator names/units are neutralised in the public downloads."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from teilhabe.indicators.models import Indicator

pytestmark = pytest.mark.django_db
EVIL = '=HYPERLINK("http://evil.example/","Details")'


def test_public_monitoring_xlsx_and_csv_neutralise_formulas(catalogue: None, client: Client) -> None:
    indicator = Indicator.objects.order_by("code").first()
    assert indicator is not None
    Indicator.objects.filter(pk=indicator.pk).update(name_de=EVIL, unit="+Anzahl", is_published=True)

    response = client.get("/monitoring/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells: list[Any] = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)  # no live formula anywhere
    assert "'" + EVIL in [c.value for c in cells] and "'+Anzahl" in [c.value for c in cells]

    text = client.get("/monitoring/?format=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+Anzahl" in text
    assert ";=HYPERLINK" not in text and ";+Anzahl" not in text
