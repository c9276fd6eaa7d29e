"""DP-41: the statistics job's database role reads the pseudonymised analytics store, never identity tables."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import ProgrammingError, connection, transaction

from teilhabe.registry.management.commands.registry_statistics_role import (
    ANALYTICS_MODELS,
    IDENTITY_MODELS,
)
from teilhabe.registry.models import Case, CohortRecord
from teilhabe.registry.tests.conftest import World

ROLE = "teilhabe_statistics_test"
# Columns of a person's identity (an indicator's own ``name_de`` is not one).
IDENTIFYING_COLUMN = re.compile(
    r"(family|given|first|last|sur|vor|nach|search)_?names?|birth|geburt|azr|e?mail|phone|telefon|addres|adress|stra(ss|ß)e",
    re.IGNORECASE,
)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Datenbankrollen und SET ROLE gibt es nur unter PostgreSQL."
)


@postgres_only
@pytest.mark.django_db
def test_statistics_role_is_denied_identity_tables(world: World, settings) -> None:
    settings.REGISTRY_STATISTICS_ROLE = ROLE
    from teilhabe.registry.cohort import build_extract

    build_extract()
    assert CohortRecord.objects.exists()
    call_command("registry_statistics_role")
    call_command("registry_statistics_role")  # idempotent
    quote = connection.ops.quote_name
    cohort_table, expected = CohortRecord._meta.db_table, CohortRecord.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {quote(ROLE)}")
        try:
            for model in (Case, apps.get_model("accounts.User"), apps.get_model("registry.FieldGroupEntry")):
                with pytest.raises(ProgrammingError, match="permission denied"), transaction.atomic():
                    cursor.execute(f"SELECT * FROM {quote(model._meta.db_table)}")  # noqa: S608 (model table name)
            cursor.execute(f"SELECT count(*) FROM {quote(cohort_table)}")  # noqa: S608 (model table name)
            assert cursor.fetchone()[0] == expected > 0
            with pytest.raises(ProgrammingError, match="permission denied"), transaction.atomic():
                cursor.execute(f"DELETE FROM {quote(cohort_table)}")  # noqa: S608 (model table name)
        finally:
            cursor.execute("RESET ROLE")


def test_command_refuses_other_databases() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("Prüft nur den Abbruch außerhalb von PostgreSQL.")
    with pytest.raises(CommandError, match="statistics_role_vendor"):
        call_command("registry_statistics_role")


def test_analytics_schema_has_no_name_or_birth_columns() -> None:
    for label in ANALYTICS_MODELS:
        columns = [f.column or "" for f in apps.get_model(label)._meta.concrete_fields]
        assert not [c for c in columns if IDENTIFYING_COLUMN.search(c)], label
    assert not set(ANALYTICS_MODELS) & set(IDENTITY_MODELS)
    # The pattern does catch the identity table's columns.
    assert any(IDENTIFYING_COLUMN.search(f.column or "") for f in Case._meta.concrete_fields)
