from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from teilhabe.audit.retention import purge_expired
from teilhabe.lib.formats import format_datetime, format_int


class Command(BaseCommand):
    help = "Löscht Protokolleinträge nach Ablauf der Aufbewahrungsfrist und schreibt einen neuen Kontrollpunkt."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Nur zählen, nichts löschen.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = purge_expired(dry_run=options["dry_run"])
        verb = "würden gelöscht" if options["dry_run"] else "gelöscht"
        before = format_datetime(datetime.fromisoformat(str(result["before"])))
        self.stdout.write(f"Protokoll: {format_int(int(result['removed']))} Einträge vor dem {before} {verb}.")
