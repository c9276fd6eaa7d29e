"""``manage.py run_worker``: the task worker (django-tasks-db ``db_worker``) with a heartbeat and recycling.

Same options as ``db_worker``; the worker id is ``<host>-<pid>`` so its heartbeat (``worker:<id>``) tells the
staff area and ``/healthz`` that it is alive, and ``reap_dead_tasks`` which running tasks lost their worker.

Recycling: a report build or a register import loads Typst, DuckDB and pyarrow, whose memory the process
keeps afterwards (257 → 538 MB in the soak of issue 16). After each task the worker compares its resident
memory with the figure it had once ready; above ``--recycle-growth`` per cent (default
``TEILHABE_WORKER_RECYCLE_GROWTH``, 10) it stops taking tasks and re-executes itself (``os.execv``). The PID
stays the same, so systemd, ``make demo`` and the heartbeat see one process that never exited, and memory
returns to the start figure. ``--recycle-growth 0`` turns this off.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
from typing import Any

import psutil
from django.conf import settings
from django.db import connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from teilhabe.core.worker import HeartbeatThread, beat, reap_dead_tasks

logger = logging.getLogger(__name__)


def resident_mb() -> float:
    """Resident set size of this process in MiB."""
    return float(psutil.Process().memory_info().rss) / 2**20


class RecyclingWorker(Worker):
    """``db_worker``'s loop that ends after the task which pushed memory above ``ceiling_mb``."""

    def __init__(self, *args: Any, ceiling_mb: float | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ceiling_mb = ceiling_mb
        self.recycle = False

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if self.ceiling_mb is not None and self.running:
            now = resident_mb()
            if now > self.ceiling_mb:
                logger.info(
                    "Speicher %.0f MB > %.0f MB nach einer Aufgabe: der Dienst startet neu.", now, self.ceiling_mb
                )
                self.recycle = True
                self.running = False


class Command(DbWorkerCommand):
    help = "Hintergrunddienst für Aufgaben (Berichtserstellung) mit Lebenszeichen; wie db_worker."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--recycle-growth",
            type=float,
            default=float(settings.WORKER_RECYCLE_GROWTH),
            help="Neustart (gleiche PID), wenn der Speicher nach einer Aufgabe um mehr als diese Prozent über dem "
            "Startwert liegt; 0 schaltet das ab.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        options["worker_id"] = worker_id
        name = f"worker:{worker_id}"
        beat(name, "worker")
        lost = reap_dead_tasks()
        if lost:
            self.stderr.write(f"{len(lost)} abgebrochene Aufgabe(n) als fehlgeschlagen markiert.")
        heartbeat = HeartbeatThread(name, "worker")
        heartbeat.start()
        growth = options.pop("recycle_growth")
        try:
            if options["reload"] or options["batch"] or not growth:
                super().handle(*args, **options)
                return
            worker = self._worker(options, ceiling_mb=resident_mb() * (1 + growth / 100))
            worker.configure_signals()
            worker.run()
        finally:
            heartbeat.stopped.set()
        if worker.recycle:
            self._reexec()

    def _worker(self, options: dict[str, Any], ceiling_mb: float) -> RecyclingWorker:
        """The library's ``Worker`` built from the same options its own ``handle`` reads."""
        self.configure_logging(options["verbosity"])
        excluded = options["exclude_queues"]
        return RecyclingWorker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=False,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded.split(",") if excluded else [],
            ceiling_mb=ceiling_mb,
        )

    def _reexec(self) -> None:
        """Replace this process by a fresh ``run_worker`` with the same arguments (same PID)."""
        if sys.argv[1:2] != ["run_worker"]:  # called in-process (call_command): just return
            return
        connections.close_all()
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, [sys.executable, *sys.argv])  # noqa: S606 - our own command line
