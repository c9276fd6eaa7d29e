"""Check → commit workflow: all or nothing, valid rows only, re-import replaces, audit, pseudonym store."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from teilhabe.audit.models import AuditEvent
from teilhabe.population import selectors, services
from teilhabe.population.models import PopulationCount, RegisterImport
from teilhabe.population.store import Pseudonymiser
from teilhabe.population.tests.helpers import csv_text, row, valid_rows

STICHTAG = date(2025, 12, 31)
pytestmark = pytest.mark.usefixtures("regions")


def _check(personas: Any, text: str, stichtag: date = STICHTAG) -> RegisterImport:
    return services.register_import_check(
        acting_user=personas.kreisadmin,
        owner=personas.landkreis,
        data=text.encode("utf-8"),
        filename="auszug.csv",
        stichtag=stichtag,
    )


def test_check_stores_nothing_but_the_report(personas: Any) -> None:
    register_import = _check(personas, csv_text(*valid_rows()))
    assert register_import.status == RegisterImport.Status.CHECKED and register_import.error_count == 0
    assert PopulationCount.objects.count() == 0
    assert AuditEvent.objects.filter(action="population.import.check", object_id=str(register_import.pk)).exists()


def test_check_records_the_files_sha256_of_an_upload_and_of_a_file_on_disk(personas: Any, tmp_path: Path) -> None:
    """The digest is computed beside the check (in a thread); it must be that of the whole file either way."""
    import hashlib

    data = csv_text(*valid_rows()).encode("utf-8")
    path = tmp_path / "auszug.csv"
    path.write_bytes(data)
    uploaded = _check(personas, data.decode("utf-8"))
    from_disk = services.register_import_check(
        acting_user=None, owner=personas.landkreis, data=path, filename=path.name, stichtag=STICHTAG, stage=False
    )
    services.register_import_discard(acting_user=None, register_import=from_disk)
    assert uploaded.sha256 == from_disk.sha256 == hashlib.sha256(data).hexdigest()


def test_commit_stores_counts_and_pseudonymous_store(
    personas: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    register_import = _check(personas, csv_text(*valid_rows()))
    with django_capture_on_commit_callbacks(execute=True):
        services.register_import_commit(acting_user=personas.kreisadmin, register_import=register_import)
    register_import.refresh_from_db()
    assert register_import.status == RegisterImport.Status.COMMITTED and register_import.population == 13
    total = selectors.counts(STICHTAG, "kreis", "bevoelkerung")
    assert sum(r.total for r in total) == 13
    mh = {r.category: r.total for r in selectors.counts(STICHTAG, "kreis", "migrationshintergrund")}
    assert mh == {"auslaender": 4, "deutsch_eltern": 1, "ohne": 8}
    event = AuditEvent.objects.get(action="population.import.commit", object_id=str(register_import.pk))
    assert event.extra["rows_imported"] == 13
    # Store: no key, no parent keys, no names, no exact dates; pseudonyms are the keyed hash.
    files = list(Path(settings.POPULATION_DIR).glob("*.parquet"))
    assert len(files) == 1 and not list(Path(settings.POPULATION_DIR, "uploads").glob("*"))
    table = pq.read_table(files[0])
    forbidden = {
        "ordnungsmerkmal",
        "elternteil_1",
        "elternteil_2",
        "geburtsdatum",
        "zuzug_datum",
        "name",
        "vorname",
        "familienname",
        "strasse",
        "anschrift",
        "adresse",
    }
    assert not forbidden & set(table.column_names)
    pseudonyms = set(table.column("pseudonym").to_pylist())
    assert Pseudonymiser(settings.PSEUDONYM_KEY.encode()).one("P000") in pseudonyms
    assert "P000" not in pseudonyms
    assert not any("P000" in str(v) for column in table.columns for v in column.to_pylist())


def test_one_bad_row_imports_nothing_unless_valid_rows_only(
    personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    register_import = _check(personas, csv_text(*valid_rows(), row("BAD", geburtsdatum="kaputt")))
    assert register_import.error_count == 1
    with pytest.raises(services.ImportRejected):
        services.register_import_commit(acting_user=personas.kreisadmin, register_import=register_import)
    assert PopulationCount.objects.count() == 0
    register_import.refresh_from_db()
    assert register_import.status == RegisterImport.Status.CHECKED
    with django_capture_on_commit_callbacks(execute=True):
        services.register_import_commit(
            acting_user=personas.kreisadmin, register_import=register_import, valid_rows_only=True
        )
    register_import.refresh_from_db()
    assert register_import.valid_rows_only and register_import.population == 13
    assert AuditEvent.objects.get(action="population.import.commit").extra["valid_rows_only"] is True


def test_reimport_of_same_stichtag_replaces_and_is_audited(
    personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    first = _check(personas, csv_text(*valid_rows()))
    with django_capture_on_commit_callbacks(execute=True):
        services.register_import_commit(acting_user=personas.kreisadmin, register_import=first)
    other_day = _check(personas, csv_text(*valid_rows(4)), stichtag=date(2024, 12, 31))
    with django_capture_on_commit_callbacks(execute=True):
        services.register_import_commit(acting_user=personas.kreisadmin, register_import=other_day)
    second = _check(personas, csv_text(*valid_rows(6, prefix="Q")))
    with django_capture_on_commit_callbacks(execute=True):
        services.register_import_commit(acting_user=personas.kreisadmin, register_import=second)
    first.refresh_from_db()
    assert first.status == RegisterImport.Status.REPLACED and not first.counts.exists()
    assert sum(r.total for r in selectors.counts(STICHTAG, "kreis", "bevoelkerung")) == 7
    assert selectors.stichtage() == [STICHTAG, date(2024, 12, 31)]
    replaced = AuditEvent.objects.get(action="population.import.replace")
    assert replaced.object_id == str(first.pk) and replaced.extra["replaced_by"] == str(second.pk)
    assert len(selectors.series("kreis", "12073", "bevoelkerung")) == 2


def test_discard_removes_staged_file(personas: Any, settings: Any) -> None:
    register_import = _check(personas, csv_text(*valid_rows()))
    assert services.staged_data(register_import) is not None
    services.register_import_discard(acting_user=personas.kreisadmin, register_import=register_import)
    assert services.staged_data(register_import) is None
    assert not list(Path(settings.POPULATION_DIR, "uploads").glob("*"))
    with pytest.raises(services.ImportRejected):
        services.register_import_commit(acting_user=personas.kreisadmin, register_import=register_import)


def test_cli_imports_without_staging_and_dry_run_stores_nothing(
    personas: Any, settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.management import call_command

    path = tmp_path / "auszug.csv"
    path.write_text(csv_text(*valid_rows()), encoding="cp1252")
    call_command("import_register", str(path), "--stichtag", "2025-12-31", "--dry-run")
    assert PopulationCount.objects.count() == 0
    assert RegisterImport.objects.get().status == RegisterImport.Status.DISCARDED
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_register", str(path), "--stichtag", "2025-12-31")
    assert RegisterImport.objects.filter(status=RegisterImport.Status.COMMITTED).get().population == 13
    assert not list(Path(settings.POPULATION_DIR, "uploads").glob("*"))


def test_cli_summary_keeps_the_messages_german_and_groups_counts_with_a_full_stop(
    personas: Any, tmp_path: Path
) -> None:
    """The per-code summary of ``import_register``: the messages exactly as on the report page (their commas
    intact), counts grouped the German way (1.000, not 1,000)."""
    import io

    from django.core.management import call_command

    from teilhabe.population.problems import Problem

    rows = [row(f"R{i:04d}", familienstand="ZZ") for i in range(1000)]
    path = tmp_path / "auszug.csv"
    path.write_text(csv_text(*rows), encoding="utf-8")
    out = io.StringIO()
    call_command("import_register", str(path), "--stichtag", "2025-12-31", "--dry-run", stdout=out)
    message = Problem(0, "…", "E_FAMILIENSTAND").message
    assert "," in message  # "LD, VH, VW, …": the commas must survive
    lines = [line.strip() for line in out.getvalue().splitlines()]
    assert lines[0].startswith("1.000 Zeilen, 1.000 Fehler, 0 Warnungen")
    assert f"1.000× Fehler: {message} [E_FAMILIENSTAND]" in lines


def test_cli_refuses_what_is_not_an_import_with_a_german_message_and_says_what_it_replaced(
    personas: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    import io

    from django.core.management import CommandError, call_command

    path = tmp_path / "auszug.csv"
    path.write_text(csv_text(*valid_rows()), encoding="utf-8")
    for args, message in [
        ([str(tmp_path), "--stichtag", "31.12.2025"], "ist keine Datei"),
        ([str(path), "--stichtag", "31.12.2025", "--kreis", "99999"], "Kreis „99999“ ist nicht angelegt"),
        ([str(path), "--stichtag", "31.12.2025", "--organisation", "999999"], "Keine Organisation mit der ID 999999"),
        ([str(path), "--stichtag", "31.13.2025"], "„31.13.2025“ ist kein Datum (TT.MM.JJJJ oder JJJJ-MM-TT)"),
    ]:
        with pytest.raises(CommandError, match=re.escape(message)):
            call_command("import_register", *args)
    assert not RegisterImport.objects.exists()
    for _ in range(2):  # the German date is accepted; the second import says what it replaced
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("import_register", str(path), "--stichtag", "31.12.2025", stdout=out)
    assert "Übernommen: Stichtag 31.12.2025, 13 Einwohner/innen." in out.getvalue()
    assert "Ersetzt den bisherigen Import zu diesem Stichtag (auszug.csv, übernommen am " in out.getvalue()


def test_demo_builder_imports_two_stichtage_once(regions: None, personas: Any) -> None:
    from teilhabe.core.demo import DemoDistrict
    from teilhabe.population.demo import build_demo
    from teilhabe.regions.models import Kreis

    district = DemoDistrict(
        kreis=Kreis.objects.get(ags="12073"),
        organisations={"landkreis": personas.landkreis},
        users={"statistik": personas.kreisadmin},
    )
    build_demo(district)
    build_demo(district)  # idempotent
    committed = RegisterImport.objects.filter(status=RegisterImport.Status.COMMITTED)
    assert sorted(committed.values_list("stichtag", flat=True)) == [date(2024, 12, 31), date(2025, 12, 31)]
    assert all(i.population and i.population > 100_000 for i in committed)
    assert "bereits importiert" in district.notes[-1]


def test_orphaned_microdata_files_are_removed(personas: Any, settings: Any) -> None:
    import os

    base = Path(settings.POPULATION_DIR)
    (base / "uploads").mkdir(parents=True)
    orphan = base / "12073_2025-12-31_deadbeef.parquet.tmp"
    orphan.write_bytes(b"x")
    kept = _check(personas, csv_text(*valid_rows()))
    for path in [orphan, *base.glob("uploads/*")]:
        os.utime(path, (0, 0))
    assert services.remove_orphans() == 1
    assert not orphan.exists() and services.staged_data(kept) is not None


@hypothesis_settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=";,.-0123456789AHNmwxGEO \n", max_size=60), min_size=1, max_size=6))
def test_malformed_files_never_crash_and_never_leave_partial_data(personas: Any, lines: list[str]) -> None:
    text = csv_text(*valid_rows(3, prefix="H"), *lines)
    register_import = _check(personas, text)
    try:
        services.register_import_commit(acting_user=personas.kreisadmin, register_import=register_import)
    except services.ImportRejected:
        assert not register_import.counts.exists()
    else:
        assert register_import.error_count == 0
        assert register_import.counts.filter(level="kreis", dimension="bevoelkerung").exists()
    register_import.counts.all().delete()
    RegisterImport.objects.filter(pk=register_import.pk).update(status=RegisterImport.Status.DISCARDED)
