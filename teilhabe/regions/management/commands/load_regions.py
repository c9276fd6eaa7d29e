from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from teilhabe.lib.formats import format_int, format_number
from teilhabe.regions.loader import DATA_DIR, load_regions


class Command(BaseCommand):
    help = "Lädt Länder, Kreise, Gemeinden, Grenzen und Referenzwerte (Zensus 2022, INKAR) für ganz Deutschland."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
        parser.add_argument(
            "--only-kreis", default=None, help="Nur die Länder, dieser Kreis (AGS) und seine Gemeinden (Stack-Test)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        report = load_regions(options["data_dir"], only_kreis=options["only_kreis"])
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{report.laender} Länder, {report.kreise} Kreise, {report.gemeinden} Gemeinden "
            f"(+ gemeindefreie Gebiete), {report.gemeinden_with_boundary} Gemeinde- und "
            f"{report.kreise_with_boundary} Kreisgrenzen, {report.reference_values} Referenzwerte; "
            f"Bevölkerung {format_int(report.population_total)} – in {format_number(elapsed, 1)} s"
        )
