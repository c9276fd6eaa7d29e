from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from teilhabe.core.demo import DEMO_PASSWORD, create_demo_district


class Command(BaseCommand):
    help = "Legt den Demo-Landkreis an (nur mit TEILHABE_DEMO=1) und gibt die Zugangsdaten aus."

    def handle(self, *args: Any, **options: Any) -> None:
        district = create_demo_district()
        self.stdout.write(f"\nDemo-Landkreis: {district.kreis.name} ({district.kreis.ags})")
        for note in district.notes:
            self.stdout.write(f"  {note}")
        login = settings.SITE_URL.rstrip("/") + "/konto/anmelden/"
        self.stdout.write(f"\nAnmeldung: {login}   Passwort für alle: {DEMO_PASSWORD}")
        self.stdout.write(
            "Zweiter Faktor: je einer der Notfall-Codes (jeder Code gilt einmal; `make demo` erzeugt neue)."
        )
        for username, user in district.users.items():
            roles = ", ".join(m.get_role_display() for m in user.memberships.all())
            codes = " ".join(district.codes[username])
            self.stdout.write(f"  {username:<20} {roles:<45} {codes}")
