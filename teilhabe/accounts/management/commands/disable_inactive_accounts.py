from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from teilhabe.accounts.models import User
from teilhabe.accounts.services import user_deactivate


class Command(BaseCommand):
    help = "Sperrt Konten, die seit N Tagen nicht angemeldet waren (Standard 90), und protokolliert jede Sperre."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        cutoff = timezone.now() - timedelta(days=days)
        stale = User.objects.filter(is_active=True).filter(
            Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
        )
        count = 0
        for user in stale:
            user_deactivate(acting_user=None, user=user, reason=f"seit {days} Tagen nicht angemeldet")
            count += 1
            self.stdout.write(f"gesperrt: {user.username}")
        self.stdout.write(f"{count} Konto/Konten gesperrt.")
