"""KiIM cohort figures reach the indicator engine (IV-01), with disclosure control."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from teilhabe.indicators.models import IndicatorValue

pytestmark = pytest.mark.django_db


def _cohort(year: int, days: list[int]) -> None:
    from teilhabe.registry.models import CohortRecord

    for index, value in enumerate(days):
        CohortRecord.objects.create(
            pseudonym=f"{year}-{index}",
            owner_kind="jobcenter",
            gemeinde_ags="12073532",
            arrival_year=year,
            arrival_quarter=1,
            days_to_course_start=value,
            extracted_at=timezone.now(),
        )


def test_a_rebuilt_cohort_store_feeds_the_median_days_to_course_start(
    regions: None, django_capture_on_commit_callbacks: Any
) -> None:
    from teilhabe.indicators.services import catalogue_sync
    from teilhabe.registry.cohort import build_extract

    catalogue_sync()
    _cohort(2024, [30, 90, 120, 200, 60])
    _cohort(2023, [45, 50])  # only two persons: below k = 3
    from teilhabe.indicators.compute import compute
    from teilhabe.regions.models import Kreis

    compute(kreis=Kreis.objects.get(ags="12073"))
    value = IndicatorValue.objects.get(indicator__code="IV-01", level="kreis", region="12073", year=2024)
    assert value.value == 90.0
    small = IndicatorValue.objects.filter(indicator__code="IV-01", level="kreis", region="12073", year=2023).first()
    assert small is None or small.published_value is None
    # Rebuilding the store (no cases here, so it empties) recomputes the monitoring on commit.
    with django_capture_on_commit_callbacks(execute=True):
        build_extract()
    assert not IndicatorValue.objects.filter(indicator__code="IV-01", year=2024, value__isnull=False).exists()
