"""Survey source: weighted survey results as indicator inputs (catalogue keys ``umf_*``, BEF-01/BEF-02).

For every survey (not in draft) with ``indicator_inputs`` such as::

    {"umf_zugehoerigkeit_top2": {"question": "zugehoerigkeit", "values": ["4", "5"]},
     "umf_diskriminierung_12m": {"question": "diskriminierung", "values": ["ja"]}}

the adapter yields, for the Kreis and the survey year, ``umf_befragte`` = number of respondents and each
key as the *weighted* count (weighted share × respondents), so rate indicators give the weighted share.
The provider name ``survey`` marks the values as survey-based (``IndicatorValue.sources``); the 95 %
confidence interval of the weighted share (percent) travels in ``Observation.interval`` into the value's
``components`` and is shown next to the value in the monitoring's data table. Gemeinde groups are not an indicator level:
the per-group shares are in the survey's own results.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from teilhabe.indicators.sources import Observation

KEYS = ("umf_befragte", "umf_zugehoerigkeit_top2", "umf_diskriminierung_12m")
# The keys a survey question can feed (``umf_befragte`` counts all respondents), with the staff label.
INPUT_KEYS = {
    "umf_zugehoerigkeit_top2": _("Starkes Zugehörigkeitsgefühl (BEF-01)"),
    "umf_diskriminierung_12m": _("Diskriminierungserfahrung in 12 Monaten (BEF-02)"),
}


class SurveySource:
    name = "survey"
    priority = 15

    def observations(
        self, *, keys: Collection[str], years: Collection[int] | None, regions: Collection[str] | None
    ) -> Iterator[Observation]:
        from teilhabe.surveys.models import Survey
        from teilhabe.surveys.results import weighted_share

        wanted = set(keys) & set(KEYS)
        kreis = settings.TEILHABE_KREIS
        if not wanted or (regions is not None and kreis not in regions):
            return
        surveys = Survey.objects.exclude(status=Survey.Status.DRAFT).exclude(indicator_inputs={})
        if years is not None:
            surveys = surveys.filter(year__in=list(years))
        synthetic = bool(settings.DEMO)
        for survey in surveys:
            n = survey.responses.count()
            if not n:
                continue
            if "umf_befragte" in wanted:
                yield Observation("umf_befragte", "kreis", kreis, survey.year, float(n), self.name, synthetic)
            for key, spec in survey.indicator_inputs.items():
                if key not in wanted or key == "umf_befragte":
                    continue
                share = weighted_share(survey, spec["question"], [str(v) for v in spec["values"]])
                if share.n == 0:
                    continue
                interval = (round(100 * share.low, 1), round(100 * share.high, 1))
                yield Observation(key, "kreis", kreis, survey.year, share.value * n, self.name, synthetic, (), interval)
