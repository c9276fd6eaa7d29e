"""KiIM case records: search, case read and transmission with realistic volumes. Prints figures; not a test.

Seeds N synthetic cases (default 20 000) in one Jobcenter with three field groups each, then measures:
1. person search (3-character prefix, capped at 20 hits, incl. audit event) — median and p95 over 200 queries;
2. case read (all permitted groups + events + goals, incl. audit event) — median and p95 over 200 reads;
3. transmission request + immediate delivery (snapshot, two audit events) — median over 100.
Search uses ``search_name LIKE %q%``; the figures show whether a trigram index is needed.

Run: TEILHABE_DEBUG=1 .venv/bin/python benchmarks/registry.py [--cases N]
     (throw-away SQLite file by default; DATABASE_URL=postgres://…/registry_bench for PostgreSQL — emptied!)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SYLLABLES = ["al", "ha", "mi", "ko", "ren", "sa", "ta", "vo", "lek", "da", "nu", "ri", "zen", "bor", "ka", "el"]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def _p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="teilhabe-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{directory}/bench.sqlite3")
    os.environ.setdefault("TEILHABE_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teilhabe.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    call_command("flush", "--no-input", verbosity=0)

    from teilhabe.accounts.models import Organisation, OrganisationKind
    from teilhabe.accounts.roles import Role
    from teilhabe.core.testing import make_user
    from teilhabe.registry import services
    from teilhabe.registry.legal import LegalBasis
    from teilhabe.registry.models import Case, FieldGroupEntry

    rng = random.Random(7)
    jobcenter = Organisation.objects.create(name="Jobcenter (Benchmark)", kind=OrganisationKind.JOBCENTER)
    beratung = Organisation.objects.create(name="Beratung (Benchmark)", kind=OrganisationKind.MIGRATIONSBERATUNG)
    user = make_user("bench", jobcenter, Role.FALLBEARBEITUNG)

    started = time.perf_counter()
    cases = []
    for _ in range(args.cases):
        family, given = _name(rng), _name(rng)
        cases.append(
            Case(
                owner=jobcenter,
                family_name=family,
                family_name_latin=family,
                given_names=given,
                given_names_latin=given,
                search_name=f"{family} {given} {family} {given}".lower(),
                birth_year=rng.randint(1950, 2020),
                nationalities=["475"],
                legal_basis="art6_1_e",
                is_synthetic=True,
            )
        )
    Case.objects.bulk_create(cases, batch_size=2000)
    ids = list(Case.objects.values_list("pk", flat=True))
    entries = [
        FieldGroupEntry(case_id=pk, group=group, data={"level": "B1", "provider": "VHS"}, legal_basis="art6_1_e")
        for pk in ids
        for group in ("sprachkurs", "beschaeftigung", "wohnen")
    ]
    FieldGroupEntry.objects.bulk_create(entries, batch_size=5000)
    print(
        f"seeded {len(ids)} cases, {len(entries)} field-group rows in {time.perf_counter() - started:.1f} s "
        f"on {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
    )

    search_times, hits = [], []
    for _ in range(200):
        query = rng.choice(SYLLABLES) + rng.choice(SYLLABLES)[:1]
        t0 = time.perf_counter()
        found, _truncated = services.case_search(acting_user=user, query=query)
        search_times.append((time.perf_counter() - t0) * 1000)
        hits.append(len(found))
    print(
        f"case_search (3 chars, cap {settings.REGISTRY_SEARCH_MAX_RESULTS}): median "
        f"{statistics.median(search_times):.1f} ms, p95 {_p95(search_times):.1f} ms, mean hits "
        f"{statistics.mean(hits):.1f}"
    )

    read_times = []
    for pk in rng.sample(ids, 200):
        case = Case.objects.select_related("owner").get(pk=pk)
        t0 = time.perf_counter()
        services.case_read(acting_user=user, case=case)
        read_times.append((time.perf_counter() - t0) * 1000)
    print(f"case_read: median {statistics.median(read_times):.1f} ms, p95 {_p95(read_times):.1f} ms")

    send_times = []
    for pk in rng.sample(ids, 100):
        case = Case.objects.select_related("owner").get(pk=pk)
        t0 = time.perf_counter()
        services.transmission_request(
            acting_user=user,
            case=case,
            recipient=beratung,
            groups=["identitaet", "sprachkurs"],
            legal_basis=LegalBasis.SGB_X_69_1_1,
            purpose="Benchmark",
        )
        send_times.append((time.perf_counter() - t0) * 1000)
    print(
        f"transmission_request (+snapshot, 2 audit events): median {statistics.median(send_times):.1f} ms, "
        f"p95 {_p95(send_times):.1f} ms"
    )


if __name__ == "__main__":
    main()
