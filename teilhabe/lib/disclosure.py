"""Statistical disclosure control for published counts (DP-42, DP-43). Django-free.

- Primary suppression: a count of 1 … k-1 persons is never published (0 is, it reveals nobody).
- Secondary suppression: in every line of a table with margins (each row with its row total, each column
  with its column total) there is never exactly one suppressed cell, otherwise it could be recovered by
  subtraction. We suppress the smallest further positive cell of that line, preferring inner cells to
  totals, and repeat until the table is stable.
- Differencing: the line rule alone is not enough (a row whose cells are all small can be solved from
  the column totals), so ``protect_table`` finally suppresses further cells until no suppressed cell
  follows uniquely from the published values and margins (exact linear-algebra check, ``recoverable``).
- Rounding to a base (e.g. 5) as the alternative per indicator; dominance rule for magnitude values.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

Reason = Literal["", "primary", "secondary"]
SUPPRESSED_MARK = "•"  # shown instead of the value; explained next to every table


@dataclass(frozen=True)
class Cell:
    value: int
    reason: Reason = ""

    @property
    def suppressed(self) -> bool:
        return self.reason != ""

    @property
    def published(self) -> int | None:
        return None if self.suppressed else self.value


def needs_primary(value: int, k: int) -> bool:
    return 0 < value < k


def protect_value(value: int, k: int) -> Cell:
    """A single published count without margins (e.g. one indicator numerator)."""
    return Cell(value, "primary" if needs_primary(value, k) else "")


KnownSum = Sequence[tuple[int, int, int]]  # (row, column, sign) of grid cells whose signed sum is published


def protect_table(
    matrix: Sequence[Sequence[int]],
    k: int,
    forced: Collection[tuple[int, int]] = (),
    known_sums: Sequence[KnownSum] = (),
) -> list[list[Cell]]:
    """Protect a table and return it *with* margins: a total column at the right, a total row at the bottom.

    ``matrix`` holds the inner counts (rows × columns). The margins are computed here so that they always
    add up; all lines (rows and columns including their totals) are protected together. ``forced`` are
    (row, column) positions of the grid *with* margins that are suppressed already, because the same count
    is suppressed in another published table (joint decision, ``teilhabe.population.joint``); they are
    marked "secondary" unless they are small themselves. ``known_sums`` are further sums of cells an attacker
    knows from elsewhere (e.g. another table's count of the same persons); the recoverability check uses them.
    """
    rows = [list(map(int, row)) for row in matrix]
    if not rows:
        return []
    width = len(rows[0])
    if any(len(row) != width for row in rows):
        raise ValueError("all rows must have the same number of columns")
    grid = [[*row, sum(row)] for row in rows]
    grid.append([sum(row[c] for row in grid) for c in range(width + 1)])
    n_rows, n_cols = len(grid), width + 1
    reason: list[list[Reason]] = [["primary" if needs_primary(v, k) else "" for v in row] for row in grid]
    for r, c in forced:
        if not reason[r][c]:
            reason[r][c] = "secondary"

    def lines() -> list[list[tuple[int, int]]]:
        result = [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
        result += [[(r, c) for r in range(n_rows)] for c in range(n_cols)]
        return result

    changed = True
    while changed:
        changed = False
        for line in lines():
            suppressed = [pos for pos in line if reason[pos[0]][pos[1]]]
            if len(suppressed) != 1:
                continue
            candidates = [pos for pos in line if not reason[pos[0]][pos[1]]]
            if not candidates:
                continue

            # Prefer positive inner cells (totals carry more information), then the smallest value.
            def cost(pos: tuple[int, int]) -> tuple[int, int, int]:
                r, c = pos
                is_total = r == n_rows - 1 or c == n_cols - 1
                value = grid[r][c]
                return (value == 0, is_total, value)

            r, c = min(candidates, key=cost)
            reason[r][c] = "secondary"
            changed = True
    return harden([[Cell(grid[r][c], reason[r][c]) for c in range(n_cols)] for r in range(n_rows)], known_sums)


def recoverable(grid: list[list[Cell]], known_sums: Sequence[KnownSum] = ()) -> set[tuple[int, int]]:
    """Suppressed cells whose value follows uniquely from the published cells and all row and column sums
    of a table with margins (last row and column are totals). A suppressed cell is recoverable iff its
    unknown is determined by the margin equations, i.e. the null space of the coefficient matrix is zero in
    its coordinate (the published values only shift the right-hand side, never what is determined)."""
    rows, cols = len(grid), len(grid[0]) if grid else 0
    unknown = tuple((r, c) for r, row in enumerate(grid) for c, cell in enumerate(row) if cell.reason)
    if not unknown:
        return set()
    return set(_recoverable(rows, cols, unknown, tuple(map(tuple, known_sums))))


def _recoverable(
    rows: int, cols: int, unknown: tuple[tuple[int, int], ...], known_sums: tuple[tuple[tuple[int, int, int], ...], ...]
) -> frozenset[tuple[int, int]]:
    """``recoverable`` for one pattern of suppressed cells."""
    import numpy as np

    flat = [r * cols + c for r, c in unknown]
    lines = _line_matrix(rows, cols)[:, flat]
    if known_sums:
        # Built with array operations: the joint decision passes a few hundred (row, column, sign) entries per
        # table, and a Python loop writing numpy scalars cost 2 s of Karlsruhe's decision.
        column = np.full(rows * cols, -1, dtype=np.intp)
        column[flat] = np.arange(len(unknown))
        entries = [_known_entries(known, cols) for known in known_sums]
        every = np.concatenate(entries)
        line = np.repeat(np.arange(len(entries)), [len(e) for e in entries])
        where = column[every[:, 0]]
        inside = where >= 0
        extra = np.zeros((len(known_sums), len(unknown)))
        np.add.at(extra, (line[inside], where[inside]), every[inside, 1])
        lines = np.vstack([lines, extra])
    matrix = lines[np.any(lines != 0, axis=1)]
    if not len(matrix):
        return frozenset()
    # An unknown is determined iff its unit vector lies in the row space of the matrix: an orthonormal basis of
    # the row space from a rank-revealing QR of the transposed matrix (3× faster than an SVD on these sizes);
    # the squared distance of the unit vector from that space is 1 − Σ basis[i]² (= Σ null-space basis[i]²).
    # LAPACK's own routines (what ``scipy.linalg.qr`` calls) without the wrapper's checks: the wrapper took
    # more time than the factorisation on these small matrices (2.3× for the whole check).
    geqp3, orgqr = _lapack()
    factored, _pivots, tau, _work, info = geqp3(np.asfortranarray(matrix.T), overwrite_a=1)
    if info:
        raise ArithmeticError(f"QR-Zerlegung fehlgeschlagen (LAPACK info {info})")
    diagonal = np.abs(np.diagonal(factored))
    rank = int((diagonal > 1e-9 * max(1.0, float(diagonal[0]))).sum())
    if rank == len(unknown):
        return frozenset(unknown)
    basis, _work, info = orgqr(factored[:, :rank], tau[:rank])  # the first ``rank`` columns of Q
    if info:
        raise ArithmeticError(f"QR-Zerlegung fehlgeschlagen (LAPACK info {info})")
    distance = 1.0 - np.einsum("ij,ij->i", basis, basis)
    return frozenset(unknown[i] for i in np.flatnonzero(distance < 1e-9))


@lru_cache(maxsize=1 << 16)
def _known_entries(known: tuple[tuple[int, int, int], ...], cols: int) -> Any:
    """(flat position, sign) rows of one known sum; the same sums come back for every round of a decision."""
    import numpy as np

    array = np.array([(r * cols + c, sign) for r, c, sign in known], dtype=np.intp).reshape(-1, 2)
    array.flags.writeable = False
    return array


@lru_cache(maxsize=1)
def _lapack() -> tuple[Any, Any]:
    from scipy.linalg import lapack

    return lapack.dgeqp3, lapack.dorgqr


@lru_cache(maxsize=256)
def _line_matrix(rows: int, cols: int) -> Any:
    """Lines × cells (row-major) of a grid with margins: +1 for the inner cells of a line, −1 for its total.
    Read-only, shared between calls."""
    import numpy as np

    matrix = np.zeros((rows + cols, rows * cols))
    for r in range(rows):
        matrix[r, r * cols : r * cols + cols - 1] = 1
        matrix[r, r * cols + cols - 1] = -1
    for c in range(cols):
        for r in range(rows - 1):
            matrix[rows + c, r * cols + c] = 1
        matrix[rows + c, (rows - 1) * cols + c] = -1
    matrix.flags.writeable = False
    return matrix


def harden(grid: list[list[Cell]], known_sums: Sequence[KnownSum] = ()) -> list[list[Cell]]:
    """Suppress further cells until no suppressed cell can be recovered from the published margins.

    The line rule guarantees no line with a single suppression; that is not enough against a
    differencing attack over several lines (e.g. a row whose every cell is small). For each recoverable
    cell we suppress the smallest positive published inner cell in its row or column (any cell if none)."""
    grid = [list(row) for row in grid]
    rows, cols = len(grid), len(grid[0]) if grid else 0
    while True:
        found = recoverable(grid, known_sums)
        if not found:
            return grid
        r, c = min(found)
        line = [(r, j) for j in range(cols)] + [(i, c) for i in range(rows)]
        candidates = [pos for pos in line if not grid[pos[0]][pos[1]].suppressed]
        if not candidates:
            candidates = [(i, j) for i in range(rows) for j in range(cols) if not grid[i][j].suppressed]
        if not candidates:
            return grid

        def cost(pos: tuple[int, int]) -> tuple[bool, bool, int]:
            value = grid[pos[0]][pos[1]].value
            return (value == 0, pos[0] == rows - 1 or pos[1] == cols - 1, value)

        i, j = min(candidates, key=cost)
        grid[i][j] = Cell(grid[i][j].value, "secondary")


def protect_vector(values: Sequence[int], k: int) -> tuple[list[Cell], Cell]:
    """One line of counts with its total (e.g. foreigners by nationality in one Gemeinde)."""
    table = protect_table([list(values)], k)
    return table[0][:-1], table[0][-1]


def round_to_base(value: int, base: int = 5) -> int:
    """Round half up to a multiple of ``base``; zero stays zero, small positive counts become ``base``."""
    if value == 0:
        return 0
    return max(base, int((value + base / 2) // base * base))


def dominance_suppressed(contributions: Sequence[float], n: int = 1, share: float = 0.85) -> bool:
    """(n, k) dominance rule for magnitude values: suppress if the n largest contributors hold > share."""
    total = sum(contributions)
    if total <= 0:
        return False
    largest = sorted(contributions, reverse=True)[:n]
    return sum(largest) / total > share
