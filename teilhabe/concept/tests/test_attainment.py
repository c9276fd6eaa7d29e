"""Goal attainment from a hand-made published dataset, including suppressed values."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings

from teilhabe.concept import services
from teilhabe.concept.attainment import BEHIND, NO_DATA, ON_TRACK, REACHED, combine, evaluate, goal_attainment
from teilhabe.indicators.models import Level

from .conftest import World, make_indicator, put

pytestmark = pytest.mark.django_db

KREIS = settings.TEILHABE_KREIS
A, B, C = "12073001", "12073002", "12073003"
NAMES = {A: "Angermünde", B: "Brüssow", C: "Casekow"}


def _series(world: World) -> None:
    ind = world.indicator
    # Kreis: baseline 40 (2020) → 44 (2022) → 2023 suppressed: the latest *published* value is 2022.
    put(ind, Level.KREIS, KREIS, 2020, 40.0)
    put(ind, Level.KREIS, KREIS, 2021, 42.0)
    put(ind, Level.KREIS, KREIS, 2022, 44.0)
    put(ind, Level.KREIS, KREIS, 2023, 99.0, suppression="primary")
    # Gemeinde A reaches the target, B falls behind, C's baseline year is suppressed.
    put(ind, Level.GEMEINDE, A, 2020, 45.0)
    put(ind, Level.GEMEINDE, A, 2022, 51.0)
    put(ind, Level.GEMEINDE, B, 2020, 30.0)
    put(ind, Level.GEMEINDE, B, 2022, 30.5)
    put(ind, Level.GEMEINDE, C, 2020, 3.0, suppression="primary")
    put(ind, Level.GEMEINDE, C, 2022, 35.0)


def test_progress_is_computed_from_published_values_and_never_from_suppressed_ones(world: World) -> None:
    _series(world)
    result = goal_attainment(world.goal, gemeinden=NAMES)
    kreis = result.targets[0].kreis
    # The suppressed 99.0 of 2023 would mean "reached"; it is neither used nor returned.
    assert (kreis.latest_year, kreis.latest_value) == (2022, 44.0)
    assert 99.0 not in [v for _y, v in kreis.series] and kreis.suppressed_years == [2023]
    # 4 of 10 points covered (40 %) after 2 of 10 years (20 %): on track.
    assert kreis.percent == 40
    assert round(kreis.expected or 0, 2) == 0.2
    assert kreis.state == ON_TRACK
    by_name = {g.region_name: g for g in result.targets[0].gemeinden}
    assert by_name["Angermünde"].state == REACHED
    assert by_name["Brüssow"].state == BEHIND  # 0.5 of 20 points in 20 % of the time
    assert by_name["Casekow"].state == NO_DATA and by_name["Casekow"].baseline_value is None
    assert result.state == ON_TRACK


def test_a_suppressed_only_series_gives_no_data(world: World) -> None:
    put(world.indicator, Level.KREIS, KREIS, 2022, 55.0, suppression="secondary")
    result = goal_attainment(world.goal, gemeinden=NAMES)
    assert result.targets[0].kreis.state == NO_DATA
    assert result.targets[0].kreis.latest_value is None


def test_unpublished_indicators_are_not_used(world: World) -> None:
    _series(world)
    world.indicator.is_published = False
    world.indicator.save()
    assert goal_attainment(world.goal, gemeinden=NAMES).targets[0].kreis.state == NO_DATA


def test_lower_is_better_and_behind(world: World) -> None:
    other = make_indicator("T02")
    services.target_save(
        acting_user=world.office_user,
        goal=world.goal,
        changes={
            "indicator": other,
            "baseline_value": 12.0,
            "baseline_year": 2020,
            "target_value": 8.0,
            "target_date": date(2024, 12, 31),
            "direction": "lower",
        },
    )
    put(other, Level.KREIS, KREIS, 2020, 12.0)
    put(other, Level.KREIS, KREIS, 2023, 11.0)  # 25 % of the way after 75 % of the time
    _series(world)
    result = goal_attainment(world.goal, gemeinden=NAMES)
    states = {t.target.indicator.code: t.kreis.state for t in result.targets}
    assert states == {"T01": ON_TRACK, "T02": BEHIND}
    assert result.state == BEHIND


@pytest.mark.parametrize(
    ("latest", "state"),
    [(50.0, REACHED), (53.0, REACHED), (45.0, ON_TRACK), (41.0, BEHIND), (38.0, BEHIND)],
)
def test_evaluate_states(latest: float, state: str) -> None:
    *_rest, result = evaluate(
        baseline_value=40.0,
        baseline_year=2020,
        series=[(2020, 40.0), (2025, latest)],
        target_value=50.0,
        target_date=date(2030, 12, 31),
        direction="higher",
    )
    assert result == state


def test_goal_state_combines_its_targets() -> None:
    assert combine([REACHED, REACHED]) == REACHED
    assert combine([REACHED, ON_TRACK]) == ON_TRACK
    assert combine([ON_TRACK, BEHIND, NO_DATA]) == BEHIND
    assert combine([NO_DATA]) == NO_DATA
    assert combine([]) == NO_DATA
