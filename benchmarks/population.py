"""Register import benchmark (issue 17): the product's CLI beside a plain DuckDB script on the same file.

    .venv/bin/python benchmarks/population.py                       # Landkreis Karlsruhe (08215), ~463,000 rows
    .venv/bin/python benchmarks/population.py --big                 # also ~5 M rows (Berlin's extract, scaled;
                                                                    #   memory limit --big-memory-mb, default 1024)
    .venv/bin/python benchmarks/population.py --file X.csv --kreis 08215 --database sqlite:////tmp/b.sqlite3
    .venv/bin/python benchmarks/population.py --before /path/to/old/checkout   # old code, same file, same load
    .venv/bin/python benchmarks/population.py --no-worker          # the import only, without the joint decision

Each run is a separate process, measured from outside: wall time, CPU time (user + system, all threads) and
the peak resident memory of exactly that process (``os.wait4``). Linux starts a child's peak at the high-water
mark of the process it was started from (``exec`` records the old address space's peak), so this process
stays small: the synthesiser runs in a child of its own, and the floor (this process's own peak) is printed;
before, every run showed the synthesiser's 637 MB. The product run is ``manage.py
import_register FILE --stichtag … --kreis … -v 2`` end to end (Django start-up, read, validate, derive,
tables, pseudonymous store, database; its seconds per step are printed below it). The joint disclosure
decision then runs as what it is in production, the follow-up job on the task worker: ``manage.py run_worker
--batch`` (separate figures, plus the decision's own seconds stored with the import). The peer is this
file's own ``--bare`` mode: one DuckDB session that reads the CSV, parses the dates, derives age band,
nationality group and migration status and counts them per Kreis, Gemeinde and Planungsraum — no
validation report, no store. Printed: the times, the ratio, the peaks, and the load average before and
after every run (the machine is shared; compare only figures taken at the same load).

Start-up is measured as deployed: if the virtualenv has no compiled bytecode (``uv sync`` without
``--compile-bytecode``; with ``PYTHONDONTWRITEBYTECODE`` every run would compile ~2,000 modules, seconds of
CPU), it is compiled once first and the benchmark says so.

Synthetic extracts are written to /tmp (``--workdir``) by ``teilhabe.population.synth`` and reused.
The database (``--database``, e.g. PostgreSQL as in production; default a throw-away SQLite file) is migrated and
given the Kreis's regions first (not timed). ``TEILHABE_PIPELINE_MEMORY_MB`` is passed through to both (default 256;
the 5 M-row budget is measured with ``TEILHABE_PIPELINE_MEMORY_MB=1024``).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STICHTAG = date(2025, 12, 31)
DEFAULT_MEMORY_MB = 256  # = settings.POPULATION_PIPELINE_MEMORY_MB without the environment variable
BIG_KREIS = "11000"  # Berlin: one Kreis, one Gemeinde; scaled to BIG_ROWS residents


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def run(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, float, int, str, str]:
    """(wall seconds, CPU seconds, peak RSS in MB, exit status, last output line, output) of one child
    process. CPU seconds (user + system, all threads) vary far less with the machine's load than wall time."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert child.stdout is not None
    output = child.stdout.read().decode("utf-8", "replace")
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    lines = [line for line in output.splitlines() if line.strip()]
    if child.returncode:
        print(output[-3000:])
    cpu = usage.ru_utime + usage.ru_stime
    last = lines[-1] if lines else ""
    return time.perf_counter() - started, cpu, usage.ru_maxrss / 1024, child.returncode, last, output


def compile_bytecode(cwd: Path) -> None:
    """Compile the virtualenv and the project once if they have no bytecode (as a deployment would)."""
    import sysconfig

    site = Path(sysconfig.get_paths()["purelib"])
    if any((site / "django" / "__pycache__").glob("*.pyc")) and any((cwd / "teilhabe" / "__pycache__").glob("*.pyc")):
        return
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", str(site), str(cwd / "teilhabe")], check=False)
    print(f"  compiled the bytecode of {site} and {cwd / 'teilhabe'} first ({time.perf_counter() - started:.0f} s)")


