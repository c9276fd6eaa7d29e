"""Normalised name, birth-date and place features of the linkage engine (``teilhabe.linkage.engine``).

``features(df)`` takes the benchmark format (``unique_id, given_name, family_name, birth_date, …``) and adds
the columns the Splink comparisons and blocking rules read: name skeletons, loose skeletons, phonetic keys,
birth parts. Django-free; split out of ``engine`` (decision 0143) to keep modules small.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd

from teilhabe.lib.names import (
    french_reading,
    is_persian_script,
    loose_skeleton,
    name_keys,
    parse_birth,
    skeleton,
    split_family_given,
)
from teilhabe.lib.textnorm import fold

# Records: above this, names are featurised in 2 processes and engine uses its tighter blocking rules (every
# rule has the birth year or the Gemeinde).
LARGE = 50_000


@lru_cache(maxsize=200_000)
def _name_features(text: str, persian: bool = False) -> tuple[str, str, str, tuple[str, ...], str]:
    """(latin, skeleton string, first-token skeleton, all skeletons incl. particle variants, skeleton of the
    tokens written together) of one field. The joined skeleton makes "Gebre Mariam" = "Gebremariam" and
    "Ahmed Shah" = "Ahmadshah" (name parts written apart or together)."""
    keys = name_keys(text, persian=persian)
    latin = " ".join(t.latin for t in keys.tokens)
    skeletons = [t.skeleton for t in keys.tokens]
    variants = set(skeletons)
    for token in keys.tokens:
        variants |= {k[2:] for k in token.alternatives if k.startswith("s:")}
    joined = skeleton("".join(t.latin for t in keys.tokens)) if keys.tokens else ""
    return latin, " ".join(skeletons), skeletons[0] if skeletons else "", tuple(sorted(variants)), joined


_fold = lru_cache(maxsize=200_000)(fold)
_birth = lru_cache(maxsize=200_000)(parse_birth)


def _has_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def _strip_family_article(family: str) -> str:
    """In a family name a glued Latin article is an article ("Alkhatib" = "Al-Khatib"); in given names
    it is usually not ("Alexander"), so only family names are split here."""
    words = family.split()
    if words and len(words[0]) > 5 and words[0][:2].lower() in {"al", "el"} and words[0][2:3].isalpha():
        words[0] = words[0][:2] + " " + words[0][2:]
    return " ".join(words)


def _none_if_blank(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _blank_to_empty(series: pd.Series) -> pd.Series:
    """``_none_if_blank`` per distinct value, as strings ("" for blank); object dtype."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    values = [_none_if_blank(u) or "" for u in uniques] + [""]  # code -1 (NaN/None) → last entry
    return pd.Series([values[c] for c in codes], index=series.index, dtype=object)


def _per_distinct(series: pd.Series, function: Any) -> list[Any]:
    """``function`` applied once per distinct value of *series*, mapped back to the rows (list, row order)."""
    codes, uniques = pd.factorize(series)
    results = [function(u) for u in uniques]
    return [results[c] for c in codes]


# Destatis nationality keys whose Arabic-script names are Persian, Dari or Pashto: Afghanistan, Iran.
PERSIAN_NATIONALITIES = frozenset({"423", "439"})
_PERSIAN_MARK = "\x00"  # appended to a field value whose Arabic script is to be read as Persian


def _unmark(value: str) -> tuple[str, bool]:
    return (value[:-1], True) if value.endswith(_PERSIAN_MARK) else (value, False)


def _french_loose(text: str, persian: bool) -> str:
    """Loose key of the French reading of ch (Aicha = Aisha), "" when the text has no such ch."""
    reading = french_reading(text)
    return loose_skeleton(_name_features(reading, persian)[0]) if reading else ""


def _given_features(given: str) -> tuple[Any, ...]:
    given, persian = _unmark(given)
    text = _strip_family_article(given)
    stripped = _name_features(text, persian)
    return (*_name_features(given, persian), stripped[1], loose_skeleton(stripped[0]), _french_loose(text, persian))


def _family_features(family: str) -> tuple[Any, ...]:
    family, persian = _unmark(family)
    text = _strip_family_article(family)
    stripped = _name_features(text, persian)
    return (*stripped, _name_features(family, persian)[1], loose_skeleton(stripped[0]), _french_loose(text, persian))


def _names_chunk(given: list[str], family: list[str]) -> tuple[list[Any], list[Any]]:
    return [_given_features(u) for u in given], [_family_features(u) for u in family]


