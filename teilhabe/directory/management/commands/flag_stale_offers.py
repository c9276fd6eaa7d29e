"""List published offers not confirmed for DIRECTORY_STALE_DAYS and ask their owners by e-mail to confirm.

Run daily (cron/systemd timer). Owners are asked at most every 30 days; the staff list
/staff/angebote/unbestaetigt/ shows the same entries.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from teilhabe.audit.services import record
from teilhabe.directory.models import Offer

REMIND_EVERY_DAYS = 30


class Command(BaseCommand):
    help = "Nicht bestätigte Einträge auflisten und die Anbieter per E-Mail um Bestätigung bitten."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="nur auflisten, keine E-Mails senden")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        stale = (
            Offer.objects.stale().select_related("owner", "owner__directory_profile").order_by("owner__name", "title")
        )
        by_owner: dict[Any, list[Offer]] = defaultdict(list)
        for offer in stale:
            self.stdout.write(
                f"{offer.pk}\t{offer.owner.name}\t{offer.title}\t{offer.last_confirmed_at:%d.%m.%Y}"
                if offer.last_confirmed_at
                else f"{offer.pk}\t{offer.owner.name}\t{offer.title}\t–"
            )
            due = offer.stale_notified_at is None or offer.stale_notified_at < now - timedelta(days=REMIND_EVERY_DAYS)
            if due:
                by_owner[offer.owner].append(offer)
        self.stdout.write(f"{stale.count()} nicht bestätigte Einträge, {len(by_owner)} Anbieter anzuschreiben.")
        if options["dry_run"]:
            return
        base = settings.SITE_URL.rstrip("/")
        for owner, offers in by_owner.items():
            profile = getattr(owner, "directory_profile", None)
            address = (profile.contact_email if profile else "") or owner.email
            if not address:
                self.stdout.write(f"Keine E-Mail-Adresse für {owner.name}; bitte telefonisch nachfragen.")
                continue
            lines = "\n".join(f"- {o.title}: {base}{reverse('directory_staff:offer', args=[o.pk])}" for o in offers)
            with transaction.atomic():
                Offer.objects.filter(pk__in=[o.pk for o in offers]).update(stale_notified_at=now)
                record(
                    "directory.offer.stale_notify",
                    organisation=owner,
                    object_type="directory.offer",
                    object_repr=f"{len(offers)} Einträge",
                    extra={"offers": [o.pk for o in offers]},
                )
                transaction.on_commit(
                    lambda a=address, l=lines: send_mail(  # type: ignore[misc]  # noqa: E741
                        subject="Angebotsverzeichnis: Sind Ihre Angaben noch aktuell?",
                        message=(
                            "Guten Tag,\n\ndie folgenden Einträge wurden seit über einem Jahr "
                            "nicht bestätigt. "
                            "Bitte prüfen Sie die Angaben und bestätigen oder ändern Sie sie:\n\n"
                            f"{l}\n\nOhne Konto können Sie Änderungen auch über „Änderung vorschlagen“ "
                            "auf der Detailseite melden.\n"
                        ),
                        from_email=None,
                        recipient_list=[a],
                        fail_silently=True,
                    )
                )