PUBLICATION = """
import django; django.setup()
from teilhabe.population.models import RegisterImport
latest = RegisterImport.objects.filter(status=RegisterImport.Status.COMMITTED).order_by("-committed_at").first()
d = latest.disclosure if latest else {}
print(f"published: {latest.published_at is not None if latest else False}, decision {d.get('seconds')} s, "
      f"{d.get('tables')} tables, {d.get('suppressed')} cells suppressed, {d.get('rounds')} rounds")
"""


def synthesise_file(kreis: str, path: Path, rows: int = 0) -> None:
    """Write the synthetic extract in a child process (its memory must not raise the runs' measured peaks)."""
    subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--synthesise",
            str(path),
            "--kreis",
            kreis,
            "--synth-rows",
            str(rows),
        ],
        cwd=ROOT,
        check=True,
    )


def _synthesise(kreis: str, path: Path, rows: int) -> None:
    sys.path.insert(0, str(ROOT))
    from teilhabe.population.synth import specs_from_files, synthesise, write_csv

    specs = specs_from_files(kreis)
    if rows:
        factor = rows / sum(s.population for s in specs)
        specs = [
            dataclasses.replace(s, population=round(s.population * factor), male=round(s.male * factor)) for s in specs
        ]
    started = time.perf_counter()
    table = synthesise(specs, STICHTAG, seed=1)
    write_csv(table, path)
    print(f"  synthesised {table.num_rows:,} rows → {path} in {time.perf_counter() - started:.0f} s")


def prepare_database(url: str, kreise: list[str], env: dict[str, str]) -> None:
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "from teilhabe.regions.loader import load_regions\n"
        "from teilhabe.regions.models import Kreis\n"
        "from teilhabe.accounts.models import Organisation, OrganisationKind\n"
        "call_command('migrate', verbosity=0)\n"
        f"for k in {kreise!r}:\n"
        "    if not Kreis.objects.filter(ags=k).exists(): load_regions(only_kreis=k)\n"
        "Organisation.objects.get_or_create(name='Benchmark', kind=OrganisationKind.LANDKREIS)\n"
    )
    subprocess.run([sys.executable, "-c", script], env={**env, "DATABASE_URL": url}, cwd=ROOT, check=True)


BARE_SQL = """
CREATE TABLE p AS
SELECT ags, planungsraum, wohnungsstatus, geschlecht, staatsangehoerigkeit_1 AS sa1,
       coalesce(try_strptime(geburtsdatum, '%Y-%m-%d'), try_strptime(geburtsdatum, '%d.%m.%Y'))::DATE AS geb,
       geburtsstaat, zuzug_herkunft_staat, art_deutsche_staatsangehoerigkeit AS art, elternteil_1, ordnungsmerkmal
FROM read_csv($file, delim = ';', header = true, all_varchar = true);
CREATE TABLE d AS
SELECT p.*, date_diff('year', geb, $stichtag::DATE) AS alter,
       sa1 <> '000' AS auslaender,
       sa1 <> '000' OR coalesce(art IN ('E', 'O', 'S'), false)
           OR (coalesce(geburtsstaat, '000') <> '000' AND coalesce(zuzug_herkunft_staat, '000') <> '000') AS eigener_mh
FROM p WHERE wohnungsstatus IN ('H', 'A');
CREATE TABLE e AS
SELECT d.*, d.eigener_mh OR (alter < 18 AND coalesce(e.eigener_mh, false)) AS mh,
       CASE WHEN alter < 3 THEN '00-03' WHEN alter < 6 THEN '03-06' WHEN alter < 15 THEN '06-15'
            WHEN alter < 18 THEN '15-18' WHEN alter < 25 THEN '18-25' WHEN alter < 65 THEN '25-65' ELSE '65+' END AS ag
FROM d LEFT JOIN (SELECT DISTINCT ON (ordnungsmerkmal) ordnungsmerkmal, eigener_mh FROM d) e
  ON e.ordnungsmerkmal = d.elternteil_1;
SELECT count(*) FROM (
    SELECT ags, planungsraum, dim, cat, geschlecht, count(*) FROM (
        SELECT ags, planungsraum, geschlecht, 'alter_sa' AS dim, ag || '|' || (sa1 = '000')::VARCHAR AS cat FROM e
        UNION ALL SELECT ags, planungsraum, geschlecht, 'sa', sa1 FROM e WHERE auslaender
        UNION ALL SELECT ags, planungsraum, geschlecht, 'mh', mh::VARCHAR FROM e
        UNION ALL SELECT ags, planungsraum, geschlecht, 'geburtsstaat', geburtsstaat FROM e
    ) GROUP BY GROUPING SETS ((dim, cat, geschlecht), (ags, dim, cat, geschlecht),
                              (ags, planungsraum, dim, cat, geschlecht)));
"""


