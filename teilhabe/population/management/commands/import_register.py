"""manage.py import_register FILE --stichtag 2025-12-31 [--dry-run] [--valid-rows-only]

Prints the same German messages as the import report page (``problems.Problem.message``): first the count
per problem, then the first 50 problems with line and column; ``-v 2`` adds the seconds per step. The file
is streamed from disk into the query engine (``importer.read_extract``); start-up imports neither pyarrow nor
DuckDB (``PopulationConfig.ready``, and this module imports only ``problems``), and the command skips Django's
system checks (they import every URL module and with it pandas: seconds on every run; ``manage.py check``
and the deployment run them).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from teilhabe.accounts.models import Organisation, OrganisationKind
from teilhabe.lib.formats import format_int, format_number
from teilhabe.population import services
from teilhabe.population.problems import ERROR, MESSAGES, Problem


def _severity(code: str) -> str:
    return "Fehler" if MESSAGES[code][0] == ERROR else "Warnung"


class Command(BaseCommand):
    help = "Prüft einen Melderegister-Auszug (CSV/XLSX) und übernimmt ihn für den Stichtag."
    requires_system_checks: list[str] = []  # see the module doc

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--stichtag", required=True, type=date.fromisoformat)
        parser.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts übernehmen")
        parser.add_argument("--valid-rows-only", action="store_true", help="fehlerhafte Zeilen auslassen")
        parser.add_argument("--organisation", type=int, help="ID der Organisation (Standard: die Kreisverwaltung)")
        parser.add_argument("--kreis", default=settings.TEILHABE_KREIS)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"{path} nicht gefunden.")
        owner = (
            Organisation.objects.filter(pk=options["organisation"]).first()
            if options["organisation"]
            else Organisation.objects.filter(kind=OrganisationKind.LANDKREIS).order_by("pk").first()
        )
        if owner is None:
            raise CommandError("Keine Organisation gefunden (--organisation angeben).")
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
        self.stdout.write(
            f"{format_int(register_import.rows_total)} Zeilen, {format_int(register_import.error_count)} Fehler, "
            f"{format_int(register_import.warning_count)} Warnungen ({register_import.encoding or 'xlsx'}"
            f"{', Trennzeichen ' + register_import.delimiter if register_import.delimiter else ''})."
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
                + "; ".join(f"{name} {format_number(seconds, 2)}" for name, seconds in vars(timings).items() if seconds)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Übernommen: Stichtag {register_import.stichtag:%d.%m.%Y}, "
                f"{format_int(register_import.population)} Einwohner/innen."
            )
        )
