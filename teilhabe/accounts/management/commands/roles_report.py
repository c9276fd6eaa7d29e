from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from teilhabe.accounts.models import Membership
from teilhabe.lib.exports import csv_bytes


class Command(BaseCommand):
    help = (
        "Rezertifizierung: alle aktiven Rollen je Konto als CSV (Konto; Name; Organisation; Rolle; letzte Anmeldung)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        header = ["konto", "name", "organisation", "rolle", "konto_aktiv", "letzte_anmeldung"]
        memberships = (
            Membership.objects.filter(is_active=True)
            .select_related("user", "organisation")
            .order_by("user__username", "organisation__name")
        )
        rows = [
            [
                m.user.username,
                m.user.get_full_name(),
                m.organisation.name,
                m.get_role_display(),
                "ja" if m.user.is_active else "nein",
                m.user.last_login.isoformat() if m.user.last_login else "",
            ]
            for m in memberships
        ]
        # Through the one export writer: names are neutralised like in every other CSV of the platform.
        self.stdout.write(csv_bytes(header, rows).decode("utf-8-sig"), ending="")
