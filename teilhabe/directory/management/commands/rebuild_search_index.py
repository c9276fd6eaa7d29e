"""Rebuild the directory search index (after changing the text pipeline, field weights or label translations)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from teilhabe.directory.search import bump_content_version
from teilhabe.directory.searchindex import index_offers
from teilhabe.lib.formats import format_int, format_number


class Command(BaseCommand):
    help = "Baut den Suchindex des Angebotsverzeichnisses für alle Angebote neu auf."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = index_offers()
        bump_content_version()
        self.stdout.write(
            f"Suchindex neu aufgebaut: {format_int(rows)} Einträge in {format_number(time.perf_counter() - started, 1)} s."
        )
