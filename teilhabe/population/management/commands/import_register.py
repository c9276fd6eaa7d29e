"""manage.py import_register FILE --stichtag 31.12.2025 [--dry-run] [--valid-rows-only] [--kreis AGS]

``--stichtag`` as TT.MM.JJJJ or JJJJ-MM-TT. A file that is no file, a Kreis that is not set up or an unknown
organisation stop the command with a German message before anything is read.

Prints the same German messages as the import report page (``problems.Problem.message``): first the count
per problem, then the first 50 problems with line and column; ``-v 2`` adds the seconds per step. The file
is streamed from disk into the query engine (``importer.read_extract``); start-up imports neither pyarrow nor
DuckDB (``PopulationConfig.ready``, and this module imports only models, ``problems`` and ``formats``), and the command skips Django's
system checks (they import every URL module and with it pandas: seconds on every run; ``manage.py check``
and the deployment run them).
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from teilhabe.accounts.models import Organisation, OrganisationKind
from teilhabe.lib import import_preview
from teilhabe.lib.formats import format_datetime, format_int, format_number
from teilhabe.population import services
from teilhabe.population.models import RegisterImport
from teilhabe.population.problems import ERROR, MESSAGES, Problem
from teilhabe.regions.models import Kreis


def _severity(code: str) -> str:
    return "Fehler" if MESSAGES[code][0] == ERROR else "Warnung"


def _count(number: int, one: str, many: str) -> str:
    return f"{format_int(number)} {one if number == 1 else many}"


def _stichtag(text: str) -> date:
    """TT.MM.JJJJ or JJJJ-MM-TT; a German message otherwise (argparse shows it)."""
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"„{text}“ ist kein Datum (TT.MM.JJJJ oder JJJJ-MM-TT)")


# The names of the import's steps in the "-v 2" line (``services.Timings``).
STEP_NAMES = {
    "read": "Lesen",
    "validate": "Prüfen",
    "staged": "Geprüftes laden",
    "store": "Ableiten und Speicherdatei",
    "tables": "Zählen",
    "database": "Datenbank",
}


class Command(BaseCommand):
    help = "Prüft einen Melderegister-Auszug (CSV/XLSX) und übernimmt ihn für den Stichtag."
    requires_system_checks: list[str] = []  # see the module doc

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--stichtag", required=True, type=_stichtag, help="TT.MM.JJJJ oder JJJJ-MM-TT")
        parser.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts übernehmen")
        parser.add_argument("--valid-rows-only", action="store_true", help="fehlerhafte Zeilen auslassen")
        parser.add_argument("--organisation", type=int, help="ID der Organisation (Standard: die Kreisverwaltung)")
        parser.add_argument("--kreis", default=settings.TEILHABE_KREIS)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"{path} nicht gefunden.")
        if not path.is_file():
            raise CommandError(f"{path} ist keine Datei (ein Verzeichnis?). Bitte den Auszug selbst angeben.")
        if not Kreis.objects.filter(ags=options["kreis"]).exists():
            raise CommandError(
                f"Kreis „{options['kreis']}“ ist nicht angelegt (5-stelliger Kreisschlüssel, z. B. 08215; "
                "die Regionen lädt manage.py load_regions)."
            )
        if options["organisation"]:
            owner = Organisation.objects.filter(pk=options["organisation"]).first()
            if owner is None:
                raise CommandError(f"Keine Organisation mit der ID {options['organisation']}.")
        else:
            owner = Organisation.objects.filter(kind=OrganisationKind.LANDKREIS).order_by("pk").first()
            if owner is None:
                raise CommandError("Keine Kreisverwaltung angelegt; bitte --organisation angeben.")
        timings = services.Timings()
        register_import = services.register_import_check(
            acting_user=None,
            owner=owner,
            data=path,
            filename=path.name,
            stichtag=options["stichtag"],
            kreis_ags=options["kreis"],
            timings=timings,
            stage=False,
        )
        read_as = []  # only what the reader found out; a refused or empty file has no format to report
        if register_import.rows_total:
            read_as.append(register_import.file_format.upper())
            if register_import.encoding:
                read_as.append(register_import.encoding)
            if register_import.delimiter:
                delimiter = register_import.delimiter
                read_as.append(f"Trennzeichen {import_preview.DELIMITER_NAMES.get(delimiter, delimiter)}")
        self.stdout.write(
            f"{_count(register_import.rows_total, 'Zeile', 'Zeilen')}, {format_int(register_import.error_count)} "
            f"Fehler, {_count(register_import.warning_count, 'Warnung', 'Warnungen')}"
            + (f" ({', '.join(read_as)})." if read_as else ".")
        )
        for code, count in sorted(register_import.problem_counts.items()):
            self.stdout.write(f"  {format_int(count):>9}× {_severity(code)}: {Problem(0, '…', code).message} [{code}]")
        if register_import.problems:
            shown = min(len(register_import.problems), 50)
            self.stdout.write(f"Die ersten {shown} Meldungen:" if shown > 1 else "Die Meldung:")
        for row, column, code, *detail in register_import.problems[:50]:
            problem = Problem(row, column, code, *detail)
            where = f"Zeile {row}" if row else "Datei"
            self.stdout.write(f"  {where}, {column or '–'}: {_severity(code)} – {problem.message} [{code}]")
        if options["dry_run"]:
            services.register_import_discard(acting_user=None, register_import=register_import)
            self.stdout.write("Probelauf: nichts übernommen.")
            return
        replaced = RegisterImport.objects.filter(
            owner=register_import.owner,
            kreis_ags=register_import.kreis_ags,
            stichtag=register_import.stichtag,
            status=RegisterImport.Status.COMMITTED,
        ).first()
        try:
            services.register_import_commit(
                acting_user=None,
                register_import=register_import,
                valid_rows_only=options["valid_rows_only"],
                timings=timings,
            )
        except services.ImportRejected as error:
            services.register_import_discard(acting_user=None, register_import=register_import)
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 2:
            self.stdout.write(
                "Sekunden: "
                + "; ".join(
                    f"{STEP_NAMES[name]} {format_number(seconds, 2)}"
                    for name, seconds in vars(timings).items()
                    if seconds
                )
            )
        if register_import.valid_rows_only:
            left_out = register_import.rows_total - register_import.rows_valid
            self.stdout.write(
                f"{_count(left_out, 'fehlerhafte Zeile', 'fehlerhafte Zeilen')} ausgelassen (protokolliert)."
            )
        if replaced is not None:
            self.stdout.write(
                f"Ersetzt den bisherigen Import zu diesem Stichtag ({replaced.original_filename}, übernommen am "
                f"{format_datetime(replaced.committed_at)})."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Übernommen: Stichtag {register_import.stichtag:%d.%m.%Y}, "
                f"{format_int(register_import.population)} Einwohner/innen."
            )
        )
