from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken

from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import PASSWORD, Personas, login_verified

pytestmark = pytest.mark.django_db


def test_password_change_ends_other_sessions_and_notifies(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    personas.alice.email = "alice@example.org"
    personas.alice.save()
    other_device = login_verified(Client(), personas.alice)
    client = login_verified(Client(), personas.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "Ganz-neues-Passwort-77",
                "new_password2": "Ganz-neues-Passwort-77",
            },
        )
    assert response.status_code == 302
    assert client.get(reverse("staff:home")).status_code == 200
    assert other_device.get(reverse("staff:home")).status_code == 302
    assert mail.outbox and mail.outbox[0].to == ["alice@example.org"]
    assert AuditEvent.objects.filter(action="auth.password_changed", username="alice").exists()


def test_renewing_emergency_codes_invalidates_the_old_ones(client: Client, personas: Personas) -> None:
    login_verified(client, personas.alice)
    first = client.post(reverse("accounts:backup_codes")).context["codes"]
    second = client.post(reverse("accounts:backup_codes")).context["codes"]
    assert len(second) == 10
    stored = set(StaticToken.objects.filter(device__user=personas.alice).values_list("token", flat=True))
    assert stored == set(second) and not stored & set(first)


def test_accounts_idle_for_90_days_are_disabled_with_an_audit_event(personas: Personas) -> None:
    personas.alice.last_login = timezone.now()
    personas.alice.save()
    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        personas.bob.last_login = timezone.now()
        personas.bob.save()
        call_command("disable_inactive_accounts", stdout=StringIO())
    personas.alice.refresh_from_db()
    personas.bob.refresh_from_db()
    assert not personas.alice.is_active and personas.bob.is_active
    assert AuditEvent.objects.filter(action="user.deactivate", object_repr="alice").exists()


def test_roles_report_lists_every_active_role(personas: Personas) -> None:
    out = StringIO()
    call_command("roles_report", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("konto;name;organisation;rolle")
    assert any(line.startswith("charlie;") and "Ausländerbehörde B" in line for line in lines)
