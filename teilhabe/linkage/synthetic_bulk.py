"""Vectorised generator of a large synthetic caseload (10⁵–10⁶ records), for the deduplication budget.

Same population model as :func:`teilhabe.linkage.synthetic.make_pair` with ``long_tail`` — origins and their
weights, the hand-written name-variant families (Zipf-weighted), composed long-tail names, households that
share a family name and a Gemeinde, placeholder birth dates, original script, typos, order swaps, "Family,
Given" in one field — but drawn with numpy arrays instead of one Python call per record, so that a million
records take seconds instead of many minutes. Long-tail names come from a pool composed once per run
(``_tail_family``), large enough that about as many distinct names appear as with fresh composition.

Shape: ``make_population(n_records, seed)`` → DataFrame in the benchmark format plus ``true_id``: two
renderings ("agency a" and "agency b") stacked, as ``make_pair(n_records // 2)`` stacked would be: about
70 % of the persons of the first half have a second record, the rest of the second half are other persons.
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from teilhabe.linkage.synthetic import AGS, ORIGIN_WEIGHTS, ORIGINS, REALISTIC_TAIL, _is_latin, _tail_family, _typo

# Composed long-tail families in the pool per household (or person, for given names) that draws from it:
# two per draw, so that about 80 % of the draws get a name no other draw has, like fresh composition.
TAIL_POOL = 2.0


class _Pool:
    """Flattened name families: variant strings with per-family offset and count of Latin variants, plus
    the original-script form (or "")."""

    def __init__(self) -> None:
        self.latin: list[str] = []
        self.offset: list[int] = []
        self.count: list[int] = []
        self.script: list[str] = []

    def add(self, family: list[str], composed: bool = False) -> int:
        """Add one family; ``composed`` families (long tail) are Latin only, no script check needed."""
        latin = family if composed else [v for v in family if _is_latin(v)]
        original = [] if composed else [v for v in family if not _is_latin(v)]
        self.offset.append(len(self.latin))
        self.count.append(len(latin))
        self.latin.extend(latin)
        self.script.append(original[0] if original else "")
        return len(self.offset) - 1

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return (
            np.array(self.latin, dtype=object),
            np.array(self.offset),
            np.array(self.count),
            np.array(self.script, dtype=object),
        )


def _zipf(n: int) -> np.ndarray:
    weights = 1.0 / (np.arange(n) + 1) ** 0.8
    return weights / weights.sum()


def make_population(n_records: int, seed: int = 5, long_tail: float = REALISTIC_TAIL) -> pd.DataFrame:
    """``n_records`` records (two renderings of overlapping person lists, stacked) with ``true_id``."""
    rng = np.random.default_rng(seed)
    py = random.Random(seed)
    half = n_records // 2
    n_persons = int(half * 1.3) + 1
    pool = _Pool()
    origins = list(ORIGIN_WEIGHTS)
    # Per origin: index arrays into the pool for family names, male and female given names, tail pools.
    tables: dict[str, dict[str, np.ndarray]] = {}
    for origin in origins:
        _nat, males, females, families = ORIGINS[origin]
        households = n_persons / 2.5 * long_tail * ORIGIN_WEIGHTS[origin]  # 2.5 persons per household drawn
        tail_n = max(50, int(TAIL_POOL * households))
        given_n = max(20, int(TAIL_POOL * n_persons * long_tail / 3 * ORIGIN_WEIGHTS[origin]))
        tables[origin] = {
            "family": np.array([pool.add(f) for f in families]),
            "m": np.array([pool.add(f) for f in males]),
            "w": np.array([pool.add(f) for f in females]),
            "tail_family": np.array([pool.add(_tail_family(py, origin), composed=True) for _ in range(tail_n)]),
            "tail_given": np.array(
                [pool.add(_tail_family(py, origin, given=True), composed=True) for _ in range(given_n)]
            ),
        }
    latin, offset, count, script = pool.arrays()

    # Households: origin, family name, Gemeinde, size; then members.
    n_households = int(n_persons / 1.8) + 100  # mean household size 2: enough members, cut to n_persons
    h_origin = rng.choice(len(origins), n_households, p=[ORIGIN_WEIGHTS[o] for o in origins])
    h_family = np.empty(n_households, dtype=int)
    h_tail = rng.random(n_households) < long_tail
    for code, origin in enumerate(origins):
        mask = h_origin == code
        hand = tables[origin]["family"]
        tail = tables[origin]["tail_family"]
        h_family[mask] = np.where(
            h_tail[mask],
            tail[rng.integers(0, len(tail), mask.sum())],
            hand[rng.choice(len(hand), mask.sum(), p=_zipf(len(hand)))],
        )
    h_size = rng.choice([1, 1, 1, 2, 3, 4], n_households)
    h_ags = rng.choice(np.array(AGS, dtype=object), n_households)
    member_household = np.repeat(np.arange(n_households), h_size)[:n_persons]
    n_persons = len(member_household)
    origin_code = h_origin[member_household]
    family = h_family[member_household]
    sex = np.where(rng.random(n_persons) < 0.5, "m", "w")
    given1 = np.empty(n_persons, dtype=int)
    given2 = np.full(n_persons, -1)
    for code, origin in enumerate(origins):
        for s in ("m", "w"):
            mask = (origin_code == code) & (sex == s)
            hand = tables[origin][s]
            tail = tables[origin]["tail_given"]
            k = mask.sum()
            drawn = hand[rng.choice(len(hand), k, p=_zipf(len(hand)))]
            given1[mask] = np.where(rng.random(k) < long_tail / 3, tail[rng.integers(0, len(tail), k)], drawn)
            if origin in {"arabic", "afghan"}:
                second = rng.random(k) < 0.15
                given2[mask] = np.where(second, hand[rng.choice(len(hand), k, p=_zipf(len(hand)))], -1)
    birth = np.datetime64("1960-01-01") + rng.integers(0, 60 * 365, n_persons).astype("timedelta64[D]")
    birth_known = rng.random(n_persons) > 0.3
    nationality = np.array([ORIGINS[o][0] for o in origins], dtype=object)[origin_code]
    ags = h_ags[member_household]

    order = rng.permutation(n_persons)
    shared = order[: int(0.7 * half)]
    person_rows = np.concatenate([order[:half], shared, order[half : half + (half - len(shared))]])
    source = np.array(["a"] * half + ["b"] * (len(person_rows) - half))
    frame = _render(rng, py, person_rows, family, given1, given2, birth, birth_known, sex, nationality, ags,
                    latin, offset, count, script)  # fmt: skip
    frame.insert(0, "unique_id", [f"{s}{i}" for s, i in zip(source, range(len(person_rows)), strict=True)])
    return frame


def _render(
    rng: np.random.Generator,
    py: random.Random,
    rows: np.ndarray,
    family: np.ndarray,
    given1: np.ndarray,
    given2: np.ndarray,
    birth: np.ndarray,
    birth_known: np.ndarray,
    sex: np.ndarray,
    nationality: np.ndarray,
    ags: np.ndarray,
    latin: np.ndarray,
    offset: np.ndarray,
    count: np.ndarray,
    script: np.ndarray,
) -> pd.DataFrame:
    """One record per entry of ``rows`` (person indices), rendered as ``synthetic._render`` does."""
    n = len(rows)
    use_script = rng.random(n) < 0.15

    def pick(fam: np.ndarray) -> np.ndarray:
        valid = fam >= 0
        safe = np.where(valid, fam, 0)
        chosen = latin[offset[safe] + (rng.random(len(fam)) * count[safe]).astype(int)]
        original = script[safe]
        out = np.where(use_script & (original != ""), original, chosen)
        typo = (rng.random(len(fam)) < 0.06) & ~(use_script & (original != ""))
        out[typo] = [_typo(py, text) for text in out[typo]]
        return np.where(valid, out, "")

    g1, g2, fam = pick(given1[rows]), pick(given2[rows]), pick(family[rows])
    keep_second = (g2 != "") & (rng.random(n) >= 0.3)
    given = pd.Series(g1).where(~keep_second, pd.Series(g1) + " " + pd.Series(g2)).to_numpy(dtype=object)
    roll = rng.random(n)
    swap, one_field = roll < 0.08, (roll >= 0.08) & (roll < 0.11)
    given_out = np.where(swap, fam, np.where(one_field, "", given))
    family_out = np.where(swap, given, np.where(one_field, pd.Series(fam) + ", " + pd.Series(given), fam))

    dates = pd.Series(birth[rows])
    year = dates.dt.year.astype(str)
    iso = dates.dt.strftime("%Y-%m-%d")
    style = rng.integers(0, 5, n)  # placeholder styles 0101, 3112, 0000, year, 0101
    placeholder = np.select(
        [style == 1, style == 2, style == 3], [year + "-12-31", "00.00." + year, year], default=year + "-01-01"
    )
    r = rng.random(n)
    day, month = dates.dt.day, dates.dt.month
    swapped = (r < 0.03) & (day <= 12) & (day != month)
    day_month_swapped = year + "-" + day.map("{:02d}".format) + "-" + month.map("{:02d}".format)
    shifted = (
        (dates.dt.year + np.where(rng.random(n) < 0.5, -1, 1)).astype(str)
        + "-"
        + month.map("{:02d}".format)
        + "-"
        + day.clip(upper=28).map("{:02d}".format)
    )
    known = np.select(
        [swapped, r < 0.05, r < 0.07, r < 0.09], [day_month_swapped, shifted, year + "-01-01", ""], default=iso
    )
    persons = rows
    return pd.DataFrame(
        {
            "given_name": given_out,
            "family_name": family_out,
            "birth_date": np.where(birth_known[rows], known, placeholder),
            "nationality": np.where(rng.random(n) > 0.05, nationality[rows], ""),
            "sex": np.where(rng.random(n) > 0.02, sex[rows], ""),
            "azr": np.where(rng.random(n) < 0.3, pd.Series(persons + 1).map("{:012d}".format), ""),
            "gemeinde_ags": np.where(rng.random(n) > 0.2, ags[rows], rng.choice(np.array(AGS, dtype=object), n)),
            "true_id": persons + 1,
        }
    )
