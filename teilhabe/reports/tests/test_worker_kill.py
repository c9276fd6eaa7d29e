"""kill -9 of the task worker during a report build: no partial result, the build ends failed with a German
message, and a new build succeeds (PostgreSQL, a real worker process)."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

import pytest

from teilhabe.core import worker
from teilhabe.core.testing import start_worker_process
from teilhabe.reports import services
from teilhabe.reports.models import BuildStatus, ReportBuild

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="echter Worker-Prozess: PostgreSQL-Lauf"
    ),
    pytest.mark.django_db(transaction=True),
]


def _wait_for(predicate: Any, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timeout")


def test_kill_9_of_the_worker_during_a_build_leaves_a_failed_build_that_can_be_rerun(
    edition: Any, koordination: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = services.build_request(acting_user=koordination, edition=edition)
    _wait_for(lambda: ReportBuild.objects.get(pk=build.pk).task_id != "", timeout=10)
    process = start_worker_process()
    try:
        _wait_for(lambda: ReportBuild.objects.get(pk=build.pk).status == BuildStatus.RUNNING)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    build.refresh_from_db()
    assert build.status == BuildStatus.RUNNING  # what a dead worker leaves behind …
    monkeypatch.setattr(worker, "STALE_SECONDS", 0)  # … until its heartbeat is old enough
    assert build.task_id in worker.reap_dead_tasks()
    build.refresh_from_db()
    assert build.status == BuildStatus.FAILED and build.error == worker.WORKER_LOST_MESSAGE
    assert build.pdf is None and build.snapshot is None and build.pdf_size == 0
    rerun = services.build_request(acting_user=koordination, edition=edition, enqueue=False)
    assert services.run_build(rerun.pk).status == BuildStatus.DONE
