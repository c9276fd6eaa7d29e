"""Differencing check over everything published for one Stichtag: can a suppressed count be recovered by
adding and subtracting published numbers of *all* tables, areas and indicator counts? Django-free.

Unknowns are the suppressed keys; the equations are every table's row and column sums, the relations of
``joint.decide`` (one table's count = the sum of another's cells, Kreis = Σ Gemeinden, Gemeinde = Σ
Planungsräume, indicator count = Σ table cells). A suppressed count is *recovered* if the equations
determine it (null-space test per connected component) and, with ``bounds=True``, if linear programming
with the attacker's knowledge "counts are ≥ 0" pins it to one value (``scipy.optimize.linprog``).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager

import numpy as np

from teilhabe.population import sparse_rank
from teilhabe.population.joint import AreaId, Decision, Joint, Key, order

log = logging.getLogger(__name__)
DENSE_MAX = 300  # larger components: exact sparse elimination modulo a prime instead of a dense SVD

Equation = tuple[list[tuple[Key, int]], int]  # (key, coefficient) terms; = right-hand side 0


def equations(decision: Decision, grids: Iterable[list[list[Key]]]) -> list[list[tuple[Key, int]]]:
    """Σ coefficient · key = 0 for every table line (cells − total) and every relation (children − parent)."""
    result: list[list[tuple[Key, int]]] = []
    for keys in grids:
        n_rows, n_cols = len(keys), len(keys[0])
        for r in range(n_rows):
            result.append([*((keys[r][c], 1) for c in range(n_cols - 1)), (keys[r][n_cols - 1], -1)])
        for c in range(n_cols):
            result.append([*((keys[r][c], 1) for r in range(n_rows - 1)), (keys[n_rows - 1][c], -1)])
    for parent, children in decision.relations:
        result.append([*((child, 1) for child in children), (parent, -1)])
    return result


def recovered(
    decision: Decision,
    grids: Iterable[list[list[Key]]],
    *,
    k: int,
    bounds: bool = False,
    max_lp: int = 400,
    max_unknowns: int | None = None,
    skipped: list[int] | None = None,
) -> dict[Key, tuple[float, float]]:
    """Suppressed keys with 1 … k-1 persons that an attacker can pin down: key → (lowest, highest) value
    consistent with everything published (equal bounds = recovered). Empty = protected.

    ``max_unknowns``: components with more suppressed counts are not checked (their sizes go to ``skipped``);
    a dense SVD grows with the cube of the component size."""
    with _one_thread():
        system = System(equations(decision, grids))
        return _recovered(decision, system, k, bounds, max_lp, max_unknowns, skipped)


class System:
    """The equations of one decision, indexed once (they do not change while suppression grows): per key the
    numbers of the equations holding it, and the terms as arrays (equation, key number, sign) so that each
    check selects its unknowns' coefficients with array operations. (``joint.order`` caches its own work.)"""

    def __init__(self, rows: list[list[tuple[Key, int]]]) -> None:
        self.rows = rows
        self.holding: dict[Key, list[int]] = {}
        for number, terms in enumerate(rows):
            for key, _sign in terms:
                self.holding.setdefault(key, []).append(number)
        self.number = {key: i for i, key in enumerate(self.holding)}
        self.term_row = np.repeat(np.arange(len(rows), dtype=np.int64), [len(terms) for terms in rows])
        self.term_key = np.fromiter(
            (self.number[key] for terms in rows for key, _sign in terms), dtype=np.int64, count=len(self.term_row)
        )
        self.term_sign = np.fromiter(
            (sign for terms in rows for _key, sign in terms), dtype=np.int64, count=len(self.term_row)
        )

    def coefficients(self, unknown: list[Key]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(equation, unknown index, coefficient) of every nonzero coefficient of ``unknown`` (a key twice in
        one equation: summed), sorted by equation and unknown."""
        column = np.full(len(self.number), -1, dtype=np.int64)
        for i, key in enumerate(unknown):
            n = self.number.get(key)
            if n is not None:
                column[n] = i
        columns = column[self.term_key]
        inside = columns >= 0
        rows, columns, signs = self.term_row[inside], columns[inside], self.term_sign[inside]
        order = np.lexsort((columns, rows))
        rows, columns, signs = rows[order], columns[order], signs[order]
        if len(rows):
            start = np.flatnonzero(np.r_[True, (rows[1:] != rows[:-1]) | (columns[1:] != columns[:-1])])
            rows, columns, signs = rows[start], columns[start], np.add.reduceat(signs, start)
            nonzero = signs != 0
            rows, columns, signs = rows[nonzero], columns[nonzero], signs[nonzero]
        return rows, columns, signs


@contextmanager
def _one_thread() -> Iterator[None]:
    """Single-threaded BLAS: on a shared machine threads only contend (6× faster measured under load)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a dependency of scipy, normally present
        yield
        return
    with threadpool_limits(1):
        yield


def _recovered(
    decision: Decision,
    system: System,
    k: int,
    bounds: bool,
    max_lp: int,
    max_unknowns: int | None,
    skipped: list[int] | None,
) -> dict[Key, tuple[float, float]]:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    unknown = sorted(decision.suppressed, key=order)
    eq, col, coefficient = system.coefficients(unknown)
    n = len(unknown)
    # connected components of the unknowns: the bipartite graph unknowns (0 … n-1) – equations (n + number)
    graph = coo_matrix((np.ones(len(eq), dtype=np.int8), (col, n + eq)), shape=(n + len(system.rows),) * 2)
    _count, label = connected_components(graph, directed=False)
    starts = np.flatnonzero(np.r_[True, eq[1:] != eq[:-1]]) if len(eq) else np.zeros(0, dtype=np.int64)
    rows: list[tuple[dict[int, int], float]] = []
    ends = [*starts[1:].tolist(), len(eq)]
    cols, coefs = col.tolist(), coefficient.tolist()
    values = decision.values
    for start, end in zip(starts.tolist(), ends, strict=True):
        constant = 0.0
        if bounds:  # the right-hand side only matters to the bounds
            inside = {unknown[c] for c in cols[start:end]}
            constant = -sum(sign * values[key] for key, sign in system.rows[int(eq[start])] if key not in inside)
        rows.append((dict(zip(cols[start:end], coefs[start:end], strict=True)), constant))
    labels = label[:n].tolist()
    components: dict[int, list[int]] = {}
    for i in range(n):
        components.setdefault(labels[i], []).append(i)
    by_component: dict[int, list[tuple[dict[int, int], float]]] = {}
    for coefficients, constant in rows:
        by_component.setdefault(labels[next(iter(coefficients))], []).append((coefficients, constant))
    found: dict[Key, tuple[float, float]] = {}
    for root, members in components.items():
        small = [i for i in members if 0 < decision.values[unknown[i]] < k]
        if not small:
            continue
        if max_unknowns is not None and len(members) > max_unknowns:
            if skipped is not None:
                skipped.append(len(members))
            continue
        local = {i: n for n, i in enumerate(members)}
        eqs = by_component.get(root, [])
        if len(members) > DENSE_MAX:  # exact sparse test; no LP bounds for a component of this size
            fixed = sparse_rank.determined([{local[i]: v for i, v in c.items()} for c, _constant in eqs], len(members))
            for i in small:
                if fixed[local[i]]:
                    value = float(decision.values[unknown[i]])
                    found[unknown[i]] = (value, value)
            continue
        matrix = np.zeros((len(eqs), len(members)))
        rhs = np.zeros(len(eqs))
        for row, (coefficients, constant) in enumerate(eqs):
            for i, v in coefficients.items():
                matrix[row, local[i]] = v
            rhs[row] = constant
        determined = _determined(matrix)
        for i in small:
            if determined[local[i]]:
                value = float(decision.values[unknown[i]])
                found[unknown[i]] = (value, value)
        if bounds and len(members) <= max_lp and len(eqs):
            for i in small:
                if unknown[i] in found:
                    continue
                low, high = _bounds(matrix, rhs, local[i])
                if high - low < 0.5 or high < 1 or (low >= 1 and high < k):
                    found[unknown[i]] = (low, high)
    return found


def _determined(matrix: np.ndarray) -> np.ndarray:
    if not len(matrix):
        return np.zeros(matrix.shape[1], dtype=bool)
    _u, singular, vt = np.linalg.svd(matrix, full_matrices=matrix.shape[0] < matrix.shape[1])
    rank = int((singular > 1e-9 * max(1.0, float(singular[0]))).sum())
    null = vt[rank:]
    if not len(null):
        return np.ones(matrix.shape[1], dtype=bool)
    return np.abs(null).max(axis=0) < 1e-9


def _bounds(matrix: np.ndarray, rhs: np.ndarray, i: int) -> tuple[float, float]:
    from scipy.optimize import linprog

    objective = np.zeros(matrix.shape[1])
    objective[i] = 1.0
    low = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=(0, None), method="highs")
    high = linprog(-objective, A_eq=matrix, b_eq=rhs, bounds=(0, None), method="highs")
    lowest = low.fun if low.status == 0 else 0.0
    highest = -high.fun if high.status == 0 else float("inf")
    return float(lowest), float(highest)