def _name_columns(given: list[str], family: list[str], *, parallel: bool) -> tuple[list[Any], list[Any]]:
    """Name features per row of both fields, computed once per distinct value. With *parallel* (inputs
    above ``LARGE``), half of the distinct values go to one worker process while this process does the
    other half: the name normalisation is pure Python and would otherwise keep one of the two cores idle
    (decision 0142). Same results either way."""
    g_codes, g_uniques = pd.factorize(pd.Series(given, dtype=object))
    f_codes, f_uniques = pd.factorize(pd.Series(family, dtype=object))
    g_list, f_list = list(g_uniques), list(f_uniques)
    if parallel:
        from concurrent.futures import ProcessPoolExecutor

        gh, fh = len(g_list) // 2, len(f_list) // 2
        with ProcessPoolExecutor(max_workers=1) as pool:
            future = pool.submit(_names_chunk, g_list[gh:], f_list[fh:])
            g_head, f_head = _names_chunk(g_list[:gh], f_list[:fh])
            g_tail, f_tail = future.result()
        g_results, f_results = g_head + g_tail, f_head + f_tail
    else:
        g_results, f_results = _names_chunk(g_list, f_list)
    return [g_results[c] for c in g_codes], [f_results[c] for c in f_codes]


def features(df: pd.DataFrame) -> pd.DataFrame:
    """Normalised feature table for Splink (one row per input row, same ``unique_id``).

    Name keys are computed once per distinct field value (a large population has far fewer distinct
    names than records) and mapped back to the rows; the result is the same as a per-row computation."""
    given = _blank_to_empty(df["given_name"]).tolist()
    family = _blank_to_empty(df["family_name"]).tolist()
    for i, (g, f) in enumerate(zip(given, family, strict=True)):
        if not g and "," in f:  # "Family, Given" typed into one field
            family[i], given[i] = split_family_given(f)
    # Arabic script of a record whose other name field is written in the Persian alphabet, or whose
    # nationality is Afghan or Iranian, is read as Persian (رضا = Reza, not "Rida"; decision 0143).
    nationality = _blank_to_empty(df["nationality"]).tolist()
    for i, (g, f, n) in enumerate(zip(given, family, nationality, strict=True)):
        if (n in PERSIAN_NATIONALITIES or is_persian_script(g) or is_persian_script(f)) and _has_arabic(g + f):
            given[i], family[i] = g + _PERSIAN_MARK, f + _PERSIAN_MARK
    gf, ff = _name_columns(given, family, parallel=len(df) > LARGE)
    births = _per_distinct(_blank_to_empty(df["birth_date"]), _birth)
    out = pd.DataFrame({"unique_id": df["unique_id"].astype(str).to_numpy()})

    def col(values: list[Any]) -> list[Any]:
        return [v or None for v in values]

    g_lat, g_sk, g_first, g_all, g_skj, g_sk2, g_lx, g_fr = (
        (list(x) for x in zip(*gf, strict=True)) if gf else ([],) * 8
    )
    f_lat, f_sk, f_first, f_all, f_skj, f_sk2, f_lx, f_fr = (
        (list(x) for x in zip(*ff, strict=True)) if ff else ([],) * 8
    )
    out["given_lat"] = col(g_lat)
    out["given_sk"] = col(g_sk)
    out["given_first"] = col(g_first)
    out["given_sk2"] = col(g_sk2)
    out["given_skj"] = col(g_skj)
    out["family_sk2"] = col(f_sk2)
    out["family_skj"] = col(f_skj)
    out["family_lat"] = col(f_lat)
    out["family_sk"] = col(f_sk)
    out["family_first"] = col(f_first)
    out["given_lx"] = col(g_lx)  # both fields in the article-stripped reading
    out["family_lx"] = col(f_lx)
    out["given_lxf"] = col(g_fr)  # French reading of ch, where the field has one (Aicha = Aisha)
    out["family_lxf"] = col(f_fr)
    out["name_sks"] = [sorted(set(a) | set(b)) for a, b in zip(g_all, f_all, strict=True)]
    out["name_sorted"] = [" ".join(sorted((a + " " + b).split())) or None for a, b in zip(g_sk, f_sk, strict=True)]
    # Order-free pair of two-letter skeleton prefixes: a loose block for the small-input rules
    # (variant spelling in both fields plus a swap or a missing or shifted birth date).
    out["name2"] = [" ".join(sorted((a[:2], b[:2]))) if a and b else None for a, b in zip(g_sk, f_sk, strict=True)]
    out["g3"] = [a[:3] or None for a in g_sk]
    out["f3"] = [b[:3] or None for b in f_sk]
    out["byear"] = pd.array([b.year for b in births], dtype="Int64")
    out["bmonth"] = pd.array([b.month for b in births], dtype="Int64")
    out["bday"] = pd.array([b.day for b in births], dtype="Int64")
    out["b_unc"] = [b.uncertain for b in births]
    out["nationality"] = col(_blank_to_empty(df["nationality"]).tolist())
    sex = _blank_to_empty(df["sex"]).str.lower().str[:1].replace({"f": "w"})
    out["sex"] = [s if s in {"m", "w", "d"} else None for s in sex]
    out["azr"] = col(_blank_to_empty(df["azr"]).str.replace(" ", "", regex=False).tolist())
    out["ags"] = col(_blank_to_empty(df["gemeinde_ags"]).tolist())
    if "street" in df.columns:
        out["street"] = col(_per_distinct(_blank_to_empty(df["street"]), _fold))
    if "locality" in df.columns:
        out["locality"] = col(_per_distinct(_blank_to_empty(df["locality"]), _fold))
    return out
