from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from teilhabe.audit.services import verify_chain


class Command(BaseCommand):
    help = "Prüft die Hash-Kette des Audit-Protokolls; Exit-Code 1 bei Manipulation."

    def handle(self, *args: Any, **options: Any) -> None:
        count, problems = verify_chain()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"Audit-Protokoll verändert: {len(problems)} Problem(e) in {count} Einträgen.")
        self.stdout.write(self.style.SUCCESS(f"Audit-Protokoll in Ordnung: {count} Einträge geprüft."))