def decide_verified(
    areas: Mapping[AreaId, Mapping[str, Mapping[tuple[str, str], int]]],
    k: int,
    *,
    kreis: str,
    extra_keys: Mapping[str, Mapping[str, frozenset[str]]] | None = None,
    max_repairs: int = 60,
    max_unknowns: int | None = None,
    skipped: list[int] | None = None,
) -> Decision:
    """``joint.decide``, then the exact differencing check; while a small count is recoverable through a chain
    of relations, suppress the smallest positive published member of an equation holding it and continue the
    fixed point from there (``joint.Joint.settle``: suppression only grows, so this ends; the tables, keys and
    relations are built once). BLAS runs single-threaded throughout (many small SVDs)."""
    with _one_thread():
        state = Joint(areas, k, kreis=kreis, extra_keys=extra_keys)
        decision = state.settle()
        system = System(equations(decision, decision.keys.values()))  # keys and relations do not change
        seen: dict[Key, int] = {}  # recovered key → in how many checks
        for repair in range(max_repairs + 1):
            sizes: list[int] = []
            found = _recovered(decision, system, k, False, 0, max_unknowns, sizes)
            if skipped is not None:
                skipped[:] = sizes
            if not found:
                return decision
            if repair == max_repairs:
                break
            log.info("differencing repair %d: %d recoverable small counts", repair + 1, len(found))
            for key in found:
                seen[key] = seen.get(key, 0) + 1
            decision = state.settle(_breakers(decision, system, found, {key for key in found if seen[key] > 2}))
    raise Unprotected(f"{len(found)} kleine Werte sind nach {max_repairs} Reparaturen noch rückrechenbar")


