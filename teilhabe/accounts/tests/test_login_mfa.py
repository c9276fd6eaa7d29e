"""Login needs password *and* second factor; brute force is locked out; sessions end when they should."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.accounts import services
from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import PASSWORD, Personas, login_verified

pytestmark = pytest.mark.django_db


def totp_now(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def password_step(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_password_alone_never_yields_a_staff_session(client: Client, personas: Personas) -> None:
    response = password_step(client, "alice")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:otp")
    assert SESSION_KEY not in client.session  # not logged in at all yet
    staff = client.get(reverse("staff:home"))
    assert staff.status_code == 302 and staff["Location"].startswith(reverse("accounts:login"))


def test_password_and_totp_log_in_and_write_audit_events(client: Client, personas: Personas) -> None:
    device = TOTPDevice.objects.get(user=personas.alice)
    password_step(client, "alice")
    response = client.post(reverse("accounts:otp"), {"token": totp_now(device)})
    assert response.status_code == 302
    assert client.get(reverse("staff:home")).status_code == 200
    actions = list(AuditEvent.objects.filter(username="alice").values_list("action", flat=True))
    assert "auth.login" in actions and "auth.mfa_verified" in actions


def test_a_reused_totp_code_is_rejected(personas: Personas) -> None:
    device = TOTPDevice.objects.get(user=personas.alice)
    token = totp_now(device)
    first = Client()
    password_step(first, "alice")
    assert first.post(reverse("accounts:otp"), {"token": token}).status_code == 302
    second = Client()
    password_step(second, "alice")
    response = second.post(reverse("accounts:otp"), {"token": token})
    assert response.status_code == 200
    assert "bereits verwendet" in response.content.decode()
    assert SESSION_KEY not in second.session
    assert AuditEvent.objects.filter(action="auth.mfa_failed", username="alice").exists()


def test_a_wrong_code_is_rejected_and_five_wrong_codes_end_the_attempt(client: Client, personas: Personas) -> None:
    password_step(client, "alice")
    for _ in range(4):
        assert client.post(reverse("accounts:otp"), {"token": "000000"}).status_code == 200
    response = client.post(reverse("accounts:otp"), {"token": "000000"})
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("accounts:otp"))["Location"] == reverse("accounts:login")


def test_seventh_attempt_after_six_wrong_passwords_is_locked_even_with_the_right_password(
    client: Client, personas: Personas
) -> None:
    for _ in range(5):
        response = password_step(client, "bob", "falsch")
        assert response.status_code == 200
    assert password_step(client, "bob", "falsch").status_code == 429  # the 6th failure locks
    locked = password_step(client, "bob")
    assert locked.status_code == 429
    assert "gesperrt" in locked.content.decode()
    assert AuditEvent.objects.filter(action="auth.login_failed", username="bob").count() >= 6
    assert AuditEvent.objects.filter(action="auth.locked_out", username="bob").exists()


def test_first_login_enrols_a_totp_device(client: Client, personas: Personas) -> None:
    TOTPDevice.objects.filter(user=personas.charlie).delete()
    response = password_step(client, "charlie")
    assert response["Location"] == reverse("accounts:enroll")
    page = client.get(reverse("accounts:enroll"))
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=personas.charlie, confirmed=False)
    response = client.post(reverse("accounts:enroll"), {"token": totp_now(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="auth.mfa_enrolled", username="charlie").exists()


def test_enrolment_is_not_reachable_without_the_password_step(client: Client, personas: Personas) -> None:
    assert client.get(reverse("accounts:enroll"))["Location"] == reverse("accounts:login")


def test_session_id_changes_at_login(client: Client, personas: Personas) -> None:
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    password_step(client, "alice")
    device = TOTPDevice.objects.get(user=personas.alice)
    client.post(reverse("accounts:otp"), {"token": totp_now(device)})
    assert client.session.session_key != before


def test_logout_invalidates_the_session_on_the_server(client: Client, personas: Personas) -> None:
    login_verified(client, personas.alice)
    cookie = client.cookies["sessionid"].value
    client.post(reverse("accounts:logout"))
    replay = Client()
    replay.cookies["sessionid"] = cookie
    assert replay.get(reverse("staff:home")).status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout", username="alice").exists()


def test_logout_requires_post(client: Client, personas: Personas) -> None:
    login_verified(client, personas.alice)
    assert client.get(reverse("accounts:logout")).status_code == 405


def test_absolute_session_lifetime_ends_an_active_session(client: Client, personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    login_verified(client, personas.alice)
    session = client.session
    session["auth_started_at"] = time.time() - settings.SESSION_ABSOLUTE_LIFETIME - 1
    session.save()
    response = client.get(reverse("staff:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert AuditEvent.objects.filter(action="auth.session_expired", username="alice").exists()


def test_idle_timeout_is_enforced_by_the_session_store(client: Client, personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    import time_machine

    login_verified(client, personas.alice)
    assert client.get(reverse("staff:home")).status_code == 200
    with time_machine.travel(time.time() + settings.SESSION_IDLE_TIMEOUT + 60, tick=False):
        assert client.get(reverse("staff:home")).status_code == 302


def test_activity_slides_the_idle_timeout_with_at_most_one_session_write_a_minute(  # type: ignore[no-untyped-def]
    client: Client, personas: Personas, settings
) -> None:
    import time_machine
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login_verified(client, personas.alice)
    start = time.time()
    with time_machine.travel(start, tick=False):
        assert client.get(reverse("staff:home")).status_code == 200
        key = client.cookies["sessionid"].value
        expiry = Session.objects.get(session_key=key).expire_date
        with CaptureQueriesContext(connection) as queries:
            for _ in range(3):  # further pages within the minute write nothing to the session store
                assert client.get(reverse("staff:home")).status_code == 200
        writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
        assert not [sql for sql in writes if "django_session" in sql]
    # Active every 20 minutes for an hour: more than the 30-minute idle timeout in all, never logged out.
    for minutes in (20, 40, 60):
        with time_machine.travel(start + minutes * 60, tick=False):
            assert client.get(reverse("staff:home")).status_code == 200
    assert Session.objects.get(session_key=key).expire_date > expiry
    with time_machine.travel(start + 60 * 60 + settings.SESSION_IDLE_TIMEOUT + 60, tick=False):
        assert client.get(reverse("staff:home")).status_code == 302


def test_a_disabled_users_live_session_ends(client: Client, personas: Personas) -> None:
    login_verified(client, personas.alice)
    assert client.get(reverse("staff:home")).status_code == 200
    services.user_deactivate(acting_user=personas.bob, user=personas.alice, reason="Austritt")
    assert client.get(reverse("staff:home")).status_code == 302
    event = AuditEvent.objects.get(action="user.deactivate")
    assert event.username == "bob" and event.object_repr == "alice" and event.extra["sessions_ended"] == 1


@pytest.mark.argon2
def test_passwords_are_stored_with_argon2id(personas: Personas) -> None:
    assert personas.alice.password.startswith("argon2$argon2id$")


def test_session_cookie_flags(client: Client, personas: Personas) -> None:
    password_step(client, "alice")
    device = TOTPDevice.objects.get(user=personas.alice)
    response = client.post(reverse("accounts:otp"), {"token": totp_now(device)})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
