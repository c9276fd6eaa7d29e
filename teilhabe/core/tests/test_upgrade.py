"""Upgrade with data: the database is taken back to the migration state of the release before the
operations work (commit c808fff), filled through that state's models (organisations, accounts with
passwords, role grants, agency values with history-relevant fields), then migrated to the current state —
every row and value is still there and the accounts still log in. The full release-to-release run (old code
from ``git archive``, audit chain verified) is ``scripts/upgrade_test.py``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from teilhabe.accounts.models import Membership, Organisation, User
from teilhabe.indicators.models import AgencyValue

# The newest migration of each changed app at c808fff (None: the app did not exist yet).
RELEASE_C808FFF = [
    ("accounts", "0002_initial"),
    ("audit", "0002_append_only_triggers"),
    ("core", "0001_initial"),
    ("directory", "0003_offer_import"),
    ("indicators", "0001_initial"),
    ("population", "0001_initial"),
    ("registry", "0006_azr_authorisation"),
    ("concept", None),
    ("linkage", None),
    ("surveys", None),
]
PASSWORD = "Upgrade-Passwort-2026!"


def migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)  # type: ignore[arg-type]
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_previous_release_keeps_its_rows_after_migrating() -> None:
    current = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        existing = [(app, name) for app, name in RELEASE_C808FFF if name is not None]
        old = migrate(RELEASE_C808FFF).loader.project_state(existing).apps
        old_org, old_user = old.get_model("accounts", "Organisation"), old.get_model("accounts", "User")
        old_membership, old_value = old.get_model("accounts", "Membership"), old.get_model("indicators", "AgencyValue")
        org = old_org.objects.create(name="Jobcenter Upgrade", kind="jobcenter")
        users = [
            old_user.objects.create(username=f"upgrade{i}", password=make_password(PASSWORD), email=f"u{i}@kreis.de")
            for i in range(3)
        ]
        for user in users:
            old_membership.objects.create(user=user, organisation=org, role="fallbearbeitung")
        entered = datetime(2025, 3, 1, 12, tzinfo=UTC)
        for year in (2023, 2024):
            old_value.objects.create(
                source_key="ew_auslaender",
                level="gemeinde",
                ags="12073008",
                year=year,
                value=1234.0 + year,
                source_document="Melderegister",
                owner=org,
                entered_by=users[0],
                entered_at=entered,
            )
    finally:
        migrate(current)
    assert Organisation.objects.get().name == "Jobcenter Upgrade"
    assert sorted(User.objects.values_list("username", "email")) == [
        (f"upgrade{i}", f"u{i}@kreis.de") for i in range(3)
    ]
    assert all(user.check_password(PASSWORD) and user.oidc_subject is None for user in User.objects.all())
    assert Membership.objects.filter(role="fallbearbeitung", is_active=True).count() == 3
    assert sorted(AgencyValue.objects.values_list("year", "value", "entered_at")) == [
        (2023, 3257.0, entered),
        (2024, 3258.0, entered),
    ]
