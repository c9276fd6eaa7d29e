"""The indicators API against its generated OpenAPI document (schemathesis, in-process WSGI)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from teilhabe.indicators.compute import compute
from teilhabe.indicators.models import Indicator
from teilhabe.indicators.tests.conftest import put
from teilhabe.regions.models import Kreis

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicators_api(catalogue: None, personas: Any) -> Iterator[Any]:
    from django.core.wsgi import get_wsgi_application

    put("ew_auslaender", "12073008", 2024, 120, personas.landkreis)
    put("ew_gesamt", "12073008", 2024, 1200, personas.landkreis)
    compute(kreis=Kreis.objects.get(ags="12073"))
    Indicator.objects.filter(code__in=["DEM-01", "DEM-02"]).update(is_published=True)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_indicators_api_conforms_to_generated_openapi(indicators_api: Any) -> None:
    operations = [result.ok() for result in indicators_api.get_all_operations()]
    assert {op.path for op in operations} == {
        "/api/v1/indicators/",
        "/api/v1/indicators/{code}/",
        "/api/v1/indicators/{code}/values/",
    }
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: Any) -> None:
            case.call_and_validate()

        check()
