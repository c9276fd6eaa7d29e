"""The task worker gives memory back after a heavy task (issue 16, soak: 257 → 538 MB after a report build).

A real ``manage.py run_worker`` process runs a task that allocates and keeps 200 MiB; the worker re-executes
itself under the same PID (so systemd and ``make demo`` see no exit), is back near its start memory, and
still runs the next task."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

import psutil
import pytest
from django.db import connection
from django_tasks.base import TaskResultStatus

from teilhabe.core.testing import hold_memory, start_worker_process

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="Der Worker-Prozess läuft gegen PostgreSQL."),
]


def wait_finished(result_id: str, timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = hold_memory.get_result(result_id)
        if result.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
            return result
        time.sleep(0.2)
    raise AssertionError("Der Worker hat die Aufgabe nicht beendet.")


def test_worker_recycles_after_a_task_that_keeps_memory_and_keeps_its_pid() -> None:
    worker = start_worker_process()
    try:
        process = psutil.Process(worker.pid)
        wait_finished(hold_memory.enqueue(1).id)  # the worker is up and has imported what tasks need
        ready_rss = process.memory_info().rss
        first = wait_finished(hold_memory.enqueue(200).id)
        assert first.status == TaskResultStatus.SUCCESSFUL
        assert first.return_value == worker.pid
        # After the re-exec the 200 MiB are gone, the PID is the same and the next task runs.
        second = wait_finished(hold_memory.enqueue(1).id)
        assert second.status == TaskResultStatus.SUCCESSFUL
        assert second.return_value == worker.pid
        assert worker.poll() is None
        # Without the re-exec the worker would hold ready_rss + 200 MiB now.
        assert process.memory_info().rss < ready_rss + 100 * 2**20
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def wait_for_line(log: Path, text: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log.read_text(encoding="utf-8", errors="replace"):
            return
        time.sleep(0.01)
    raise AssertionError(f"{text!r} nicht im Protokoll des Workers: {log.read_text()[-2000:]}")


@pytest.mark.parametrize("delay", [0.0, 0.5])
def test_a_stop_during_the_reexec_ends_the_worker_gracefully(tmp_path: Path, delay: float) -> None:
    """SIGTERM (systemctl stop, make demo's Ctrl+C, the soak's end) right when the worker re-executes: before
    the fix the fresh interpreter had no handler yet and was killed by the default action (exit -15, no log
    line), or the old one ended with status 1 ("terminating current task"). Now the stop waits, blocked,
    until the new process has its handlers, and the worker ends gracefully with status 0."""
    log = tmp_path / "worker.log"
    worker = start_worker_process(log)
    try:
        wait_finished(hold_memory.enqueue(1).id)
        hold_memory.enqueue(200)
        wait_for_line(log, "startet neu")
        time.sleep(delay)  # 0: still the old process; 0.5: the new interpreter is starting
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0, log.read_text()[-3000:]
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)
