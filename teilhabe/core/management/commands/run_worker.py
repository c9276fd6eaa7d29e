"""``manage.py run_worker``: the task worker (django-tasks-db ``db_worker``) with a heartbeat.

Same options as ``db_worker``; the worker id is ``<host>-<pid>`` so its heartbeat (``worker:<id>``) tells the
staff area and ``/healthz`` that it is alive, and ``reap_dead_tasks`` which running tasks lost their worker.
"""

from __future__ import annotations

import os
import socket
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from teilhabe.core.worker import HeartbeatThread, beat, reap_dead_tasks


class Command(DbWorkerCommand):
    help = "Hintergrunddienst für Aufgaben (Berichtserstellung) mit Lebenszeichen; wie db_worker."

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
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stopped.set()
