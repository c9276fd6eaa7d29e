from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from teilhabe.indicators.services import catalogue_sync, recompute_all
from teilhabe.lib.formats import format_int, format_number


class Command(BaseCommand):
    help = "Indikatorenkatalog (catalogue.yaml) in die Datenbank übernehmen und alle Werte neu berechnen."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-compute", action="store_true", help="Nur den Katalog übernehmen.")

    def handle(self, *args: Any, **options: Any) -> None:
        created, updated = catalogue_sync()
        self.stdout.write(f"Katalog: {format_int(created)} neu, {format_int(updated)} aktualisiert.")
        if not options["no_compute"]:
            report = recompute_all(acting_user=None)
            self.stdout.write(
                f"Werte: {format_int(report.created)} neu, {format_int(report.updated)} geändert, "
                f"{format_int(report.deleted)} entfernt in {format_number(report.seconds, 2)} s."
            )
