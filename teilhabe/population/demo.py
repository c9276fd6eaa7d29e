"""Demo data: two synthetic register extracts of the demo Kreis, imported like a real upload."""

from __future__ import annotations

import io
import time
from datetime import date
from typing import Any

import pyarrow.csv as pacsv

from teilhabe.lib.formats import format_int, format_number
from teilhabe.population import services
from teilhabe.population.models import RegisterImport
from teilhabe.population.synth import specs_from_db, synthesise

DEMO_STICHTAGE = [(date(2024, 12, 31), 2024), (date(2025, 12, 31), 2025)]


def build_demo(district: Any) -> None:
    started = time.perf_counter()
    owner = district.organisations["landkreis"]
    user = district.users.get("statistik")
    specs = specs_from_db(district.kreis.ags)
    rows = 0
    for stichtag, seed in DEMO_STICHTAGE:
        if RegisterImport.objects.filter(
            owner=owner, stichtag=stichtag, status=RegisterImport.Status.COMMITTED
        ).exists():
            continue  # idempotent: `make demo` twice keeps the existing Stichtage
        table = synthesise(specs, stichtag, seed=seed)
        buffer = io.BytesIO()
        pacsv.write_csv(table, buffer, write_options=pacsv.WriteOptions(delimiter=";"))
        register_import = services.register_import_check(
            acting_user=user,
            owner=owner,
            data=buffer.getvalue(),
            filename=f"synthetisch_{stichtag}.csv",
            stichtag=stichtag,
            kreis_ags=district.kreis.ags,
            stage=False,
        )
        services.register_import_commit(acting_user=user, register_import=register_import, publish="inline")
        rows += table.num_rows
    _release_to_gemeinden(district, user)
    if not rows:
        district.notes.append("Bevölkerungsstatistik: synthetische Auszüge waren bereits importiert.")
        return
    district.notes.append(
        f"Bevölkerungsstatistik: 2 synthetische Melderegister-Auszüge ({format_int(rows)} Zeilen, Stichtage "
        f"31.12.2024 und 31.12.2025) erzeugt und importiert in {format_number(time.perf_counter() - started, 1)} s."
    )


def _release_to_gemeinden(district: Any, user: Any) -> None:
    """Each demo Gemeinde organisation sees the published tables of its own Gemeinde and Planungsräume."""
    from teilhabe.accounts.models import OrganisationKind
    from teilhabe.population.models import GemeindeRelease
    from teilhabe.population.releases import release_grant

    for organisation in district.organisations.values():
        if organisation.kind != OrganisationKind.GEMEINDE:
            continue
        for gemeinde in organisation.gemeinden.all():
            if GemeindeRelease.objects.active().filter(organisation=organisation, gemeinde=gemeinde).exists():
                continue
            release_grant(
                acting_user=user,
                organisation=organisation,
                gemeinde=gemeinde,
                scope=GemeindeRelease.Scope.PLANUNGSRAUM,
                basis="Demo: Vereinbarung zwischen Landkreis und Gemeinde über die kleinräumige Statistik",
            )