def bare(file: str) -> None:
    """The independent peer: plain DuckDB, same memory limit as the product."""
    import duckdb

    memory = os.environ.get("TEILHABE_PIPELINE_MEMORY_MB", str(DEFAULT_MEMORY_MB))
    con = duckdb.connect(
        config={
            "memory_limit": f"{memory}MB",
            "temp_directory": str(Path(tempfile.gettempdir()) / "duckdb-bench-spill"),
        }
    )
    rows = 0
    for statement in BARE_SQL.split(";\n"):
        if statement.strip():
            params = {k: v for k, v in {"file": file, "stichtag": STICHTAG}.items() if f"${k}" in statement}
            result = con.execute(statement, params).fetchall()
            rows = result[0][0] if result else rows
    print(f"bare DuckDB: {rows:,} count rows")


def compare(
    label: str, file: Path, kreis: str, env: dict[str, str], before: Path | None, with_worker: bool = True
) -> None:
    print(f"\n{label}: {file} ({file.stat().st_size / 2**20:,.0f} MB), Kreis {kreis}")
    product = [sys.executable, "manage.py", "import_register", str(file), "--stichtag", str(STICHTAG), "--kreis", kreis]
    worker = [sys.executable, "manage.py", "run_worker", "--batch", "--no-startup-delay", "--no-reload"]
    runs = [("bare DuckDB", [sys.executable, str(Path(__file__).resolve()), "--bare", str(file)], ROOT)]
    runs.append(("product CLI", [*product, "-v", "2"], ROOT))
    if with_worker:
        runs.append(("joint decision (worker)", worker, ROOT))
    if before is not None:
        runs.append(("product CLI, before", product, before))
        if with_worker:
            runs.append(("joint decision, before", worker, before))
    results: dict[str, tuple[float, float]] = {}
    for name, argv, cwd in runs:
        load_before = load()
        seconds, cpu, peak, status, last, output = run(argv, env, cwd)
        results[name] = (seconds, cpu)
        print(
            f"  {name:<24} {seconds:7.1f} s  CPU {cpu:6.1f} s   peak {peak:6,.0f} MB   exit {status}   "
            f"load {load_before} → {load()}   ({last[:70]})"
        )
        steps = [line.strip() for line in output.splitlines() if line.startswith("Sekunden:")]
        if steps:
            print(f"  {'':<24} {steps[0]}")
        if "worker" in name:
            decision = subprocess.run(
                [sys.executable, "-c", PUBLICATION], env=env, cwd=cwd, capture_output=True, text=True, check=False
            )
            print(f"  {'':<24} {(decision.stdout or decision.stderr).strip().splitlines()[-1][:110]}")

    def ratio(a: str, b: str) -> str:
        return f"wall {results[a][0] / results[b][0]:.2f}, CPU {results[a][1] / results[b][1]:.2f}"

    print(f"  ratio product / bare DuckDB: {ratio('product CLI', 'bare DuckDB')}")
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  (peaks include this benchmark process's own peak as a floor: {floor:,.0f} MB)")
    if before is not None:
        print(f"  ratio before / now: {ratio('product CLI, before', 'product CLI')}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bare", help=argparse.SUPPRESS)
    parser.add_argument("--synthesise", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--synth-rows", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help="an existing extract (CSV)")
    parser.add_argument("--kreis", default="08215")
    parser.add_argument("--big", action="store_true", help=f"also a ~5 M-row extract (Kreis {BIG_KREIS}, scaled)")
    parser.add_argument("--big-rows", type=int, default=5_000_000)
    parser.add_argument("--only-big", action="store_true")
    parser.add_argument(
        "--big-memory-mb", type=int, default=1024, help="TEILHABE_PIPELINE_MEMORY_MB for the big extract (both runs)"
    )
    parser.add_argument(
        "--database", help="DATABASE_URL (migrated and given the Kreis's regions first; default: a throw-away SQLite)"
    )
    parser.add_argument("--no-worker", action="store_true", help="only the import, not the joint decision after it")
    parser.add_argument("--before", type=Path, help="checkout of the old code: its CLI runs beside, same file")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "teilhabe-bench-population")
    args = parser.parse_args()
    if args.bare:
        bare(args.bare)
        return
    if args.synthesise:
        _synthesise(args.kreis, args.synthesise, args.synth_rows)
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(
        f"CPU cores: {os.cpu_count()}, load average: {load()}, pipeline memory limit "
        f"{os.environ.get('TEILHABE_PIPELINE_MEMORY_MB', 'default')} MB"
    )
    compile_bytecode(ROOT)
    if args.before is not None:
        compile_bytecode(args.before)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "teilhabe.settings",
        "TEILHABE_SECRET_KEY": os.environ.get("TEILHABE_SECRET_KEY", "benchmark-only-secret"),
        "TEILHABE_PSEUDONYM_KEY": os.environ.get("TEILHABE_PSEUDONYM_KEY", "benchmark-only-pseudonym-key"),
        "TEILHABE_POPULATION_DIR": str(args.workdir / "population"),
        "TEILHABE_UPLOAD_LIMIT_REGISTER_MB": "2048",
        "PYTHONPATH": "",
    }
    env["DATABASE_URL"] = args.database or f"sqlite:///{args.workdir / 'bench.sqlite3'}"
    jobs: list[tuple[str, Path, str]] = []
    if args.file:
        jobs.append(("extract", args.file, args.kreis))
    elif not args.only_big:
        path = args.workdir / f"synthetisch_{args.kreis}.csv"
        if not path.exists():
            synthesise_file(args.kreis, path)
        jobs.append((f"Kreis {args.kreis}", path, args.kreis))
    if args.big or args.only_big:
        path = args.workdir / f"synthetisch_{BIG_KREIS}_{args.big_rows}.csv"
        if not path.exists():
            synthesise_file(BIG_KREIS, path, args.big_rows)
        jobs.append((f"{args.big_rows:,} rows", path, BIG_KREIS))
    prepare_database(env["DATABASE_URL"], sorted({kreis for _l, _p, kreis in jobs}), env)  # idempotent
    for label, path, kreis in jobs:
        job_env = env
        if path.name.startswith(f"synthetisch_{BIG_KREIS}_"):
            job_env = {**env, "TEILHABE_PIPELINE_MEMORY_MB": str(args.big_memory_mb)}
            print(f"\n(memory limit for this extract: {args.big_memory_mb} MB)")
        compare(label, path, kreis, job_env, args.before, not args.no_worker)


if __name__ == "__main__":
    main()
