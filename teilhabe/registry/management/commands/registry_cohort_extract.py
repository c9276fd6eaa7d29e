"""Rebuild the pseudonymised cohort store from the case records (run nightly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from teilhabe.registry.cohort import build_extract


class Command(BaseCommand):
    help = "Pseudonymisierten Analysebestand der Integrationsverläufe neu aufbauen."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Kohortendatensätze: {build_extract()}")
