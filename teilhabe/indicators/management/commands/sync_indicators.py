from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from teilhabe.indicators.services import catalogue_sync, recompute_all


class Command(BaseCommand):
    help = "Indikatorenkatalog (catalogue.yaml) in die Datenbank übernehmen und alle Werte neu berechnen."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-compute", action="store_true", help="Nur den Katalog übernehmen.")

    def handle(self, *args: Any, **options: Any) -> None:
        created, updated = catalogue_sync()
        self.stdout.write(f"Katalog: {created} neu, {updated} aktualisiert.")
        if not options["no_compute"]:
            report = recompute_all(acting_user=None)
            self.stdout.write(
                f"Werte: {report.created} neu, {report.updated} geändert, {report.deleted} entfernt "
                f"in {report.seconds:.2f} s."
            )
