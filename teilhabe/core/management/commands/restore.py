from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from teilhabe.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Stellt eine Sicherung in eine leere Installation wieder her, prüft das Protokoll und wiederholt Löschungen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore(options["backup"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Wiederhergestellt: Sicherung vom {summary['backup_created_at']}, {summary['audit_events']} Protokolleinträge geprüft, "
            f"{summary['erased']} Löschung(en) aus dem Löschjournal erneut ausgeführt."
        )
