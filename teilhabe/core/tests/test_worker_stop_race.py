"""A stop that arrives at the worker's decision to restart is never lost (found in CI: the worker logged
"startet neu", took SIGTERM in the library's handler, re-executed anyway and ran on until the test's timeout).

In-process, no database: the task itself is replaced; the signal is sent to this process at the moment
named, and the worker must then either end without restarting or restart knowing about the stop (which
``Command._reexec`` turns into a graceful end)."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django_tasks_db.management.commands.db_worker import Worker

from teilhabe.core.management.commands import run_worker
from teilhabe.core.management.commands.run_worker import STOP_SIGNALS, RecyclingWorker


@pytest.fixture
def worker() -> Iterator[RecyclingWorker]:
    saved = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    w = RecyclingWorker(
        queue_names=["default"],
        interval=1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
        ceiling_mb=0.0,  # every task ends above it: the worker decides to restart
    )
    w.configure_signals()
    w.running = True
    w.running_task = True
    yield w
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def stop_me(*_args: Any, **_kwargs: Any) -> None:
    os.kill(os.getpid(), signal.SIGTERM)  # the Python handler runs before the next bytecode of this thread


def stop_me_then(value: float) -> Any:
    def measured() -> float:
        stop_me()
        return value

    return measured


def test_a_stop_as_the_restart_is_decided_is_kept(worker: RecyclingWorker) -> None:
    with mock.patch.object(Worker, "run_task"), mock.patch.object(run_worker.logger, "warning", side_effect=stop_me):
        worker.run_task(mock.Mock())
    assert worker.recycle and worker.stop_signal == signal.SIGTERM  # _reexec ends the process (status 0)


def test_a_stop_during_the_task_ends_the_worker_without_a_restart(worker: RecyclingWorker) -> None:
    with mock.patch.object(Worker, "run_task", side_effect=stop_me), mock.patch.object(run_worker.logger, "warning"):
        worker.run_task(mock.Mock())
    assert not worker.running and not worker.recycle
    # a second stop forces the end as before (the library's handler is back)
    assert signal.getsignal(signal.SIGTERM) == worker.shutdown


def test_a_stop_between_the_memory_check_and_the_decision_is_kept(worker: RecyclingWorker) -> None:
    with (
        mock.patch.object(Worker, "run_task"),
        mock.patch.object(run_worker, "resident_mb", side_effect=stop_me_then(100.0)),
        mock.patch.object(run_worker.logger, "warning"),
    ):
        worker.run_task(mock.Mock())
    assert (not worker.recycle and not worker.running) or worker.stop_signal == signal.SIGTERM
