"""Record-linkage engine: deterministic rules, then Splink (DuckDB) over normalised name features.

Django-free, so the benchmark (``benchmarks/identity.py``) and the app (``teilhabe.linkage.services``) run
the same code. Input is a pandas DataFrame with the columns of the benchmark format::

    unique_id, given_name, family_name, birth_date, nationality, sex, azr, gemeinde_ags

(``birth_date`` ISO or German, possibly a placeholder; extra optional columns ``street`` and ``locality``
are compared when present). Output: a DataFrame of scored pairs ``unique_id_l, unique_id_r,
match_probability, rule`` (``rule`` = ``azr`` for the deterministic rule, ``splink`` otherwise).

Every setting — comparisons, blocking, training steps, thresholds — is fixed here, before any data is seen
(docs/decisions/0031-splink-configuration.md). Nothing is tuned on labels.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pandas as pd

from teilhabe.linkage.features import LARGE, features

# Fixed a priori, not tuned on labels: a pair is a match when the posterior says "more likely than not"
# (the Bayes decision under equal costs); the grey zone below it goes to clerical review. The app never
# merges on a score alone: every match inside an organisation is confirmed by a person.
MATCH_THRESHOLD = 0.50
REVIEW_THRESHOLD = 0.10

logging.getLogger("splink").setLevel(logging.ERROR)
for _name in ("splink", "splink.internals"):
    logging.getLogger(_name).setLevel(logging.ERROR)


def _similarity_sql(mine: str, theirs: str, *, cross: bool) -> str:
    """0..1 similarity of field *mine* of the left record and field *theirs* of the right record: 1.0 when
    the skeletons are equal (for a cross comparison also in the other reading of a glued article), else the
    Jaro-Winkler similarity of the spelled Latin forms; 0 where a side is empty."""
    pairs = [("sk", "sk")] + ([("sk", "sk2"), ("sk2", "sk"), ("sk2", "sk2")] if cross else [])
    equal = " OR ".join(f"{mine}_{x}_l = {theirs}_{y}_r" for x, y in pairs)
    return f"CASE WHEN {equal} THEN 1.0 ELSE coalesce(jaro_winkler_similarity({mine}_lat_l, {theirs}_lat_r), 0) END"


# The pair is compared crosswise (left given name against right family name and vice versa) when that
# reading fits the two names better than the straight one: an order swap is then compared as what it is,
# the same two names, and a single name found in the other field counts once, not for both fields
# (decision 0143). Ties keep the straight reading.
SWAPPED_SQL = (
    f"(({_similarity_sql('given', 'family', cross=True)}) + ({_similarity_sql('family', 'given', cross=True)}))"
    f" > (({_similarity_sql('given', 'given', cross=False)}) + ({_similarity_sql('family', 'family', cross=False)}))"
)


def _aligned(part: str, condition: Callable[[str, str, bool], str]) -> str:
    """SQL for ``condition(left_field, right_field, cross)`` on the reading chosen by ``SWAPPED_SQL``."""
    other = "family" if part == "given" else "given"
    straight, crossed = condition(part, part, False), condition(part, other, True)
    return f"((NOT ({SWAPPED_SQL})) AND ({straight})) OR (({SWAPPED_SQL}) AND ({crossed}))"


def _name_comparison(part: str) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    def level(condition: Callable[[str, str, bool], str], label: str, tf: str | None = None) -> Any:
        created: Any = cll.CustomLevel(_aligned(part, condition), label_for_charts=label)
        if tf:  # the level is an exact match on the aligned field: its own u is the base of the adjustment
            created = created.configure(tf_adjustment_column=tf, disable_tf_exact_match_detection=True)
        return created

    def exact_sk(mine: str, theirs: str, cross: bool) -> str:
        pairs = [("sk", "sk")] + ([("sk", "sk2"), ("sk2", "sk"), ("sk2", "sk2")] if cross else [])
        return " OR ".join(f"{mine}_{x}_l = {theirs}_{y}_r" for x, y in pairs)

    return cl.CustomComparison(
        output_column_name=part,
        comparison_levels=[
            level(lambda m, t, c: f"{m}_sk_l IS NULL OR {t}_sk_r IS NULL", "leer").configure(is_null_level=True),
            level(lambda m, t, c: f"{m}_lat_l = {t}_lat_r", "gleich", tf=f"{part}_sk"),
            level(exact_sk, "Skelett gleich", tf=f"{part}_sk"),
            level(lambda m, t, c: f"{m}_skj_l = {t}_skj_r", "zusammengeschrieben gleich"),
            level(lambda m, t, c: f"jaro_winkler_similarity({m}_lat_l, {t}_lat_r) >= 0.92", "sehr ähnlich"),
            level(
                lambda m, t, c: f"{m}_lx_l = {t}_lx_r OR {m}_lxf_l = {t}_lx_r OR {m}_lx_l = {t}_lxf_r",
                "Konsonantenklassen gleich",
            ),
            level(lambda m, t, c: f"jaro_winkler_similarity({m}_lat_l, {t}_lat_r) >= 0.80", "ähnlich"),
            level(
                lambda m, t, c: (
                    f"len(list_intersect(string_split({m}_sk_l, ' '), name_sks_r)) > 0 "
                    f"OR len(list_intersect(string_split({t}_sk_r, ' '), name_sks_l)) > 0"
                ),
                "ein Namensteil gleich",
            ),
            cll.ElseLevel(),
        ],
    )


def _birth_comparison() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="birth",
        comparison_levels=[
            cll.CustomLevel("byear_l IS NULL OR byear_r IS NULL").configure(is_null_level=True),
            cll.CustomLevel(
                "byear_l = byear_r AND bmonth_l = bmonth_r AND bday_l = bday_r AND NOT b_unc_l AND NOT b_unc_r",
                label_for_charts="Datum gleich",
            ),
            cll.CustomLevel(
                "byear_l = byear_r AND b_unc_l AND b_unc_r", label_for_charts="Jahr gleich, beide Platzhalter"
            ),
            cll.CustomLevel(
                "byear_l = byear_r AND (b_unc_l OR b_unc_r)", label_for_charts="Jahr gleich, ein Platzhalter"
            ),
            cll.CustomLevel(
                "byear_l = byear_r AND bmonth_l = bday_r AND bday_l = bmonth_r", label_for_charts="Tag/Monat vertauscht"
            ),
            cll.CustomLevel(
                "byear_l = byear_r AND (bmonth_l = bmonth_r OR bday_l = bday_r)",
                label_for_charts="Tag oder Monat abweichend",
            ),
            cll.CustomLevel(
                "bmonth_l = bmonth_r AND bday_l = bday_r AND NOT b_unc_l AND NOT b_unc_r",
                label_for_charts="Tag und Monat gleich, Jahr abweichend",
            ),
            cll.CustomLevel("abs(byear_l - byear_r) <= 1", label_for_charts="Jahr ±1"),
            cll.ElseLevel(),
        ],
    )


def _settings(link_type: str, columns: set[str], records: int = 0) -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    comparisons = [_name_comparison("given"), _name_comparison("family"), _birth_comparison()]
    # Columns without any value in the input (FEBRL has no nationality, sex or AZR) are not compared.
    if "nationality" in columns:
        comparisons.append(cl.ExactMatch("nationality"))
    if "sex" in columns:
        comparisons.append(cl.ExactMatch("sex"))
    if "ags" in columns:
        comparisons.append(cl.ExactMatch("ags").configure(term_frequency_adjustments=True))
    if "street" in columns:
        comparisons.append(cl.JaroWinklerAtThresholds("street", [0.95, 0.85]))
    if "locality" in columns:
        comparisons.append(cl.JaroWinklerAtThresholds("locality", [0.95, 0.85]))
    if records <= LARGE:
        blocking = [
            block_on("family_sk", "byear"),
            block_on("given_sk", "byear"),
            block_on("given_sk", "family_sk"),
            block_on("byear", "bmonth", "bday"),
            "l.given_sk = r.family_sk AND l.family_sk = r.given_sk",
            "l.given_sk2 = r.family_sk2 AND l.family_sk2 = r.given_sk2",
            # swapped, both fields in the same reading: as typed (given_sk, family_sk2) or article-stripped
            # (given_sk2, family_sk) - "Alhassan" typed as given name meets "Alhassan"/"Al-Hassan" as family name
            "l.given_sk = r.family_sk2 AND l.family_sk2 = r.given_sk",
            "l.given_sk2 = r.family_sk AND l.family_sk = r.given_sk2",
            block_on("given_skj", "family_skj"),
            # consonant classes (Serhii/Sergej, Sevcenko/Shevchenko), straight and swapped
            block_on("given_lx", "family_lx"),
            "l.given_lx = r.family_lx AND l.family_lx = r.given_lx",
            "l.given_lxf = r.given_lx AND l.family_lx = r.family_lx",  # French ch on either side
            "l.given_lx = r.given_lxf AND l.family_lx = r.family_lx",
            "l.given_lxf = r.family_lx AND l.family_lx = r.given_lx",
            "l.given_lx = r.family_lxf AND l.family_lx = r.given_lx",
            block_on("name2"),
            block_on("family_first", "given_first", "ags"),
            block_on("name_sorted"),
            block_on("g3", "f3", "byear"),
            "l.g3 = r.f3 AND l.f3 = r.g3 AND l.byear = r.byear",
            block_on("f3", "bmonth", "bday"),
        ]
        if "ags" in columns:
            blocking += [block_on("family_sk", "ags"), block_on("given_sk", "ags")]
    else:
        # Large inputs: no rule on a name or a date alone. Placeholder dates (01.01., 31.12.) and the most
        # common given names make such blocks grow with the square of the input; every rule here pairs a
        # name key with the birth year (and a second key where the name is a given name).
        blocking = [
            block_on("family_sk", "byear"),
            block_on("given_sk", "byear", "f3"),
            block_on("given_sk", "family_sk", "ags"),
            block_on("byear", "bmonth", "bday", "g3"),
            "l.given_sk = r.family_sk AND l.family_sk = r.given_sk AND l.byear = r.byear",
            block_on("family_first", "given_first", "ags"),
            block_on("name_sorted", "byear"),
            block_on("g3", "f3", "byear", "bmonth"),
            "l.g3 = r.f3 AND l.f3 = r.g3 AND l.byear = r.byear",
            block_on("family_sk", "bmonth", "bday", "ags"),
        ]
    if "street" in columns:
        blocking.append(block_on("street"))
    if "locality" in columns and "ags" in columns:
        blocking.append(block_on("ags", "locality"))
    if "azr" in columns:
        blocking.append(block_on("azr"))
    return SettingsCreator(
        link_type=link_type,  # type: ignore[arg-type]
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,  # type: ignore[arg-type]
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=[],
        # EM stops when no parameter moves by more than 0.001 (a probability difference that changes no
        # decision at the 0.5 threshold), at most 10 iterations; Splink's 0.0001 / 25 cost seconds for nothing.
        em_convergence=0.001,
        max_iterations=10,
    )


U_PAIRS = 2e5  # random pairs for the u-probabilities (fixed before any run; one chunk, seed 1)
MIN_LABELS = 30  # deterministic (AZR) pairs needed to learn m-probabilities from them instead of EM


def _train(linker: Any, db_api: Any, labels: pd.DataFrame) -> str:
    """Prior and u from random pairs; m from the deterministic AZR pairs when there are enough of them
    (they are a random sample of true matches, so they show how true matches disagree), else EM.

    EM alone is misled where few names are very common: pairs with the same name but different persons
    are so frequent that EM takes "same name" for the match class (seen on the transliteration set).
    Returns the m-estimation method used ("labels" or "em")."""
    from splink import block_on

    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_sk", "family_sk", "byear")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=1, num_chunks=1)
    if len(labels) >= MIN_LABELS:
        table = db_api.register(labels, table_name="__teilhabe_labels")
        linker.training.estimate_m_from_pairwise_labels(table)
        _smooth_m(linker, len(labels))
        return "labels"
    # Two EM passes with different blocks, so that each comparison is estimated at least once.
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("byear", "bmonth", "bday"), record_sample_proportion=1.0
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_sk", "family_sk"), record_sample_proportion=1.0
    )
    return "em"


M_PSEUDOCOUNT = 0.5  # Jeffreys prior: half a pair per comparison level (fixed a priori, not tuned)


def _smooth_m(linker: Any, pairs: int) -> None:
    """m-probabilities from labels with a pseudo-count per level: (count + ½) / (pairs + ½·levels).

    A few hundred labelled pairs leave rare levels unobserved ("year ±1", "family name different"), and
    Splink then sets m = 10⁻⁶ — a near-veto learnt from having seen nothing. The pseudo-count turns "not
    seen in n pairs" into "rarer than about 1 in 2n", and leaves well-observed levels practically unchanged."""
    for comparison in linker._settings_obj.comparisons:
        levels = comparison._comparison_levels_excluding_null
        counts = [level.m_probability * pairs if level._m_is_trained else 0.0 for level in levels]
        total = sum(counts) + M_PSEUDOCOUNT * len(levels)
        for level, count in zip(levels, counts, strict=True):
            level.m_probability = (count + M_PSEUDOCOUNT) / total


