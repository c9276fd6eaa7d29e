"""One disclosure decision per count of a Stichtag over all tables and register-based indicator inputs
(issue 17), the cross-table differencing check, and pages that only read stored decisions."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date
from typing import Any

import pyarrow.csv as pacsv
import pytest

from teilhabe.indicators.register_source import input_attributes
from teilhabe.population import differencing, joint
from teilhabe.population.derivation import derive
from teilhabe.population.importer import read_extract, validate
from teilhabe.population.synth import specs_from_files, synthesise
from teilhabe.population.tables import aggregate, build_table

K = 3
KREIS = "12073"
STICHTAG = date(2024, 12, 31)
Areas = dict[tuple[str, str], dict[str, dict[tuple[str, str], int]]]


@pytest.fixture(scope="module")
def demo_areas() -> Areas:
    return synthetic_areas()


def synthetic_areas(gemeinden: tuple[str, ...] = ("12073069", "12073008")) -> Areas:
    """Counts of a synthetic extract of Gemeinden of the demo district (with their Planungsräume)."""
    specs = [s for s in specs_from_files(KREIS) if s.ags in gemeinden]
    table = synthesise(specs, STICHTAG, seed=2024)
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, write_options=pacsv.WriteOptions(delimiter=";"))
    checked = validate(read_extract(buffer.getvalue(), "synthetisch.csv"), STICHTAG, {s.ags for s in specs})
    counts = aggregate(derive(checked.normalised, STICHTAG), KREIS)
    areas: Areas = defaultdict(lambda: defaultdict(dict))
    # In the order publication.publish reads them (sorted): DuckDB returns groups in any order.
    rows = sorted(counts.to_pylist(), key=lambda r: (r["level"], r["area"], r["dimension"], r["category"]))
    for row in rows:
        for sex, column in (("m", "male"), ("w", "female"), ("x", "other")):
            areas[(row["level"], row["area"])][row["dimension"]][(row["category"], sex)] = row[column]
    return areas


@pytest.fixture(scope="module")
def decision(demo_areas: Areas) -> joint.Decision:
    return differencing.decide_verified(demo_areas, K, kreis=KREIS, extra_keys=input_attributes())


def _decisions_per_key(tables: Any, keys: Any) -> dict[joint.Key, set[bool]]:
    seen: dict[joint.Key, set[bool]] = defaultdict(set)
    for name, (_categories, grid) in tables.items():
        for key_row, cell_row in zip(keys[name], grid, strict=True):
            for key, cell in zip(key_row, cell_row, strict=True):
                seen[key].add(cell.suppressed)
    return seen


def test_every_count_has_one_decision_in_all_tables(demo_areas: Areas, decision: joint.Decision) -> None:
    # Table by table (the old way) the same persons are suppressed in one table and published in another ...
    separately = {
        name: (None, [list(cells) for _label, cells in build_table(name[2], demo_areas[name[:2]][name[2]], K).rows])
        for name in decision.tables
    }
    for name, table in separately.items():
        table[1].append(build_table(name[2], demo_areas[name[:2]][name[2]], K).total)
    before = _decisions_per_key(separately, decision.keys)
    assert any(len(d) > 1 for d in before.values())
    # ... jointly every key (area + persons counted) is suppressed everywhere or nowhere.
    after = _decisions_per_key(decision.tables, decision.keys)
    assert all(len(d) == 1 for d in after.values())
    europa = [key for key in after if key[1] == frozenset({("nat", frozenset({"europa"}))})]
    assert europa  # the "übriges Europa" total: column total of table 01 and row total of table 02
    for key in europa:
        places = [
            name
            for name, grid in decision.keys.items()
            if any(key in row for row in grid)
            and name[2] in ("alter_staatsangehoerigkeit", "staatsangehoerigkeitsgruppe")
        ]
        assert len(places) == 2 and len(after[key]) == 1


def test_no_small_count_is_recoverable_across_tables_areas_and_indicators(decision: joint.Decision) -> None:
    small = [key for key in decision.suppressed if 0 < decision.values[key] < K]
    assert small and decision.relations
    # Indicator inputs (e.g. foreigners aged 0-6) are linked to the table cells they add up.
    assert {"ew_auslaender", "ew_auslaender_alter_0_6", "ew_gesamt"} <= set(decision.extra)
    assert differencing.recovered(decision, decision.keys.values(), k=K) == {}
    # Nothing published is small; every suppressed indicator input is suppressed wherever it is a table cell.
    assert not any(0 < v < K for key, v in decision.values.items() if key not in decision.suppressed)


def test_linear_programming_bounds_on_a_small_system() -> None:
    """A table whose only small cell would follow from a second table's count of the same persons."""
    areas = {
        ("kreis", KREIS): {
            "staatsangehoerigkeitsgruppe": {
                ("deutsch", "m"): 50,
                ("deutsch", "w"): 60,
                ("europa", "m"): 2,
                ("europa", "w"): 7,
                ("eu27", "m"): 9,
                ("eu27", "w"): 8,
            },
            "migrationshintergrund": {
                ("ohne", "m"): 45,
                ("ohne", "w"): 55,
                ("deutsch_eigen", "m"): 5,
                ("deutsch_eigen", "w"): 5,
                ("auslaender", "m"): 11,
                ("auslaender", "w"): 15,
            },
        }
    }
    result = differencing.decide_verified(areas, K, kreis=KREIS)
    assert differencing.recovered(result, result.keys.values(), k=K, bounds=True) == {}


