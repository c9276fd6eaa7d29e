from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from teilhabe.audit.checkpoint import verify_all
from teilhabe.lib.formats import format_int


class Command(BaseCommand):
    help = "Prüft die Hash-Kette des Audit-Protokolls und den letzten Kontrollpunkt; Exit-Code 1 bei Manipulation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            type=Path,
            help="Kontrollpunkt-Datei (JSON-Zeilen oder Syslog-Auszug) statt der eingestellten.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count, problems, notes = verify_all(options.get("checkpoint"))
        for note in notes:
            self.stdout.write(note)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"Audit-Protokoll verändert: {len(problems)} Problem(e) in {count} Einträgen.")
        self.stdout.write(self.style.SUCCESS(f"Audit-Protokoll in Ordnung: {format_int(count)} Einträge geprüft."))
