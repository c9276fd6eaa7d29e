"""Raking (iterative proportional fitting) of respondents to separate one-way margins. Django-free.

``rake(units, margins)``: ``units`` is a list of dicts (margin variable → category of one respondent),
``margins`` maps each variable to {category: population total}. Returns ``RakeResult`` with one weight per
unit whose weighted totals reproduce every margin (within ``tolerance``, relative), weights trimmed to
[``lower``, ``upper``] × mean weight (trimming and raking alternate until both hold), the Kish design
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
    max_iterations: int = 200,
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
    variables = list(margins)
    population = None
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
        if abs(total - population) > 0.5 * 1e-3 * population:
            # Margins from different tables differ slightly (suppression, rounding): scale to the first.
            pass
    assert population is not None
    scaled = {
        variable: {
            c: float(v) * (1.0 if variable in open_variables else population / float(sum(margins[variable].values())))
            for c, v in margins[variable].items()
        }
        for variable in variables
    }
    weights = [population / len(units)] * len(units)
    trimmed_total = 0
    iterations = 0
    converged = False
    max_error = math.inf
    for iterations in range(1, max_iterations + 1):  # noqa: B007 - reported
        for variable in variables:
            totals = _totals(units, weights, variable)
            factors = {c: scaled[variable][c] / totals[c] if totals.get(c) else 1.0 for c in scaled[variable]}
            weights = [w * factors.get(u.get(variable, ""), 1.0) for u, w in zip(units, weights, strict=True)]
        mean = sum(weights) / len(weights)
        low, high = lower * mean, upper * mean
        clipped = [min(max(w, low), high) for w in weights]
        trimmed_total = sum(1 for a, b in zip(weights, clipped, strict=True) if a != b)
        weights = clipped
        max_error = max(
            abs(total - scaled[v][c]) / scaled[v][c]
            for v in variables
            for c, total in _totals(units, weights, v).items()
            if scaled[v].get(c)
        )
        if max_error < tolerance and trimmed_total == 0:
            converged = True
            break
        if max_error < tolerance:
            converged = True
            break
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
