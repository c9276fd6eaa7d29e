"""Goal attainment computed from the published monitoring values, never typed in.

Only values that passed disclosure control are used: the indicator is published, the value row has no
suppression mark and a ``published_value``. A suppressed value is neither used nor shown; if the latest
year is suppressed the latest *published* year is used and the suppressed years are named.

For one indicator target (baseline value and year, target value and date, direction):

- ``share``: the part of the way from baseline to target already covered by the latest value
  (``(latest − baseline) / (target − baseline)``; negative when moving the wrong way);
- ``expected``: the part of the time from 31.12. of the baseline year to the target date that has passed
  at 31.12. of the latest year (linear path);
- state ``reached`` (target met in the direction), ``on_track`` (share ≥ expected), ``behind``, or
  ``no_data`` (no published value after the baseline year).

By Gemeinde: where the indicator has published Gemeinde values, each Gemeinde is measured from its own
published value in the baseline year towards the same target (decision 0081).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from teilhabe.concept.models import Direction, Goal, GoalIndicator, Measure
from teilhabe.indicators.models import IndicatorValue, Level

REACHED = "reached"
ON_TRACK = "on_track"
BEHIND = "behind"
NO_DATA = "no_data"
STATE_LABELS = {
    REACHED: _("erreicht"),
    ON_TRACK: _("auf Kurs"),
    BEHIND: _("im Verzug"),
    NO_DATA: _("keine aktuellen Daten"),
}


@dataclass
class Progress:
    region: str  # AGS of the Kreis or Gemeinde
    region_name: str
    level: str
    baseline_value: float | None
    baseline_year: int
    latest_value: float | None
    latest_year: int | None
    target_value: float
    target_date: date
    direction: str
    series: list[tuple[int, float]] = field(default_factory=list)  # published values only
    suppressed_years: list[int] = field(default_factory=list)
    share: float | None = None
    expected: float | None = None
    state: str = NO_DATA

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


@dataclass
class TargetAttainment:
    target: GoalIndicator
    kreis: Progress
    gemeinden: list[Progress]


@dataclass
class GoalAttainment:
    goal: Goal
    targets: list[TargetAttainment]

    @property
    def state(self) -> str:
        return combine([t.kreis.state for t in self.targets])

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


def combine(states: list[str]) -> str:
    """Goal state from its targets: behind if any is behind, reached if all are, on track otherwise."""
    known = [s for s in states if s != NO_DATA]
    if not known:
        return NO_DATA
    if BEHIND in known:
        return BEHIND
    if all(s == REACHED for s in known):
        return REACHED
    return ON_TRACK


def _meets(value: float, target: float, direction: str) -> bool:
    return value >= target if direction == Direction.HIGHER else value <= target


def evaluate(
    *,
    baseline_value: float | None,
    baseline_year: int,
    series: list[tuple[int, float]],
    target_value: float,
    target_date: date,
    direction: str,
) -> tuple[float | None, int | None, float | None, float | None, str]:
    """(latest value, latest year, share, expected, state) from a published series."""
    later = [(y, v) for y, v in series if y > baseline_year]
    if baseline_value is None or not later:
        return None, None, None, None, NO_DATA
    latest_year, latest = max(later)
    start = date(baseline_year, 12, 31)
    total_days = (target_date - start).days
    expected = min(1.0, max(0.0, (date(latest_year, 12, 31) - start).days / total_days)) if total_days > 0 else 1.0
    distance = target_value - baseline_value
    share = (
        (latest - baseline_value) / distance if distance else (1.0 if _meets(latest, target_value, direction) else 0.0)
    )
    if _meets(latest, target_value, direction):
        state = REACHED
    elif share >= expected:
        state = ON_TRACK
    else:
        state = BEHIND
    return latest, latest_year, share, expected, state


def published_series(
    indicator_id: int, level: str, regions: list[str] | None = None
) -> dict[str, tuple[list[tuple[int, float]], list[int]]]:
    """{region: (published (year, value) pairs, suppressed years)} for the indicator's total (no category)."""
    rows = IndicatorValue.objects.filter(
        indicator_id=indicator_id, indicator__is_published=True, category="", level=level
    )
    if regions is not None:
        rows = rows.filter(region__in=regions)
    out: dict[str, tuple[list[tuple[int, float]], list[int]]] = {}
    for region, year, value, suppression in rows.order_by("region", "year").values_list(
        "region", "year", "published_value", "suppression"
    ):
        series, suppressed = out.setdefault(region, ([], []))
        if suppression or value is None:
            suppressed.append(year)
        else:
            series.append((year, value))
    return out


