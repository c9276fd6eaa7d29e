"""Worker heartbeat, dead-task recovery, health endpoints and the German warning in the staff area."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from teilhabe.core.models import ProcessHeartbeat
from teilhabe.core.testing import Personas, login_verified
from teilhabe.core.worker import WORKER_LOST_MESSAGE, beat, reap_dead_tasks, worker_health

pytestmark = pytest.mark.django_db


def _task(status: str, worker: str = "") -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="teilhabe.reports.tasks.build_report_task",
        backend_name="default",
        run_after=timezone.now(),
        worker_ids=[worker] if worker else [],
    )


def test_without_a_worker_waiting_jobs_raise_a_german_warning(client: Client, personas: Personas) -> None:
    _task(TaskResultStatus.READY)
    health = worker_health()
    assert health.alive == 0 and health.queued == 1 and "Kein Hintergrunddienst läuft" in health.warning
    login_verified(client, personas.kreisadmin)
    assert "Kein Hintergrunddienst läuft" in client.get("/staff/").content.decode()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["worker"]["queued"] == 1
    beat("worker:host-1", "worker")
    assert worker_health().warning == "" and client.get("/healthz").status_code == 200
    assert "Kein Hintergrunddienst" not in client.get("/staff/").content.decode()
    page = client.get("/staff/betrieb/")
    assert page.status_code == 200 and "Letztes Lebenszeichen" in page.content.decode()


def test_a_task_whose_worker_died_ends_failed_with_a_german_message() -> None:
    beat("worker:alive-1", "worker")
    ProcessHeartbeat.objects.create(
        name="worker:dead-2", kind="worker", started_at=timezone.now(), beat_at=timezone.now() - timedelta(minutes=5)
    )
    running_alive = _task(TaskResultStatus.RUNNING, "alive-1")
    running_dead = _task(TaskResultStatus.RUNNING, "dead-2")
    assert reap_dead_tasks() == [str(running_dead.id)]
    running_dead.refresh_from_db()
    running_alive.refresh_from_db()
    assert running_dead.status == TaskResultStatus.FAILED and running_dead.traceback == WORKER_LOST_MESSAGE
    assert running_alive.status == TaskResultStatus.RUNNING


def test_readyz_and_healthz_answer_without_login(client: Client) -> None:
    assert client.get("/readyz").json() == {"ready": True}
    body = client.get("/healthz").json()
    assert body["database"] == {"ok": True} and set(body["disk"]) == {"population", "media"}


def test_the_scheduler_runs_due_jobs_once_and_records_them(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "cp.jsonl")
    call_command("run_scheduler", "--once")
    names = set(ProcessHeartbeat.objects.filter(kind="job").values_list("name", flat=True))
    assert {"job:audit_checkpoint", "job:reap_dead_tasks", "job:flag_stale_offers", "job:audit_retention"} <= names
    assert (tmp_path / "cp.jsonl").exists()
    first = ProcessHeartbeat.objects.get(name="job:flag_stale_offers").beat_at
    call_command("run_scheduler", "--once")
    assert ProcessHeartbeat.objects.get(name="job:flag_stale_offers").beat_at == first  # daily: not again
