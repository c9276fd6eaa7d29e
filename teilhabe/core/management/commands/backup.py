from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from teilhabe.core.backup import BackupError, backup
from teilhabe.lib.formats import format_int


class Command(BaseCommand):
    help = "Verschlüsselte Sicherung: Datenbank, Ablagen (Parquet, Uploads), Konfiguration ohne Geheimnisse, Protokoll-Kontrollpunkt."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, default=Path("var/backups"), help="Zielverzeichnis")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup(options["out"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Sicherung geschrieben: {path} ({format_int(path.stat().st_size)} Bytes)")