MEMORY_LIMIT = "6GB"  # DuckDB spills to a temporary directory above this (the machine has 24 GiB, shared)


def _duckdb() -> Any:
    """DuckDB connection for one run: 2 threads (the machine's cores), a memory limit with spilling to a
    temporary directory, and no insertion-order guarantee (Splink never relies on it; it saves memory)."""
    import tempfile

    import duckdb
    from splink import DuckDBAPI

    connection = duckdb.connect(
        config={
            "threads": 2,
            "memory_limit": MEMORY_LIMIT,
            "temp_directory": tempfile.gettempdir() + "/teilhabe-linkage-duckdb",
            "preserve_insertion_order": False,
        }
    )
    return DuckDBAPI(connection)


def _run(frames: list[pd.DataFrame], link_type: str, threshold: float) -> pd.DataFrame:
    from splink import Linker

    db_api = _duckdb()
    tables = [db_api.register(frame) for frame in frames]
    columns = {c for c in frames[0].columns if any(frame[c].notna().any() for frame in frames)}
    records = sum(len(frame) for frame in frames)
    linker = Linker(tables if len(tables) > 1 else tables[0], _settings(link_type, columns, records))
    rules = _deterministic(frames[0], frames[1] if len(frames) > 1 else None)
    labels = pd.DataFrame(
        {
            "source_dataset_l": frames[0]["source_dataset"].iloc[0],
            "unique_id_l": rules["unique_id_l"],
            "source_dataset_r": frames[-1]["source_dataset"].iloc[0],
            "unique_id_r": rules["unique_id_r"],
        }
    )
    _train(linker, db_api, labels)
    pairs = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    if "source_dataset_l" in pairs.columns:  # link-only: orient every pair as (first list, second list)
        flip = pairs["source_dataset_l"] != frames[0]["source_dataset"].iloc[0]
        pairs.loc[flip, ["unique_id_l", "unique_id_r"]] = pairs.loc[flip, ["unique_id_r", "unique_id_l"]].to_numpy()
    pairs = pairs[["unique_id_l", "unique_id_r", "match_probability", "match_weight"]].copy()
    pairs["rule"] = "splink"
    return pairs


