"""Raking (iterative proportional fitting) of respondents to separate one-way margins. Django-free.

``rake(units, margins)``: ``units`` is a list of dicts (margin variable → category of one respondent),
``margins`` maps each variable to {category: population total}. Returns ``RakeResult`` with one weight per
unit whose weighted totals reproduce every margin (within ``tolerance``, relative), weights trimmed to
[``lower``, ``upper``] × mean weight N/n inside every raking step (bounded raking: a weight that would
cross a bound stays at it and the others of its category absorb the rest, so each step meets its margin
exactly; ``converged`` means every margin is met within ``tolerance`` after a full cycle, honestly
``False`` otherwise, e.g. when the bounds make the margins unreachable), the Kish design
effect ``1 + CV²`` of the weights and the effective sample size.

``share(values, weights)``: weighted share of True with a 95 % confidence interval from the effective
sample size (Wilson interval with n_eff, Kish 1965; Korn & Graubard 1998).
Errors: ``WeightingError`` (German text) for a margin category without respondents or empty margins.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Z95 = 1.959963984540054


class WeightingError(ValueError):
    pass


@dataclass
class RakeResult:
    weights: list[float]
    iterations: int
    converged: bool
    design_effect: float
    effective_n: float
    trimmed: int
    max_error: float  # largest relative deviation from a margin
    margins: dict[str, dict[str, float]] = field(default_factory=dict)  # weighted totals reached


def _totals(units: Sequence[Mapping[str, str]], weights: Sequence[float], variable: str) -> dict[str, float]:
    totals: dict[str, float] = {}
    for unit, weight in zip(units, weights, strict=True):
        category = unit.get(variable)
        if category is not None:
            totals[category] = totals.get(category, 0.0) + weight
    return totals


def _fit_bounded(weights: list[float], index: list[int], target: float, low: float, high: float) -> None:
    """Scale the weights of one margin category (in place) so they sum to ``target`` with every weight kept
    in [low, high]: weights that would cross a bound are fixed at it and the rest absorb the difference
    (bounded raking, Deville & Särndal 1992, "truncated" distance). Infeasible targets leave all at a bound."""
    if not index or target <= 0:
        return
    fixed: dict[int, float] = {}
    for _round in range(len(index) + 1):
        free = [i for i in index if i not in fixed]
        free_total = sum(weights[i] for i in free)
        rest = target - sum(fixed.values())
        if not free or free_total <= 0:
            break
        factor = rest / free_total
        crossing = {i: (low if weights[i] * factor < low else high) for i in free
                    if not low <= weights[i] * factor <= high}  # fmt: skip
        if not crossing:
            for i in free:
                weights[i] *= factor
            break
        fixed.update(crossing)
    for i, bound in fixed.items():
        weights[i] = bound


def _max_error(
    units: Sequence[Mapping[str, str]], weights: Sequence[float], scaled: Mapping[str, Mapping[str, float]]
) -> float:
    return max(
        (
            abs(total - scaled[v][c]) / scaled[v][c]
            for v in scaled
            for c, total in _totals(units, weights, v).items()
            if scaled[v].get(c)
        ),
        default=0.0,
    )


def design_effect(weights: Sequence[float]) -> float:
    n = len(weights)
    total = sum(weights)
    if n == 0 or total <= 0:
        return 1.0
    return n * sum(w * w for w in weights) / (total * total)


def rake(
    units: Sequence[Mapping[str, str]],
    margins: Mapping[str, Mapping[str, float]],
    *,
    tolerance: float = 1e-4,
    max_iterations: int = 2000,
    lower: float = 0.2,
    upper: float = 5.0,
    open_variables: frozenset[str] = frozenset(),
) -> RakeResult:
    """``open_variables``: margins that cover only some categories (e.g. sex without the suppressed
    "divers/ohne Angabe"); their targets are taken as they are and other units are not adjusted on them."""
    if not units:
        raise WeightingError("Keine Antworten zum Gewichten.")
    if not margins:
        raise WeightingError("Keine Randverteilungen gewählt.")
    if not 0 < lower < 1 < upper:
        raise WeightingError("Die Kappungsgrenzen müssen 0 < untere Grenze < 1 < obere Grenze erfüllen.")
    variables = list(margins)
    population = None
    # Margins from different tables differ slightly (suppression, rounding): all are scaled to the first.
    for variable in variables:
        total = float(sum(margins[variable].values()))
        population = total if population is None else population
        seen = _totals(units, [1.0] * len(units), variable)
        missing = [c for c, v in margins[variable].items() if v > 0 and c not in seen]
        if missing:
            raise WeightingError(
                f"Randverteilung „{variable}“: keine Antwort in der Kategorie {', '.join(sorted(missing))}; "
                "bitte Kategorien zusammenfassen."
            )
        unknown = set(seen) - set(margins[variable])
        if unknown and variable not in open_variables:
            raise WeightingError(
                f"Randverteilung „{variable}“: Antworten in Kategorien ohne Randsumme ({', '.join(sorted(unknown))})."
            )
    assert population is not None
    scaled = {
        variable: {
            c: float(v) * (1.0 if variable in open_variables else population / float(sum(margins[variable].values())))
            for c, v in margins[variable].items()
        }
        for variable in variables
    }
    base = population / len(units)
    low, high = lower * base, upper * base  # bounds on the weight, relative to the mean weight N/n
    weights = [base] * len(units)
    members = {
        variable: {c: [i for i, u in enumerate(units) if u.get(variable) == c] for c in scaled[variable]}
        for variable in variables
    }
    iterations = 0
    converged = False
    max_error = math.inf
    for iterations in range(1, max_iterations + 1):  # noqa: B007 - reported
        for variable in variables:
            for category, target in scaled[variable].items():
                _fit_bounded(weights, members[variable][category], target, low, high)
        max_error = _max_error(units, weights, scaled)
        if max_error < tolerance:
            converged = True
            break
    trimmed_total = sum(1 for w in weights if w <= low * (1 + 1e-9) or w >= high * (1 - 1e-9))
    deff = design_effect(weights)
    return RakeResult(
        weights=weights,
        iterations=iterations,
        converged=converged,
        design_effect=deff,
        effective_n=len(weights) / deff,
        trimmed=trimmed_total,
        max_error=max_error,
        margins={v: _totals(units, weights, v) for v in variables},
    )


@dataclass(frozen=True)
class Share:
    value: float  # 0 … 1
    low: float
    high: float
    n: int
    effective_n: float


def share(flags: Sequence[bool], weights: Sequence[float] | None = None) -> Share:
    """Weighted share of True with a 95 % Wilson interval on the effective sample size."""
    n = len(flags)
    if n == 0:
        return Share(math.nan, math.nan, math.nan, 0, 0.0)
    weights = list(weights) if weights is not None else [1.0] * n
    total = sum(weights)
    p = sum(w for f, w in zip(flags, weights, strict=True) if f) / total
    n_eff = n / design_effect(weights)
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n_eff)) / (1 + z2 / n_eff)
    half = Z95 * math.sqrt(p * (1 - p) / n_eff + z2 / (4 * n_eff * n_eff)) / (1 + z2 / n_eff)
    return Share(p, max(0.0, centre - half), min(1.0, centre + half), n, n_eff)