@pytest.mark.parametrize("coefficients", [(1, -1), (1, -1, 2, -3)])
def test_sparse_exact_check_agrees_with_the_dense_svd(coefficients: tuple[int, ...]) -> None:
    """Large components are tested by elimination modulo a prime: same verdict as the SVD on random systems
    of table-like equations (coefficients −1, 0, 1; chains, cycles, isolated and determined unknowns). With
    2 and −3 as well, pivots have large inverses modulo the prime and the residues leave the small-integer
    range, so the reduction path is taken too."""
    import random

    import numpy as np

    from teilhabe.population import sparse_rank

    generator = random.Random(7)
    for _case in range(150):
        n = generator.randint(1, 40)
        rows = []
        for _row in range(generator.randint(0, 45)):
            members = generator.sample(range(n), generator.randint(1, min(n, 6)))
            rows.append({c: generator.choice(coefficients) for c in members})
        matrix = np.zeros((len(rows), n))
        for r, row in enumerate(rows):
            for c, v in row.items():
                matrix[r, c] = v
        assert sparse_rank.determined(rows, n) == list(differencing._determined(matrix))


def test_large_components_are_checked_not_skipped(demo_areas: Areas, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the dense limit lowered every component goes through the sparse test: nothing is skipped and the
    decision stays free of recoverable small counts (checked again with the dense SVD)."""
    monkeypatch.setattr(differencing, "DENSE_MAX", 0)
    skipped: list[int] = []
    result = differencing.decide_verified(demo_areas, K, kreis=KREIS, extra_keys=input_attributes(), skipped=skipped)
    assert skipped == []
    monkeypatch.setattr(differencing, "DENSE_MAX", 10**9)
    assert differencing.recovered(result, result.keys.values(), k=K) == {}


def test_skipping_unchanged_tables_decides_the_same(demo_areas: Areas, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixed point protects a table again only when one of its cells or a sum it takes from elsewhere was
    newly suppressed. Visiting every table in every round (as before) must give the same decision."""
    lean = differencing.decide_verified(demo_areas, K, kreis=KREIS, extra_keys=input_attributes())

    def every_table(self: joint.Joint, keys: Any) -> None:
        list(keys)
        self.dirty.update(range(len(self.pool.tables)))

    monkeypatch.setattr(joint.Joint, "_touch", every_table)
    full = differencing.decide_verified(demo_areas, K, kreis=KREIS, extra_keys=input_attributes())
    assert lean.suppressed == full.suppressed
    assert lean.tables == full.tables
