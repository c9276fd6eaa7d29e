"""Accounts follow the district's directory (SCIM export): who left or is disabled there is disabled here,
audited, sessions ended; a broken export locks nobody out (decision 0024)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client

from teilhabe.accounts.directory_sync import DirectoryExportRefused, sync
from teilhabe.audit.models import AuditEvent
from teilhabe.core.management.commands.run_scheduler import jobs
from teilhabe.core.testing import Personas, login_verified

pytestmark = pytest.mark.django_db


def entry(subject: str, email: str, active: bool = True) -> dict[str, Any]:
    return {"id": subject, "userName": subject, "active": active, "emails": [{"value": email, "primary": True}]}


@pytest.fixture
def bound(personas: Personas) -> Personas:
    for user, subject in ((personas.alice, "s-alice"), (personas.bob, "s-bob"), (personas.charlie, "s-charlie")):
        user.oidc_subject, user.email = subject, f"{user.username}@kreis.example"
        user.save()
    personas.kreisadmin.email = "kreisadmin@kreis.example"
    personas.kreisadmin.save()
    return personas


def active_usernames() -> set[str]:
    from teilhabe.accounts.models import User

    return set(User.objects.filter(is_active=True).values_list("username", flat=True))


def test_unknown_and_disabled_directory_accounts_are_disabled_with_reason_and_sessions_ended(
    bound: Personas, client: Client
) -> None:
    login_verified(client, bound.charlie)
    export = {"Resources": [entry("s-alice", "alice@kreis.example"), entry("s-bob", "bob@kreis.example", False)]}
    result = sync(export)
    assert sorted(result.disabled) == [
        ("bob", "im Verzeichnisdienst deaktiviert"),
        ("charlie", "im Verzeichnisdienst unbekannt"),
    ]
    assert active_usernames() == {"alice", "kreisadmin", "dsb"}  # local accounts untouched by default
    assert not Session.objects.exists()  # charlie's session is gone
    reasons = dict(AuditEvent.objects.filter(action="user.deactivate").values_list("object_repr", "purpose"))
    assert reasons == {"bob": "im Verzeichnisdienst deaktiviert", "charlie": "im Verzeichnisdienst unbekannt"}
    assert AuditEvent.objects.get(action="user.directory_sync").extra["disabled"] == 2


def test_unbound_accounts_follow_a_disabled_email_and_with_all_accounts_an_unknown_one(bound: Personas) -> None:
    people = [entry(s, f"{s[2:]}@kreis.example") for s in ("s-alice", "s-bob", "s-charlie")]
    sync({"Resources": [*people, entry("s-k", "KreisAdmin@kreis.example", False)]})
    assert "kreisadmin" not in active_usernames() and "dsb" in active_usernames()
    sync({"Resources": people}, all_accounts=True)
    assert "dsb" not in active_usernames()  # no e-mail, so unknown to the directory
    assert {"alice", "bob", "charlie"} <= active_usernames()


def test_an_empty_or_implausible_export_disables_nobody(bound: Personas) -> None:
    with pytest.raises(DirectoryExportRefused, match="keine Einträge"):
        sync({"Resources": []})
    with pytest.raises(DirectoryExportRefused, match="vermutlich unvollständig"):
        sync({"Resources": [entry("s-someone", "x@kreis.example")]})
    assert len(active_usernames()) == 5
    sync({"Resources": [entry("s-someone", "x@kreis.example")]}, force=True)
    assert active_usernames() == {"kreisadmin", "dsb"}


def test_the_command_reads_a_file_and_the_scheduler_runs_it_when_configured(
    bound: Personas, tmp_path: Path, settings: Any
) -> None:
    export = tmp_path / "scim.json"
    export.write_text(json.dumps({"Resources": [entry("s-alice", "a@x"), entry("s-bob", "b@x")]}))
    call_command("sync_directory", "--export", str(export))
    assert "charlie" not in active_usernames()
    export.write_text("{}")
    with pytest.raises(CommandError, match="SCIM"):
        call_command("sync_directory", "--export", str(export))
    assert "sync_directory" not in dict(jobs())
    settings.DIRECTORY_EXPORT = str(export)
    assert dict(jobs())["sync_directory"] == settings.DIRECTORY_SYNC_MINUTES * 60
