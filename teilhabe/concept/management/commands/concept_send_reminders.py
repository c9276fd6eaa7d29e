"""E-mail the owners of overdue action items (once per day and owner). Run daily, e.g. from a systemd timer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from teilhabe.concept.network_services import send_reminders


class Command(BaseCommand):
    help = "Erinnert per E-Mail an überfällige Aufgaben aus Gremiensitzungen."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders(today=timezone.localdate())
        self.stdout.write(f"{sent} Erinnerung(en) verschickt.")
