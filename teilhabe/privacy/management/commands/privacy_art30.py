"""Write the Art. 30 record generated from registry.yaml to an HTML file (e.g. docs/privacy/art30.html)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.template.loader import render_to_string

from teilhabe.privacy.views import art30_context


class Command(BaseCommand):
    help = "Verzeichnis der Verarbeitungstätigkeiten (Art. 30 DSGVO) als HTML-Datei erzeugen."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("output", help="Zieldatei, z. B. docs/privacy/art30.html")

    def handle(self, *args: Any, **options: Any) -> None:
        html = render_to_string("privacy/art30_document.html", art30_context())
        Path(options["output"]).write_text(html, encoding="utf-8")
        self.stdout.write(f"Geschrieben: {options['output']}")
