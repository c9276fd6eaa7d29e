"""Committing a register extract recomputes the register-based indicators without a manual step."""

from __future__ import annotations

from typing import Any

import pytest

from teilhabe.indicators.models import IndicatorValue

pytestmark = pytest.mark.django_db


def test_a_committed_register_import_updates_the_monitoring(
    regions: None, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from teilhabe.core.demo import DemoDistrict
    from teilhabe.indicators.services import catalogue_sync
    from teilhabe.population.demo import build_demo
    from teilhabe.regions.models import Kreis

    catalogue_sync()
    assert not IndicatorValue.objects.exists()
    district = DemoDistrict(
        kreis=Kreis.objects.get(ags="12073"),
        organisations={"landkreis": personas.landkreis},
        users={"statistik": personas.kreisadmin},
    )
    with django_capture_on_commit_callbacks(execute=True):
        build_demo(district)
    values = IndicatorValue.objects.filter(indicator__code="DEM-01", level="kreis", region="12073")
    assert values.exists()
