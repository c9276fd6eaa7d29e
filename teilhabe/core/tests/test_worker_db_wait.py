"""The task worker waits for a database that is briefly unavailable instead of ending (issue 16).

``wait_for_database`` retries every ``pause`` seconds and logs a German warning per failed attempt; after
``seconds`` it gives up with the last error, and ``run_worker`` then ends with a German message (no
traceback) so that systemd's ``Restart=always`` tries again later."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection

from teilhabe.core.worker import wait_for_database

ROOT = Path(__file__).resolve().parents[3]


def test_wait_for_database_retries_until_the_database_answers(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    attempts: list[int] = []

    def flaky() -> None:
        attempts.append(1)
        if len(attempts) < 3:
            raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", flaky)
    with caplog.at_level("WARNING", logger="teilhabe.core.worker"):
        assert wait_for_database(5, pause=0.01) == 2
    assert "Datenbank nicht erreichbar (Versuch 1)" in caplog.text
    assert "Datenbank wieder erreichbar nach 2 Fehlversuch(en)" in caplog.text


def test_wait_for_database_gives_up_after_the_time(monkeypatch: pytest.MonkeyPatch) -> None:
    def down() -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", down)
    with pytest.raises(OperationalError):
        wait_for_database(0.05, pause=0.01)


def test_run_worker_without_database_retries_then_ends_with_a_german_message() -> None:
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/keine_datenbank",  # nothing listens on port 1
        "TEILHABE_SECRET_KEY": "test",
        "TEILHABE_LOG_FORMAT": "text",
    }
    out = subprocess.run(
        [sys.executable, "manage.py", "run_worker", "--db-wait", "2", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 1
    assert "Datenbank nicht erreichbar (Versuch 2)" in out.stderr
    assert "Datenbank nach 2 s nicht erreichbar" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.django_db
def test_a_report_build_runs_before_queued_background_jobs() -> None:
    """One worker runs tasks one after another; a report build somebody waits for must not queue behind
    minutes of page prerendering or a disclosure decision (the soak of issue 16 saw "wartet" for 300 s)."""
    from django_tasks_db.models import DBTaskResult

    from teilhabe.indicators.tasks import prerender_task as monitoring_prerender
    from teilhabe.population.tasks import prerender_task as tables_prerender
    from teilhabe.population.tasks import publish_task
    from teilhabe.reports.tasks import build_report_task

    monitoring_prerender.enqueue()
    tables_prerender.enqueue("00000000-0000-0000-0000-000000000000")
    publish_task.enqueue("00000000-0000-0000-0000-000000000000")
    build_report_task.enqueue(1)
    paths = [row.task_path for row in DBTaskResult.objects.ready()]
    assert paths[0] == "teilhabe.reports.tasks.build_report_task"
    assert paths[1] == "teilhabe.population.tasks.publish_task"
    assert set(paths[2:]) == {"teilhabe.indicators.tasks.prerender_task", "teilhabe.population.tasks.prerender_task"}
