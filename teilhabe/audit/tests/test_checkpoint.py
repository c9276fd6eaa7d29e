"""Tamper evidence for the tail: checkpoints outside the database, DELETE refused, retention the only way out."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from teilhabe.audit.checkpoint import latest_checkpoint, read_checkpoints, verify_all, write_checkpoint
from teilhabe.audit.models import AuditEvent, RetentionGate
from teilhabe.audit.retention import purge_expired
from teilhabe.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkpoints(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "audit" / "checkpoints.jsonl"
    settings.AUDIT_CHECKPOINT_FILE = str(path)
    return path


def _events(n: int) -> list[AuditEvent]:
    return [record("read", username="system", object_type="registry.case", object_id=i) for i in range(n)]


def _delete_as_owner(ids: list[int]) -> None:
    """An attacker with the database owner's rights: switch the guard off, delete, switch it on again."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute(f"DELETE FROM audit_auditevent WHERE id IN ({','.join(map(str, ids))})")  # noqa: S608
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
            cursor.execute(f"DELETE FROM audit_auditevent WHERE id IN ({','.join(map(str, ids))})")  # noqa: S608


def test_deleting_the_five_newest_events_is_reported_against_the_checkpoint(checkpoints: Path) -> None:
    events = _events(12)
    call_command("audit_checkpoint")
    assert verify_all()[1] == []
    _delete_as_owner([event.pk for event in events[-5:]])
    count, problems, _notes = verify_all()
    assert count == 7
    assert any("neuesten Einträge fehlen" in problem and "5 Einträge fehlen" in problem for problem in problems)
    with pytest.raises(CommandError, match="verändert"):
        call_command("verify_audit")


def test_without_a_checkpoint_the_deleted_tail_goes_unnoticed_and_verify_says_so(checkpoints: Path) -> None:
    events = _events(6)
    _delete_as_owner([event.pk for event in events[-5:]])
    _count, problems, notes = verify_all()
    assert problems == [] and "Kein Kontrollpunkt" in notes[0]


def test_a_forged_checkpoint_is_refused(checkpoints: Path) -> None:
    _events(3)
    write_checkpoint()
    data = json.loads(checkpoints.read_text().splitlines()[-1])
    data["count"] = 2
    checkpoints.write_text(json.dumps(data) + "\n")
    assert any("Signatur ungültig" in problem for problem in verify_all()[1])


def test_a_syslog_extract_can_be_verified_against(checkpoints: Path, tmp_path: Path) -> None:
    _events(3)
    checkpoint = write_checkpoint()
    extract = tmp_path / "syslog.txt"
    extract.write_text(f"Nov 30 10:00:00 host teilhabe-audit-checkpoint: {checkpoint.to_json()}\n")
    assert read_checkpoints(extract)[-1] == latest_checkpoint()
    call_command("verify_audit", "--checkpoint", str(extract))


def test_the_database_refuses_delete_behind_the_orms_back() -> None:
    event = _events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_retention_removes_only_expired_events_and_writes_a_checkpoint(checkpoints: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AUDIT_RETENTION_DAYS = 30
    with time_machine.travel(timezone.now() - timedelta(days=40), tick=False):
        old = _events(4)
    with time_machine.travel(timezone.now() - timedelta(days=10), tick=False):
        young = _events(3)
    write_checkpoint()
    result = purge_expired()
    assert result["removed"] == 4 and result["removed_through_id"] == old[-1].pk
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in young]).count() == 3
    assert AuditEvent.objects.filter(action="audit.retention").count() == 1
    assert not RetentionGate.objects.exists()
    latest = latest_checkpoint()
    assert latest is not None and latest.kind == "retention" and latest.first_id == young[0].pk
    count, problems, _notes = verify_all()
    assert problems == [] and count == 4
    # the gate is closed again: a young event still cannot be deleted
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [young[0].pk])


def test_deleting_the_oldest_events_without_retention_is_detected(checkpoints: Path) -> None:
    events = _events(5)
    write_checkpoint()
    _delete_as_owner([events[0].pk, events[1].pk])
    problems = verify_all()[1]
    assert any("Anfang der Kette fehlt" in problem for problem in problems)


@pytest.mark.django_db(transaction=True)
def test_the_test_flush_still_empties_the_audit_table_on_both_databases() -> None:
    _events(2)
    assert AuditEvent.objects.count() >= 2  # teardown flushes; the DELETE trigger must not stop it


def test_the_access_review_names_role_since_and_grantor(personas) -> None:  # type: ignore[no-untyped-def]
    from io import StringIO

    from teilhabe.accounts import services as account_services
    from teilhabe.accounts.roles import Role
    from teilhabe.audit.access_review import access_review

    membership = account_services.membership_add(
        acting_user=personas.bob, user=personas.alice, organisation=personas.org_a, role=Role.KOORDINATION
    )
    rows = [r for r in access_review(personas.org_a.pk) if r["username"] == "alice"]
    granted = next(r for r in rows if r["role"] == membership.get_role_display())
    assert granted["granted_by"] == "bob" and granted["since"] >= membership.created_at
    assert {r["organisation"] for r in access_review(personas.org_a.pk)} == {"Jobcenter A"}
    out = StringIO()
    call_command("access_review", "--organisation", str(personas.org_a.pk), stdout=out)
    assert "alice;Alice;" in out.getvalue() and ";bob;" in out.getvalue()
