"""Background processes: the task worker with a heartbeat, dead-task recovery, and their health.

* ``manage.py run_worker`` = django-tasks-db's ``db_worker`` plus a heartbeat thread (every
  ``HEARTBEAT_SECONDS``) and, at start, ``reap_dead_tasks()``.
* ``reap_dead_tasks()``: a task left ``RUNNING`` by a worker whose heartbeat stopped (``kill -9``, power cut)
  is marked failed with a German message; apps register a hook (``register_reaper_hook``) to fail their own
  job rows (e.g. report builds), which can then be started again.
* ``worker_health()``: what the staff area and ``/healthz`` show.
* ``wait_for_database(seconds)``: at the start of ``run_worker`` (also after each re-exec), a database that is
  briefly unavailable (PostgreSQL restarting) is retried instead of ending the process.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone

from teilhabe.core.models import ProcessHeartbeat

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 10
# A process whose last heartbeat is older than this is taken for dead.
STALE_SECONDS = 60
WORKER_LOST_MESSAGE = (
    "Der Hintergrunddienst wurde während dieser Aufgabe beendet (Absturz oder Neustart). "
    "Es wurden keine Teilergebnisse gespeichert; bitte starten Sie die Aufgabe erneut."
)
WORKER_LOST_CLASS = "teilhabe.core.worker.WorkerLost"

ReaperHook = Callable[[list[str], str], None]
_HOOKS: list[ReaperHook] = []


class WorkerLost(Exception):
    """The worker process died while running the task."""


def register_reaper_hook(hook: ReaperHook) -> None:
    """``hook(task_ids, message)`` marks the app's job rows for these tasks as failed."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)


def process_name(kind: str) -> str:
    return f"{kind}:{socket.gethostname()}-{os.getpid()}"


def beat(name: str, kind: str, detail: str = "") -> None:
    now = timezone.now()
    updated = ProcessHeartbeat.objects.filter(name=name).update(beat_at=now, detail=detail[:500])
    if not updated:
        ProcessHeartbeat.objects.create(name=name, kind=kind, started_at=now, beat_at=now, detail=detail[:500])


class HeartbeatThread(threading.Thread):
    """Writes a heartbeat every ``HEARTBEAT_SECONDS`` until stopped (daemon: dies with the process)."""

    def __init__(self, name: str, kind: str) -> None:
        super().__init__(daemon=True, name=f"heartbeat-{kind}")
        self.process = name
        self.kind = kind
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                close_old_connections()
                try:
                    beat(self.process, self.kind)
                except Exception:  # a locked or lost database must not end the heartbeat thread
                    logger.warning("Lebenszeichen von %s konnte nicht geschrieben werden.", self.process, exc_info=True)
                self.stopped.wait(HEARTBEAT_SECONDS)
        finally:
            connection.close()


def wait_for_database(seconds: float, pause: float = 1.0) -> int:
    """Connect to the default database, retrying every ``pause`` seconds for at most ``seconds`` seconds.

    Returns the number of failed attempts before the connection worked (0: at once). Each failure is logged
    as a German warning. Raises the last ``OperationalError`` when the database is still unreachable after
    ``seconds`` (the process then ends, and systemd's ``Restart=always`` tries again later)."""
    deadline = time.monotonic() + seconds
    failures = 0
    while True:
        try:
            connection.ensure_connection()
            if failures:
                logger.warning("Datenbank wieder erreichbar nach %d Fehlversuch(en).", failures)
            return failures
        except OperationalError as error:
            failures += 1
            connection.close()
            left = deadline - time.monotonic()
            if left <= 0:
                logger.error(
                    "Datenbank nach %.0f s nicht erreichbar; der Hintergrunddienst endet (%s).",
                    seconds,
                    str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__,
                )
                raise
            logger.warning(
                "Datenbank nicht erreichbar (Versuch %d); neuer Versuch in %.0f s, höchstens noch %.0f s.",
                failures,
                pause,
                left,
            )
            time.sleep(min(pause, max(left, 0.1)))


def _alive_names(now: datetime) -> set[str]:
    return set(
        ProcessHeartbeat.objects.filter(beat_at__gte=now - timedelta(seconds=STALE_SECONDS)).values_list(
            "name", flat=True
        )
    )


def reap_dead_tasks() -> list[str]:
    """Fail every RUNNING task whose worker has no fresh heartbeat. Returns the task ids."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    alive = _alive_names(now)
    dead: list[str] = []
    for task in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("id", "worker_ids"):
        worker = (task.worker_ids or [""])[-1]
        if f"worker:{worker}" not in alive:
            dead.append(str(task.id))
    # Heartbeats of processes gone for a day only clutter the staff page.
    ProcessHeartbeat.objects.filter(kind__in=["worker", "scheduler"], beat_at__lt=now - timedelta(days=1)).delete()
    if dead:
        DBTaskResult.objects.filter(id__in=dead, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=WORKER_LOST_CLASS,
            traceback=WORKER_LOST_MESSAGE,
        )
        for hook in _HOOKS:
            hook(dead, WORKER_LOST_MESSAGE)
    return dead


@dataclass(frozen=True)
class WorkerHealth:
    alive: int
    last_heartbeat: datetime | None
    queued: int
    running: int
    failed_recently: int
    scheduler_alive: bool
    jobs: list[tuple[str, datetime]]

    @property
    def warning(self) -> str:
        if not self.alive and self.queued:
            return (
                f"Kein Hintergrunddienst läuft, aber {self.queued} Aufgabe(n) warten (z. B. Berichtserstellung). "
                "Bitte lassen Sie ihn vom IT-Betrieb starten (Betriebshandbuch, Abschnitt Prozesse)."
            )
        return ""

    @property
    def ok(self) -> bool:
        return self.alive > 0 or not self.queued


def worker_health() -> WorkerHealth:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    fresh = now - timedelta(seconds=STALE_SECONDS)
    workers = ProcessHeartbeat.objects.filter(kind="worker")
    last = workers.order_by("-beat_at").values_list("beat_at", flat=True).first()
    counts = {
        status: DBTaskResult.objects.filter(status=status).count()
        for status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    }
    return WorkerHealth(
        alive=workers.filter(beat_at__gte=fresh).count(),
        last_heartbeat=last,
        queued=counts[TaskResultStatus.READY],
        running=counts[TaskResultStatus.RUNNING],
        failed_recently=DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED, finished_at__gte=now - timedelta(days=1)
        ).count(),
        scheduler_alive=ProcessHeartbeat.objects.filter(kind="scheduler", beat_at__gte=fresh).exists(),
        jobs=[
            (name.removeprefix("job:"), beat_at)
            for name, beat_at in ProcessHeartbeat.objects.filter(kind="job")
            .order_by("name")
            .values_list("name", "beat_at")
        ],
    )


# Task priorities (django-tasks: higher runs first; one worker runs tasks one after another). A report build
# is waited for by a person in the staff area; the joint disclosure decision makes new register data visible;
# storing rendered pages only saves later requests work (a page is built on request when nothing is stored).
# Before, a report build could wait minutes behind prerender jobs (issue 16 soak: "wartet" for 300 s).
PRIORITY_WAITED_FOR = 10
PRIORITY_PUBLISH = 0
PRIORITY_BACKGROUND = -10
