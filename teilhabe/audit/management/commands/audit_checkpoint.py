from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from teilhabe.audit.checkpoint import write_checkpoint
from teilhabe.lib.formats import format_int


class Command(BaseCommand):
    help = "Schreibt den Stand der Protokollkette (letzter Eintrag, Prüfsumme, Anzahl) außerhalb der Datenbank."

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = write_checkpoint("scheduled")
        self.stdout.write(f"Kontrollpunkt: {format_int(checkpoint.count)} Einträge, letzter {checkpoint.last_id}.")
