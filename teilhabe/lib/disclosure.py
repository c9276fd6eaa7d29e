"""Statistical disclosure control for published counts (DP-42, DP-43). Django-free.

- Primary suppression: a count of 1 … k-1 persons is never published (0 is, it reveals nobody).
- Secondary suppression: in every line of a table with margins (each row with its row total, each column
  with its column total) there is never exactly one suppressed cell, otherwise it could be recovered by
  subtraction. We suppress the smallest further positive cell of that line, preferring inner cells to
  totals, and repeat until the table is stable.
- Rounding to a base (e.g. 5) as the alternative per indicator; dominance rule for magnitude values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

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


def protect_table(matrix: Sequence[Sequence[int]], k: int) -> list[list[Cell]]:
    """Protect a table and return it *with* margins: a total column at the right, a total row at the bottom.

    ``matrix`` holds the inner counts (rows × columns). The margins are computed here so that they always
    add up; all lines (rows and columns including their totals) are protected together.
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
    return [[Cell(grid[r][c], reason[r][c]) for c in range(n_cols)] for r in range(n_rows)]


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