def _progress(target: GoalIndicator, region: str, name: str, level: str, baseline: float | None, data: Any) -> Progress:
    series, suppressed = data if data else ([], [])
    latest, latest_year, share, expected, state = evaluate(
        baseline_value=baseline,
        baseline_year=target.baseline_year,
        series=series,
        target_value=target.target_value,
        target_date=target.target_date,
        direction=target.direction,
    )
    return Progress(
        region=region,
        region_name=name,
        level=level,
        baseline_value=baseline,
        baseline_year=target.baseline_year,
        latest_value=latest,
        latest_year=latest_year,
        target_value=target.target_value,
        target_date=target.target_date,
        direction=target.direction,
        series=list(series),
        suppressed_years=[y for y in suppressed if y >= target.baseline_year],
        share=share,
        expected=expected,
        state=state,
    )


def target_attainment(target: GoalIndicator, *, gemeinden: dict[str, str] | None = None) -> TargetAttainment:
    kreis_ags = settings.TEILHABE_KREIS
    kreis_name = _kreis_name(kreis_ags)
    kreis_data = published_series(target.indicator_id, Level.KREIS, [kreis_ags]).get(kreis_ags)
    kreis = _progress(target, kreis_ags, kreis_name, Level.KREIS, target.baseline_value, kreis_data)
    names = gemeinden if gemeinden is not None else _gemeinde_names(kreis_ags)
    by_gemeinde = published_series(target.indicator_id, Level.GEMEINDE, list(names))
    rows = []
    for ags, (series, _suppressed) in sorted(by_gemeinde.items(), key=lambda kv: names.get(kv[0], kv[0])):
        baseline = dict(series).get(target.baseline_year)  # None when suppressed or missing: not computable
        rows.append(_progress(target, ags, names.get(ags, ags), Level.GEMEINDE, baseline, by_gemeinde[ags]))
    return TargetAttainment(target=target, kreis=kreis, gemeinden=rows)


def goal_attainment(goal: Goal, *, gemeinden: dict[str, str] | None = None) -> GoalAttainment:
    names = gemeinden if gemeinden is not None else _gemeinde_names(settings.TEILHABE_KREIS)
    targets = [target_attainment(t, gemeinden=names) for t in goal.targets.select_related("indicator")]
    return GoalAttainment(goal=goal, targets=targets)


def _kreis_name(ags: str) -> str:
    from teilhabe.regions.models import Kreis

    return Kreis.objects.filter(ags=ags).values_list("name", flat=True).first() or ags


def _gemeinde_names(kreis_ags: str) -> dict[str, str]:
    from teilhabe.regions.models import Gemeinde

    return dict(Gemeinde.objects.filter(kreis_id=kreis_ags).values_list("ags", "name"))


# --- measures ---------------------------------------------------------------------------------------


@dataclass
class MeasureProgress:
    done: int
    total: int
    overdue: int
    next_due: date | None

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


def measure_progress(measure: Measure, today: date) -> MeasureProgress:
    """Progress of a measure from its milestones (prefetch ``milestones`` for lists)."""
    milestones = list(measure.milestones.all())
    done = sum(1 for m in milestones if m.done_on is not None)
    overdue = sum(1 for m in milestones if m.is_overdue(today))
    pending = sorted(m.due_date for m in milestones if m.done_on is None)
    return MeasureProgress(done=done, total=len(milestones), overdue=overdue, next_due=pending[0] if pending else None)
