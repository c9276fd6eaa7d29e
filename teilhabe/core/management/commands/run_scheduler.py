"""``manage.py run_scheduler``: runs the periodic jobs in one long-lived process.

Jobs and intervals are in ``JOBS``; every job is a management command, so cron or systemd timers can run
the same commands instead. The last run of each job is stored as a heartbeat ``job:<command>`` (shown in
the staff area), so a restart does not repeat a daily job that already ran. SIGTERM/SIGINT end it after
the current job.
"""

from __future__ import annotations

import signal
import threading
from datetime import timedelta
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone

from teilhabe.core.models import ProcessHeartbeat
from teilhabe.core.worker import HeartbeatThread, beat, process_name, reap_dead_tasks

DAY = 24 * 3600


def jobs() -> list[tuple[str, int]]:
    """(management command, interval in seconds)."""
    scheduled = [
        ("audit_checkpoint", settings.AUDIT_CHECKPOINT_MINUTES * 60),
        ("reap_dead_tasks", 60),
        ("flag_stale_offers", DAY),
        ("registry_retention", DAY),
        ("audit_retention", DAY),
        ("disable_inactive_accounts", DAY),
    ]
    if settings.DIRECTORY_EXPORT:  # accounts follow the district's directory (decision 0024)
        scheduled.append(("sync_directory", settings.DIRECTORY_SYNC_MINUTES * 60))
    return scheduled


def due(name: str, interval: int) -> bool:
    last = ProcessHeartbeat.objects.filter(name=f"job:{name}").values_list("beat_at", flat=True).first()
    return last is None or timezone.now() - last >= timedelta(seconds=interval)


def run_job(name: str) -> str:
    if name == "reap_dead_tasks":
        detail = f"{len(reap_dead_tasks())} abgebrochene Aufgaben"
    else:
        call_command(name, verbosity=0)
        detail = "ok"
    beat(f"job:{name}", "job", detail)
    return detail


class Command(BaseCommand):
    help = "Zeitgesteuerte Aufgaben: Protokoll-Kontrollpunkt, Aufbewahrung, veraltete Angebote, Kontensperren."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Fällige Aufgaben einmal ausführen und enden.")
        parser.add_argument("--tick", type=float, default=10.0, help="Sekunden zwischen zwei Prüfungen.")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()

        def shutdown(signum: int, frame: FrameType | None) -> None:
            stop.set()

        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, shutdown)
            signal.signal(signal.SIGINT, shutdown)
        name = process_name("scheduler")
        beat(name, "scheduler")
        heartbeat = HeartbeatThread(name, "scheduler")
        if not options["once"]:
            heartbeat.start()
        try:
            while not stop.is_set():
                if not connection.in_atomic_block:
                    close_old_connections()
                for job, interval in jobs():
                    if stop.is_set():
                        break
                    if due(job, interval):
                        try:
                            detail = run_job(job)
                        except Exception as exc:
                            detail = f"Fehler: {exc}"
                            beat(f"job:{job}", "job", detail)
                        self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} {job}: {detail}")
                if options["once"]:
                    break
                stop.wait(options["tick"])
        finally:
            heartbeat.stopped.set()
