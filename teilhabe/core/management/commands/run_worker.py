"""``manage.py run_worker``: the task worker (django-tasks-db ``db_worker``) with a heartbeat and recycling.

Same options as ``db_worker``; the worker id is ``<host>-<pid>`` so its heartbeat (``worker:<id>``) tells the
staff area and ``/healthz`` that it is alive, and ``reap_dead_tasks`` which running tasks lost their worker.

Recycling: a report build or a register import loads Typst, DuckDB and pyarrow, whose memory the process
keeps afterwards (257 → 538 MB in the soak of issue 16). After each task the worker compares its resident
memory with the figure it had once ready; above ``--recycle-growth`` per cent (default
``TEILHABE_WORKER_RECYCLE_GROWTH``, 10) it stops taking tasks and re-executes itself (``os.execv``). The PID
stays the same, so systemd, ``make demo`` and the heartbeat see one process that never exited, and memory
returns to the start figure. ``--recycle-growth 0`` turns this off.

A stop (SIGTERM from systemd or ``make demo``, SIGINT, SIGQUIT) that arrives while the worker re-executes is
kept, not lost and not fatal: from the decision to recycle on, the stop signals are noted instead of acted on,
and blocked in the main thread just before ``execv``. A blocked signal stays pending across ``execv`` and the
blocked mask is inherited, so the fresh process receives it once it has its handlers (``_accept_stops``) and
ends gracefully with status 0. Before, the fresh interpreter had no handler yet and the default action killed
it (status -15, no log line; the soak of issue 16 saw the worker "gone" after a report build), or the old one
ended with status 1. The start also waits for the database (``--db-wait``, default 30 s), which covers a
re-exec while PostgreSQL restarts.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading
from types import FrameType
from typing import Any

import psutil
from django.conf import settings
from django.core.management.base import CommandError
from django.db import OperationalError, connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from teilhabe.core.worker import HeartbeatThread, beat, reap_dead_tasks, wait_for_database

logger = logging.getLogger(__name__)
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGQUIT}


def resident_mb() -> float:
    """Resident set size of this process in MiB."""
    return float(psutil.Process().memory_info().rss) / 2**20


class RecyclingWorker(Worker):
    """``db_worker``'s loop that ends after the task which pushed memory above ``ceiling_mb``."""

    def __init__(self, *args: Any, ceiling_mb: float | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ceiling_mb = ceiling_mb
        self.recycle = False
        self.stop_signal: int | None = None  # a stop that arrived after the decision to recycle

    def note_stop(self, signum: int, frame: FrameType | None) -> None:
        """Handler while the worker re-executes: remember the stop; ``Command._reexec`` honours it."""
        self.stop_signal = signum

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if self.ceiling_mb is not None and self.running:
            now = resident_mb()
            if now > self.ceiling_mb:
                # From here on a stop must not end the process halfway ("terminating current task", status 1)
                # nor be taken by the library's handler and forgotten: the handler changes first, then the
                # decision. Before, a SIGTERM right after the log line below reached ``shutdown`` (which only
                # cleared ``running``), the worker re-executed anyway and ran on (a CI run's 60 s timeout).
                for signum in STOP_SIGNALS:
                    signal.signal(signum, self.note_stop)
                if not self.running:  # a stop arrived during the task or just now: end as asked, no restart
                    self.configure_signals()
                    return
                logger.warning(  # a warning, so that the log at the default level shows why the process restarts
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
        parser.add_argument(
            "--db-wait",
            type=float,
            default=30.0,
            help="So viele Sekunden beim Start auf die Datenbank warten (neuer Versuch jede Sekunde), bevor der "
            "Dienst aufgibt.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._accept_stops(self._stop_before_ready)
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        options["worker_id"] = worker_id
        name = f"worker:{worker_id}"
        db_wait = options.pop("db_wait")
        try:
            wait_for_database(db_wait)
        except OperationalError as error:
            raise CommandError(f"Datenbank nach {db_wait:.0f} s nicht erreichbar: {error}") from error
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
            heartbeat.join(timeout=5)  # fewer threads that could take a stop signal before execv
            self._reexec(worker)

    @staticmethod
    def _stop_before_ready(signum: int, frame: FrameType | None) -> None:
        """A stop before the task loop runs (also one kept pending across a re-exec): end with status 0."""
        logger.warning("%s vor der Aufgabenschleife: der Hintergrunddienst endet.", signal.strsignal(signum))
        raise SystemExit(0)

    @staticmethod
    def _accept_stops(handler: Any) -> None:
        """Install ``handler`` for the stop signals and unblock them: a stop kept pending by ``_reexec`` is
        delivered now. Only in the main thread (``call_command`` from a test thread leaves signals alone)."""
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in STOP_SIGNALS:
            signal.signal(signum, handler)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)

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

    def _reexec(self, worker: RecyclingWorker) -> None:
        """Replace this process by a fresh ``run_worker`` with the same arguments (same PID).

        A stop noted since the decision to recycle ends the process instead (status 0). The stop signals are
        blocked in this thread right before ``execv``: one arriving now stays pending and reaches the fresh
        process's handler (``handle`` unblocks them first thing), instead of killing it while it starts."""
        if sys.argv[1:2] != ["run_worker"] or threading.current_thread() is not threading.main_thread():
            worker.reset_signals()  # called in-process (call_command): just return
            return
        connections.close_all()
        sys.stdout.flush()
        sys.stderr.flush()
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        if worker.stop_signal is not None:
            logger.warning(
                "%s während des Neustarts: der Hintergrunddienst endet.", signal.strsignal(worker.stop_signal)
            )
            raise SystemExit(0)
        os.execv(sys.executable, [sys.executable, *sys.argv])  # noqa: S606 - our own command line
