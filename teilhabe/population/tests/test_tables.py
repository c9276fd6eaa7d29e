"""Published tables: no cell in 1..k-1, never a lone suppression per line, no recovery by differencing."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from teilhabe.lib.disclosure import Cell
from teilhabe.population import codes
from teilhabe.population.derivation import derive, input_table
from teilhabe.population.tables import (
    DIMENSIONS,
    TABLE_ORDER,
    PublishedTable,
    aggregate,
    build_table,
    recoverable,
)

K = 3
sexes = st.sampled_from(list(codes.SEX_GROUPS))


def _lines(table: PublishedTable) -> list[list[Cell]]:
    grid = [cells for _label, cells in table.rows] + [table.total]
    return grid + [list(column) for column in zip(*grid, strict=True)]


counts_strategy = st.dictionaries(
    st.tuples(st.sampled_from(list(codes.NATIONALITY_GROUPS)), sexes), st.integers(0, 12), max_size=18
)


@settings(max_examples=150, deadline=None)
@given(counts_strategy)
def test_no_small_cell_no_lone_suppression_no_differencing(counts: dict[tuple[str, str], int]) -> None:
    table = build_table("staatsangehoerigkeitsgruppe", counts, K)
    for line in _lines(table):
        assert all(not (0 < c.value < K) or c.suppressed for c in line)
        assert sum(c.suppressed for c in line) != 1
    grid = [cells for _label, cells in table.rows] + [table.total]
    assert not recoverable(grid)


@settings(max_examples=30, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.sampled_from([f"{b[0]}|{g}" for b in codes.AGE_BANDS for g in codes.NATIONALITY_GROUPS]), sexes),
        st.integers(0, 6),
        max_size=40,
    )
)
def test_age_by_nationality_table_is_protected(counts: dict[tuple[str, str], int]) -> None:
    table = build_table("alter_staatsangehoerigkeit", counts, K)
    assert len(table.rows) == len(codes.AGE_BANDS) * len(codes.SEX_GROUPS)
    for line in _lines(table):
        assert all(not (0 < c.value < K) or c.suppressed for c in line)
        assert sum(c.suppressed for c in line) != 1
    assert not recoverable([cells for _label, cells in table.rows] + [table.total])


def test_differencing_attack_on_a_row_of_small_cells_is_blocked() -> None:
    counts = {("deutsch", "m"): 1, ("deutsch", "w"): 1, ("eu27", "x"): 1, ("europa", "x"): 2}
    table = build_table("staatsangehoerigkeitsgruppe", counts, K)
    grid = [cells for _label, cells in table.rows] + [table.total]
    assert not recoverable(grid)
    assert all(c.suppressed or not 0 < c.value < K for row in grid for c in row)


def test_top_n_table_groups_the_rest() -> None:
    counts = {(f"{100 + i:03d}", "m"): 10 + i for i in range(30)}
    table = build_table("staatsangehoerigkeit", counts, K)
    assert len(table.rows) == 21 and table.rows[-1][0] == "übrige"
    assert table.total[-1].value == sum(counts.values())


def test_aggregate_levels_and_dimensions() -> None:
    persons = [
        {
            "ordnungsmerkmal": "a",
            "ags": "12073008",
            "planungsraum": "01",
            "wohnungsstatus": "A",
            "geburtsdatum": date(1990, 1, 1),
            "geschlecht": "m",
            "staatsangehoerigkeit_1": "475",
        },
        {
            "ordnungsmerkmal": "b",
            "ags": "12073572",
            "wohnungsstatus": "H",
            "geburtsdatum": date(2000, 1, 1),
            "geschlecht": "d",
            "staatsangehoerigkeit_1": "000",
        },
        {
            "ordnungsmerkmal": "c",
            "ags": "12073572",
            "wohnungsstatus": "N",
            "geburtsdatum": date(2000, 1, 1),
            "geschlecht": "w",
            "staatsangehoerigkeit_1": "000",
        },
    ]
    result = aggregate(derive(input_table(persons), date(2025, 12, 31)), "12073").to_pylist()
    population = {
        (r["level"], r["area"]): (r["male"], r["female"], r["other"])
        for r in result
        if r["dimension"] == "bevoelkerung"
    }
    assert population == {
        ("kreis", "12073"): (1, 0, 1),
        ("gemeinde", "12073008"): (1, 0, 0),
        ("gemeinde", "12073572"): (0, 0, 1),
        ("planungsraum", "12073008:01"): (1, 0, 0),
    }
    assert {r["dimension"] for r in result} == set(DIMENSIONS) - {"zuzug_ausland_vorjahr"}  # nobody moved in
    assert set(TABLE_ORDER) <= set(DIMENSIONS) | {"alter_staatsangehoerigkeit"}
