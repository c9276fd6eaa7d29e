"""The audit log is append-only, hash-chained and verifiable; tampering is detected."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from teilhabe.audit.models import AppendOnlyError, AuditEvent
from teilhabe.audit.services import GENESIS_HASH, record, verify_chain
from teilhabe.core.testing import Personas

pytestmark = pytest.mark.django_db


def _three_events(personas: Personas) -> list[AuditEvent]:
    return [
        record(
            "create", actor=personas.alice, organisation=personas.org_a, obj=personas.org_a, changed_fields=["name"]
        ),
        record("read", actor=personas.bob, object_type="registry.case", object_id=7, purpose="Beratung"),
        record("export", actor=personas.charlie, object_type="population.table", object_id="2025"),
    ]


def test_events_are_chained_and_the_chain_verifies(personas: Personas) -> None:
    before = AuditEvent.objects.count()
    first, second, third = _three_events(personas)
    assert first.prev_hash == (
        AuditEvent.objects.filter(pk__lt=first.pk).order_by("-pk").values_list("hash", flat=True).first()
        or GENESIS_HASH
    )
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert verify_chain() == (before + 3, [])
    call_command("verify_audit")


def test_events_copy_names_so_they_stay_readable_after_deletion(personas: Personas) -> None:
    event = record("read", actor=personas.alice, organisation=personas.org_a, object_type="x", object_id=1)
    assert event.username == "alice" and event.organisation_name == "Jobcenter A"


def test_the_model_refuses_changes_and_deletion(personas: Personas) -> None:
    event = _three_events(personas)[0]
    event.purpose = "geändert"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(purpose="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_the_database_refuses_an_update_behind_the_orms_back(personas: Personas) -> None:
    event = _three_events(personas)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET purpose = %s WHERE id = %s", ["manipuliert", event.pk])


def _as_database_owner(sql: str, params: list[Any]) -> None:
    """What an attacker with database-owner rights could do: switch off the guard, then change rows."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
            cursor.execute(sql, params)


def _tamper(event_id: int) -> None:
    _as_database_owner("UPDATE audit_auditevent SET object_id = '8' WHERE id = %s", [event_id])


def test_tampering_with_a_stored_event_makes_the_verify_command_fail(personas: Personas) -> None:
    events = _three_events(personas)
    _tamper(events[1].pk)
    _count, problems = verify_chain()
    assert any(f"Eintrag {events[1].pk}" in problem for problem in problems)
    with pytest.raises(CommandError, match="verändert"):
        call_command("verify_audit")


def test_deleting_an_event_in_the_middle_breaks_the_chain(personas: Personas) -> None:
    events = _three_events(personas)
    _as_database_owner("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    _count, problems = verify_chain()
    assert any("Verkettung" in problem for problem in problems)


def test_failed_logins_are_recorded_without_the_password(client, personas: Personas) -> None:  # type: ignore[no-untyped-def]
    client.post("/konto/anmelden/", {"username": "alice", "password": "Geheim-falsch-123"})
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.username == "alice"
    assert "Geheim-falsch" not in event.canonical_payload()
