from __future__ import annotations

import csv
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from teilhabe.audit.access_review import access_review
from teilhabe.lib.formats import format_date


class Command(BaseCommand):
    help = "Zugriffsüberprüfung je Organisation als CSV: Konto, Rolle, seit wann, von wem erteilt, letzte Anmeldung."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", type=int, help="nur diese Organisation (ID)")

    def handle(self, *args: Any, **options: Any) -> None:
        writer = csv.writer(self.stdout, delimiter=";")
        writer.writerow(
            ["Organisation", "Konto", "Name", "Rolle", "seit", "erteilt von", "Konto aktiv", "letzte Anmeldung"]
        )
        for row in access_review(options.get("organisation")):
            writer.writerow(
                [
                    row["organisation"],
                    row["username"],
                    row["name"],
                    row["role"],
                    format_date(timezone.localtime(row["since"])),
                    row["granted_by"],
                    "ja" if row["account_active"] else "nein",
                    format_date(timezone.localtime(row["last_login"])) if row["last_login"] else "nie",
                ]
            )