AZR_WEIGHT = 64.0  # match weight (log2 odds) given to a deterministic AZR pair: above any model score


def _deterministic(left: pd.DataFrame, right: pd.DataFrame | None) -> pd.DataFrame:
    """AZR number equal → same person (probability 1.0), whatever the names say."""
    a = left[left["azr"].notna()][["unique_id", "azr"]]
    b = a if right is None else right[right["azr"].notna()][["unique_id", "azr"]]
    merged = a.merge(b, on="azr", suffixes=("_l", "_r"))
    if right is None:
        merged = merged[merged["unique_id_l"] < merged["unique_id_r"]]
    out = merged[["unique_id_l", "unique_id_r"]].copy()
    out["match_probability"] = 1.0
    out["match_weight"] = AZR_WEIGHT
    out["rule"] = "azr"
    return out


def _combine(rules: pd.DataFrame, scored: pd.DataFrame, left: pd.DataFrame, right: pd.DataFrame) -> pd.DataFrame:
    """Deterministic pairs first; a scored pair whose two AZR numbers are both present and differ is dropped
    (two register entries are two persons; a wrong AZR number is corrected in review, not guessed here)."""
    both = pd.concat([rules, scored], ignore_index=True)
    both = both.sort_values("match_probability", ascending=False).drop_duplicates(["unique_id_l", "unique_id_r"])
    azr_l = both["unique_id_l"].map(dict(zip(left["unique_id"], left["azr"], strict=True)))
    azr_r = both["unique_id_r"].map(dict(zip(right["unique_id"], right["azr"], strict=True)))
    veto = azr_l.notna() & azr_r.notna() & (azr_l != azr_r)
    return both[~veto]


