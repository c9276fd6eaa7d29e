"""``manage.py linkage_reindex [--all]``: (re)build the search keys of cases (after bulk loads or a change
of the normaliser)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from teilhabe.lib.formats import format_int
from teilhabe.linkage.keys import reindex, reindex_missing


class Command(BaseCommand):
    help = "Suchschlüssel der Integrationsakten neu aufbauen (--all: alle, sonst nur fehlende)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        from teilhabe.registry.models import Case

        if options["all"]:
            ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
            for case in Case.objects.filter(pk__in=ids).iterator(chunk_size=2000):
                with transaction.atomic():
                    reindex(case)
            count = len(ids)
        else:
            count = reindex_missing()
        self.stdout.write(f"Suchschlüssel für {format_int(count)} Akten aufgebaut.")
