"""DP-41: a PostgreSQL role for the statistics job that reads only the pseudonymised analytics tables.

Idempotent: creates the NOLOGIN role when missing, revokes every table privilege it may hold in the schema,
then grants SELECT on the analytics tables and revokes all on the identity tables explicitly (so a later
blanket ``GRANT … ON ALL TABLES`` by an operator is visible as a deviation when the command is re-run).
Log in through a separate LOGIN role that is granted membership: ``GRANT teilhabe_statistics TO stats_job``.
"""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

# Pseudonymised or aggregate data only: no names, birth dates, identifiers of persons.
ANALYTICS_MODELS = (
    "registry.CohortRecord",
    "population.PopulationCount",
    "indicators.Indicator",
    "indicators.IndicatorValue",
    "indicators.AgencyValue",
)
# Tables with directly identifying data or the case content the cohort store is derived from.
IDENTITY_MODELS = (
    "registry.Case",
    "registry.FieldGroupEntry",
    "registry.TrajectoryEvent",
    "registry.PlanGoal",
    "registry.Consent",
    "registry.Transmission",
    "registry.CorrectionNotice",
    "registry.AccessRequest",
    "registry.ApiToken",
    "registry.AzrAuthorisation",
    "accounts.User",
)
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def table_names(labels: tuple[str, ...]) -> list[str]:
    return [apps.get_model(label)._meta.db_table for label in labels]


class Command(BaseCommand):
    help = "Legt die PostgreSQL-Rolle des Statistikjobs an (nur Lesezugriff auf pseudonymisierte Tabellen)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--role", default="", help="Rollenname (Standard: TEILHABE_REGISTRY_STATISTICS_ROLE)")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Datenbankrollen gibt es nur unter PostgreSQL (registry.statistics_role_vendor).")
        role = options["role"] or settings.REGISTRY_STATISTICS_ROLE
        if not ROLE_NAME.match(role):
            raise CommandError(f"Ungültiger Rollenname {role!r} (registry.statistics_role_name).")
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            created = cursor.fetchone() is None
            if created:
                cursor.execute(f"CREATE ROLE {quote(role)} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
            cursor.execute("SELECT current_schema()")
            schema = quote(cursor.fetchone()[0])
            cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {quote(role)}")
            cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {quote(role)}")
            cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {quote(role)}")
            for table in table_names(ANALYTICS_MODELS):
                cursor.execute(f"GRANT SELECT ON {quote(table)} TO {quote(role)}")
            for table in table_names(IDENTITY_MODELS):
                cursor.execute(f"REVOKE ALL ON {quote(table)} FROM {quote(role)}")
        self.stdout.write(
            f"Rolle {role} {'angelegt' if created else 'aktualisiert'}: SELECT auf "
            f"{', '.join(table_names(ANALYTICS_MODELS))}; keine Rechte auf {', '.join(table_names(IDENTITY_MODELS))}."
        )
