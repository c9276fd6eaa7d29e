from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from teilhabe.lib.disclosure import Cell, dominance_suppressed, protect_table, protect_value, recoverable, round_to_base

K = 3


def _lines(table: list[list[Cell]]) -> list[list[Cell]]:
    rows = [list(row) for row in table]
    cols = [list(col) for col in zip(*table, strict=True)]
    return rows + cols


def test_small_counts_are_suppressed_and_zero_is_published() -> None:
    assert protect_value(2, K).published is None
    assert protect_value(0, K).published == 0
    assert protect_value(3, K).published == 3


def test_a_single_suppressed_cell_cannot_be_recovered_from_the_row_total() -> None:
    table = protect_table([[10, 2, 7]], K)
    published = [cell.published for cell in table[0]]
    assert published[1] is None
    # A second cell in the row (and the matching column totals) is suppressed as well.
    assert sum(1 for value in published if value is None) >= 2


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=5), min_size=1, max_size=5).filter(
        lambda rows: len({len(r) for r in rows}) == 1
    )
)
def test_every_published_cell_is_zero_or_at_least_k_and_no_line_has_a_lone_suppression(rows: list[list[int]]) -> None:
    table = protect_table(rows, K)
    for row in table:
        for cell in row:
            assert cell.published is None or cell.published == 0 or cell.published >= K
    for line in _lines(table):
        suppressed = [cell for cell in line if cell.suppressed]
        assert len(suppressed) != 1, line
    # No suppressed cell can be solved from the published cells and the margins (differencing attack).
    assert not recoverable(table)
    # Margins always add up to the inner values (they are computed, not taken from the caller).
    assert table[-1][-1].value == sum(sum(r) for r in rows)


def test_a_row_of_small_counts_cannot_be_solved_from_the_column_totals() -> None:
    # Row 2 is all small: every cell suppressed by the line rule, yet each equals column total minus row 1.
    table = protect_table([[10, 12, 9], [1, 2, 1], [8, 7, 11]], K)
    assert [cell.suppressed for cell in table[1][:3]] == [True, True, True]
    assert not recoverable(table)


def test_rounding_and_dominance() -> None:
    assert [round_to_base(v) for v in (0, 1, 2, 3, 7, 8, 12, 13)] == [0, 5, 5, 5, 5, 10, 10, 15]
    assert dominance_suppressed([900.0, 50.0, 50.0]) is True
    assert dominance_suppressed([400.0, 300.0, 300.0]) is False


def test_recoverable_agrees_with_the_null_space_of_an_svd() -> None:
    """The check calls LAPACK's QR directly and builds known sums with array operations: on random tables
    (margins, suppression patterns, known sums with repeated cells) it names exactly the cells whose unit
    vector is orthogonal to the null space of the line and known-sum equations, computed independently."""
    import random

    import numpy as np

    generator = random.Random(11)
    for _case in range(300):
        rows, cols = generator.randint(2, 7), generator.randint(2, 6)
        grid = [[Cell(1, "primary" if generator.random() < 0.4 else "") for _c in range(cols)] for _r in range(rows)]
        unknown = [(r, c) for r in range(rows) for c in range(cols) if grid[r][c].suppressed]
        known = [
            [(generator.randrange(rows), generator.randrange(cols), generator.choice((1, -1))) for _ in range(4)]
            for _ in range(generator.randint(0, 3))
        ]
        index = {pos: i for i, pos in enumerate(unknown)}
        equations = []
        for r in range(rows):
            equations.append({(r, c): (-1 if c == cols - 1 else 1) for c in range(cols)})
        for c in range(cols):
            equations.append({(r, c): (-1 if r == rows - 1 else 1) for r in range(rows)})
        for entries in known:
            equation: dict[tuple[int, int], int] = {}
            for r, c, sign in entries:
                equation[(r, c)] = equation.get((r, c), 0) + sign
            equations.append(equation)
        matrix = np.zeros((len(equations), len(unknown)))
        for i, equation in enumerate(equations):
            for pos, v in equation.items():
                if pos in index:
                    matrix[i, index[pos]] += v
        if unknown:
            _u, singular, vt = np.linalg.svd(matrix)
            rank = int((singular > 1e-9).sum())
            null = vt[rank:]
            expected = {unknown[i] for i in range(len(unknown)) if not len(null) or np.abs(null[:, i]).max() < 1e-9}
        else:
            expected = set()
        assert recoverable(grid, known) == expected
