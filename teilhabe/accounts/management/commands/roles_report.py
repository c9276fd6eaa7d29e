from __future__ import annotations

import csv
from typing import Any

from django.core.management.base import BaseCommand

from teilhabe.accounts.models import Membership


class Command(BaseCommand):
    help = (
        "Rezertifizierung: alle aktiven Rollen je Konto als CSV (Konto; Name; Organisation; Rolle; letzte Anmeldung)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        writer = csv.writer(self.stdout, delimiter=";")
        writer.writerow(["konto", "name", "organisation", "rolle", "konto_aktiv", "letzte_anmeldung"])
        memberships = (
            Membership.objects.filter(is_active=True)
            .select_related("user", "organisation")
            .order_by("user__username", "organisation__name")
        )
        for m in memberships:
            writer.writerow(
                [
                    m.user.username,
                    m.user.get_full_name(),
                    m.organisation.name,
                    m.get_role_display(),
                    "ja" if m.user.is_active else "nein",
                    m.user.last_login.isoformat() if m.user.last_login else "",
                ]
            )
