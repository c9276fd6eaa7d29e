"""Benchmark of the population-register pipeline against the budgets of issue #3.

    .venv/bin/python benchmarks/population.py            # Landkreis Karlsruhe (08215), about 463,000 rows
    .venv/bin/python benchmarks/population.py --land     # additionally about 5 million rows (Kreise of BW)

Prints wall times per stage and the peak resident memory of the process. The Karlsruhe run goes through
the real services (check → commit) against a throw-away SQLite database; the Land run measures the
Django-free pipeline (read, validate, derive, aggregate, pseudonymous store) plus the count rows.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
STICHTAG = date(2025, 12, 31)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def line(label: str, seconds: float, budget: str = "") -> None:
    print(f"  {label:<44} {seconds:7.2f} s {budget}")


def karlsruhe(workdir: Path) -> None:
    os.environ.setdefault("TEILHABE_SECRET_KEY", "benchmark-only-secret")
    os.environ.setdefault("TEILHABE_PSEUDONYM_KEY", "benchmark-only-pseudonym-key")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["TEILHABE_POPULATION_DIR"] = str(workdir / "population")
    os.environ["TEILHABE_KREIS"] = "08215"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teilhabe.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from teilhabe.accounts.models import Organisation, OrganisationKind
    from teilhabe.population import services
    from teilhabe.population.derivation import derive
    from teilhabe.population.synth import specs_from_files, synthesise, write_csv
    from teilhabe.population.tables import aggregate
    from teilhabe.regions.loader import load_regions

    call_command("migrate", verbosity=0)
    load_regions(only_kreis="08215")
    owner = Organisation.objects.create(name="Benchmark", kind=OrganisationKind.LANDKREIS)

    print("Landkreis Karlsruhe (08215)")
    started = time.perf_counter()
    table = synthesise(specs_from_files("08215"), STICHTAG, seed=1)
    path = workdir / "karlsruhe.csv"
    write_csv(table, path)
    line(f"synthesis ({table.num_rows:,} rows, incl. CSV)", time.perf_counter() - started, "(budget 30 s)")
    data = path.read_bytes()
    del table

    for attempt in (1, 2):  # the second run replaces the first Stichtag (re-import path)
        timings = services.Timings()
        started = time.perf_counter()
        register_import = services.register_import_check(
            acting_user=None,
            owner=owner,
            data=data,
            filename=path.name,
            stichtag=STICHTAG,
            kreis_ags="08215",
            timings=timings,
        )
        checked = time.perf_counter()
        services.register_import_commit(acting_user=None, register_import=register_import, timings=timings)
        total = time.perf_counter() - started
        print(f" run {attempt}: import + validate + derive + all tables + persistence")
        line("read file", timings.read)
        line("validate", timings.validate)
        line("check total (read, validate, stage, report)", checked - started)
        line("load checked rows from staging", timings.staged)
        line("derive", timings.derive)
        line("tables (all levels and dimensions)", timings.tables)
        line("pseudonymous Parquet store", timings.store)
        line("database (counts, replace, audit)", timings.database)
        line("end to end", total, "(budget 8 s)")

    from teilhabe.population.importer import read_extract, validate

    normalised = validate(read_extract(data), STICHTAG, services.district_gemeinden("08215")).normalised
    started = time.perf_counter()
    derived = derive(normalised, STICHTAG)
    counts = aggregate(derived, "08215")
    line(f"derive + tables alone ({counts.num_rows:,} count rows)", time.perf_counter() - started, "(budget 2 s)")
    print(f"  peak memory so far: {peak_mb():,.0f} MB (budget 1,500 MB)")


def land(workdir: Path, target_rows: int = 5_000_000) -> None:
    from teilhabe.population import store
    from teilhabe.population.derivation import derive
    from teilhabe.population.importer import read_extract, validate
    from teilhabe.population.synth import specs_from_files, synthesise, write_csv
    from teilhabe.population.tables import aggregate

    kreise = []
    with (ROOT / "teilhabe/regions/data/gemeindeverzeichnis/kreise.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row.get("land_code", row.get("kreis_ags", "")[:2]) == "08" or row["kreis_ags"].startswith("08"):
                kreise.append(row["kreis_ags"])
    specs = []
    for kreis in kreise:
        specs += specs_from_files(kreis)
        if sum(s.population for s in specs) >= target_rows:
            break
    print(f"Land run: {len(specs)} Gemeinden, {sum(s.population for s in specs):,} residents")
    started = time.perf_counter()
    table = synthesise(specs, STICHTAG, seed=1)
    path = workdir / "land.csv"
    write_csv(table, path)
    rows = table.num_rows
    del table
    line(f"synthesis ({rows:,} rows)", time.perf_counter() - started)
    started = time.perf_counter()
    result = validate(read_extract(path.read_bytes()), STICHTAG, {s.ags for s in specs})
    line("read + validate", time.perf_counter() - started)
    step = time.perf_counter()
    derived = derive(result.normalised, STICHTAG)
    counts = aggregate(derived, "08")
    line("derive + tables", time.perf_counter() - step)
    step = time.perf_counter()
    store.write(store.store_table(derived, "benchmark-key"), workdir / "land.parquet")
    line("pseudonymous store", time.perf_counter() - step)
    line(f"end to end without DB ({counts.num_rows:,} count rows)", time.perf_counter() - started, "(budget 90 s)")
    print(f"  peak memory: {peak_mb():,.0f} MB (budget 6,000 MB)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--land", action="store_true", help="also run about 5 million rows")
    args = parser.parse_args()
    print(f"CPU cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="teilhabe-bench-") as tmp:
        karlsruhe(Path(tmp))
        if args.land:
            land(Path(tmp))


if __name__ == "__main__":
    main()
