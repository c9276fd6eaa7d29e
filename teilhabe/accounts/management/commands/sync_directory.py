from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from teilhabe.accounts.directory_sync import DirectoryExportRefused, load_export, sync


class Command(BaseCommand):
    help = (
        "Sperrt Konten, die der Verzeichnisdienst nicht mehr kennt oder deaktiviert hat "
        "(SCIM-Export, TEILHABE_DIRECTORY_EXPORT oder --export), und protokolliert jede Sperre."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--export", default="", help="Datei oder https-Adresse des SCIM-Exports.")
        parser.add_argument("--all-accounts", action="store_true", help="Auch nicht verknüpfte Konten abgleichen.")
        parser.add_argument(
            "--force", action="store_true", help="Sicherheitsgrenze (50 %% der aktiven Konten) aufheben."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["export"] or settings.DIRECTORY_EXPORT
        if not source:
            self.stdout.write("Kein Verzeichnisexport eingerichtet (TEILHABE_DIRECTORY_EXPORT); nichts zu tun.")
            return
        try:
            result = sync(load_export(source), all_accounts=options["all_accounts"], force=options["force"])
        except DirectoryExportRefused as error:
            raise CommandError(str(error)) from error
        for username, reason in result.disabled:
            self.stdout.write(f"gesperrt: {username} ({reason})")
        self.stdout.write(
            f"{result.entries} Einträge im Verzeichnis, {result.checked} verknüpfte Konten geprüft, "
            f"{len(result.disabled)} gesperrt."
        )
