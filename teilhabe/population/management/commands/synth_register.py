"""manage.py synth_register --kreis 08215 --stichtag 2025-12-31 --seed 1 [--error-rate 0.01] [--out FILE]"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.csv as pacsv
from django.core.management.base import BaseCommand, CommandError, CommandParser

from teilhabe.lib.formats import format_int, format_number
from teilhabe.population.synth import specs_from_db, synthesise


class Command(BaseCommand):
    help = "Erzeugt einen synthetischen Melderegister-Auszug für einen echten Kreis (CSV, Semikolon, UTF-8)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kreis", required=True, help="5-stelliger Kreisschlüssel, z. B. 08215")
        parser.add_argument("--stichtag", required=True, type=date.fromisoformat)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--error-rate", type=float, default=0.0, help="Anteil absichtlich fehlerhafter Zeilen")
        parser.add_argument("--out", help="Zieldatei; ohne Angabe auf die Standardausgabe")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        specs = specs_from_db(options["kreis"])
        if not specs:
            raise CommandError(f"Kreis {options['kreis']} ist unbekannt.")
        if not 0 <= options["error_rate"] <= 1:
            raise CommandError("--error-rate muss zwischen 0 und 1 liegen.")
        table = synthesise(specs, options["stichtag"], seed=options["seed"], error_rate=options["error_rate"])
        write_options = pacsv.WriteOptions(delimiter=";")
        if options["out"]:
            pacsv.write_csv(table, str(Path(options["out"])), write_options=write_options)
            self.stderr.write(
                f"{format_int(table.num_rows)} Zeilen ({len(specs)} Gemeinden) in "
                f"{format_number(time.perf_counter() - started, 1)} s nach {options['out']} geschrieben."
            )
        else:
            pacsv.write_csv(table, sys.stdout.buffer, write_options=write_options)
