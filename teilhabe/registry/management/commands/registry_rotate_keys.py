"""Re-encrypt every protected value with the first key of TEILHABE_REGISTRY_ENCRYPTION_KEYS."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from teilhabe.registry.crypto import rotate_all


class Command(BaseCommand):
    help = "Geschützte Werte der Integrationsakten mit dem aktuellen Schlüssel neu verschlüsseln."

    def handle(self, *args: Any, **options: Any) -> None:
        report = rotate_all()
        self.stdout.write("Neu verschlüsselt: " + ", ".join(f"{key} {count}" for key, count in report.items()))
