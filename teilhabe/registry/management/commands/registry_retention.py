"""Daily job: apply the retention rules of the case-record field groups and print the deletion report."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from teilhabe.lib.formats import format_int
from teilhabe.registry.retention import apply_retention


class Command(BaseCommand):
    help = "Löschfristen der Integrationsakten anwenden und Löschbericht ausgeben."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="nur zählen, nichts löschen")

    def handle(self, *args: Any, **options: Any) -> None:
        report = apply_retention(dry_run=options["dry_run"])
        self.stdout.write("Löschbericht" + (" (Probelauf)" if options["dry_run"] else "") + ":")
        if not report:
            self.stdout.write("  nichts fällig")
        for key, count in sorted(report.items()):
            self.stdout.write(f"  {key}: {format_int(count)}")