def one_to_one(pairs: pd.DataFrame) -> pd.DataFrame:
    """Greedy best-first assignment: each record of either list links to at most one of the other (two
    agencies' lists, each already free of duplicates). Ordered by Splink's match weight (log2 odds) where
    present: probabilities round to 1.0 for many pairs and would leave the order to chance. (An exact
    maximum-weight assignment was measured and did no better, decision 0141.)"""
    key = "match_weight" if "match_weight" in pairs.columns else "match_probability"
    used_l: set[str] = set()
    used_r: set[str] = set()
    keep = []
    for index, left, right in pairs.sort_values(key, ascending=False, kind="stable")[
        ["unique_id_l", "unique_id_r"]
    ].itertuples():
        if left in used_l or right in used_r:
            continue
        used_l.add(left)
        used_r.add(right)
        keep.append(index)
    return pairs.loc[keep]


def link(a: pd.DataFrame, b: pd.DataFrame, *, threshold: float = REVIEW_THRESHOLD) -> pd.DataFrame:
    """Scored pairs between two lists (link-only); ``unique_id_l`` from *a*, ``unique_id_r`` from *b*."""
    fa, fb = features(a), features(b)
    fa["source_dataset"], fb["source_dataset"] = "a", "b"
    scored = _run([fa, fb], "link_only", threshold)
    return _combine(_deterministic(fa, fb), scored, fa, fb)


