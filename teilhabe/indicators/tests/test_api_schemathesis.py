"""The indicators API against its generated OpenAPI document (schemathesis, in-process WSGI)."""

from __future__ import annotations

from typing import Any

import pytest

from teilhabe.indicators.compute import compute
from teilhabe.indicators.models import Indicator
from teilhabe.indicators.tests.conftest import put
from teilhabe.lib.tests.apicheck import check_all_operations, wsgi_schema
from teilhabe.regions.models import Kreis

pytestmark = pytest.mark.django_db


def test_indicators_api_conforms_to_generated_openapi(catalogue: None, personas: Any) -> None:
    put("ew_auslaender", "12073008", 2024, 120, personas.landkreis)
    put("ew_gesamt", "12073008", 2024, 1200, personas.landkreis)
    compute(kreis=Kreis.objects.get(ags="12073"))
    Indicator.objects.filter(code__in=["DEM-01", "DEM-02"]).update(is_published=True)
    with wsgi_schema("/api/v1/schema/") as schema:
        paths = check_all_operations(schema)
    assert paths == {"/api/v1/indicators/", "/api/v1/indicators/{code}/", "/api/v1/indicators/{code}/values/"}
