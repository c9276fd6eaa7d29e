"""Case-management source: trajectory figures from the KiIM pseudonymised cohort store (app
``teilhabe.registry``, table ``CohortRecord``: keyed-hash pseudonyms, arrival year and quarter, durations).

Only Kreis-level values: medians cannot be assembled from sub-areas, and the cohort store is coarse on
purpose. The year is the arrival year of the cohort (indicator IV-01: "Ankunftskohorte des Jahres t").
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Collection, Iterator

from django.conf import settings

from teilhabe.indicators.sources import Observation

KEYS = ("cm_kohorte_kurs", "cm_median_tage_kurs")


class CohortSource:
    name = "case_management"
    priority = 15

    def observations(
        self, *, keys: Collection[str], years: Collection[int] | None, regions: Collection[str] | None
    ) -> Iterator[Observation]:
        from teilhabe.registry.models import CohortRecord

        wanted = set(keys) & set(KEYS)
        kreis = settings.TEILHABE_KREIS
        if not wanted or (regions is not None and kreis not in regions):
            return
        days_by_year: dict[int, list[int]] = defaultdict(list)
        rows = CohortRecord.objects.exclude(days_to_course_start=None).values_list(
            "arrival_year", "days_to_course_start"
        )
        for year, value in rows:
            if value is not None:
                days_by_year[year].append(value)
        # The cohort store holds no flag of its own; in a demo installation every case is synthetic.
        synthetic = bool(settings.DEMO)
        for year, days in sorted(days_by_year.items()):
            if years is not None and year not in years:
                continue
            if "cm_kohorte_kurs" in wanted:
                yield Observation("cm_kohorte_kurs", "kreis", kreis, year, float(len(days)), self.name, synthetic)
            if "cm_median_tage_kurs" in wanted:
                yield Observation(
                    "cm_median_tage_kurs", "kreis", kreis, year, float(statistics.median(days)), self.name, synthetic
                )