def dedupe(df: pd.DataFrame, *, threshold: float = REVIEW_THRESHOLD) -> pd.DataFrame:
    """Scored pairs inside one list (duplicates), ``unique_id_l < unique_id_r``."""
    f = features(df)
    f["source_dataset"] = "a"
    scored = _run([f], "dedupe_only", threshold)
    return _combine(_deterministic(f, None), scored, f, f)


def plain_link(a: pd.DataFrame, b: pd.DataFrame, *, threshold: float = MATCH_THRESHOLD) -> pd.DataFrame:
    """Baseline for the benchmark: Splink with lower-casing only (no transliteration, no skeletons)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def prep(df: pd.DataFrame, source: str) -> pd.DataFrame:
        out = pd.DataFrame(
            {
                "unique_id": df["unique_id"].astype(str),
                "given": df["given_name"].fillna("").str.lower().replace("", None),
                "family": df["family_name"].fillna("").str.lower().replace("", None),
                "birth_date": df["birth_date"].fillna("").astype(str).replace("", None),
                "nationality": df["nationality"].astype(str),
                "sex": df["sex"].astype(str),
                "ags": df["gemeinde_ags"].astype(str),
            }
        )
        out["source_dataset"] = source
        return out

    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("given", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("family", [0.92, 0.8]),
            cl.LevenshteinAtThresholds("birth_date", [1, 2]),
            cl.ExactMatch("nationality"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("ags"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("family", "birth_date"),
            block_on("given", "birth_date"),
            block_on("given", "family"),
        ],
    )
    db_api = DuckDBAPI()
    linker = Linker([db_api.register(prep(a, "a")), db_api.register(prep(b, "b"))], settings)
    linker.training.estimate_probability_two_random_records_match([block_on("given", "family")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e5, seed=1, num_chunks=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("birth_date"), record_sample_proportion=1.0
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("family"), record_sample_proportion=1.0)
    pairs = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    return pairs[["unique_id_l", "unique_id_r", "match_probability"]]