class Unprotected(RuntimeError):
    """The repairs did not end in a decision without recoverable small counts: nothing may be published."""


def _breakers(decision: Decision, system: System, found: Iterable[Key], again: Collection[Key] = ()) -> set[Key]:
    """Per recovered key the smallest positive published member of the equations nearest to it: those holding
    it, or, if all their members are suppressed, those holding their members, and so on (breadth first). For a
    key in ``again`` (recovered in two earlier checks already) the smallest published member of *every*
    equation of that nearest layer, so that long chains close in few repairs."""
    holding, rows = system.holding, system.rows
    chosen: set[Key] = set()
    for key in found:
        frontier, seen_keys = {key}, {key}
        seen_equations: set[int] = set()
        while frontier:
            layer = sorted({n for k in frontier for n in holding.get(k, ())} - seen_equations)
            seen_equations.update(layer)
            smallest = []
            for number in layer:
                published = [term for term, _sign in rows[number] if term not in decision.suppressed]
                if published:
                    smallest.append(min(published, key=lambda t: (decision.values[t] == 0, decision.values[t])))
            if smallest:
                if key in again:
                    chosen.update(smallest)
                else:
                    chosen.add(min(smallest, key=lambda t: (decision.values[t] == 0, decision.values[t])))
                break
            frontier = {term for n in layer for term, _sign in rows[n]} - seen_keys
            seen_keys |= frontier
    return chosen
