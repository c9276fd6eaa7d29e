"""Lockout per (username, client address) with a progressive cool-off; the address comes from client_address."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.lockout import cool_off
from teilhabe.core.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def attempt(address: str, password: str, *, forwarded: str = "", username: str = "abh.leitung") -> int:
    extra: dict[str, Any] = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    response = Client().post(reverse("accounts:login"), {"username": username, "password": password}, **extra)
    return response.status_code


def test_wrong_passwords_from_one_address_do_not_lock_out_the_user_elsewhere(settings) -> None:  # type: ignore[no-untyped-def]
    make_user("abh.leitung")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("203.0.113.9", "falsch")
    assert attempt("203.0.113.9", PASSWORD) == 429  # the attacker's address is locked for this username
    assert attempt("198.51.100.20", PASSWORD) == 302  # the person at the office logs in (on to the 2nd factor)
    assert AccessAttempt.objects.get(ip_address="203.0.113.9").username == "abh.leitung"


def test_five_wrong_passwords_lock_nobody(settings) -> None:  # type: ignore[no-untyped-def]
    make_user("abh.leitung")
    for _ in range(5):
        assert attempt("203.0.113.9", "falsch") == 200
    assert attempt("198.51.100.20", PASSWORD) == 302
    assert attempt("203.0.113.9", PASSWORD) == 302


def test_behind_a_trusted_proxy_clients_are_told_apart_by_forwarded_address(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TEILHABE_TRUSTED_PROXIES = ["127.0.0.1"]
    make_user("abh.leitung")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("127.0.0.1", "falsch", forwarded="203.0.113.9")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
    assert attempt("127.0.0.1", PASSWORD, forwarded="203.0.113.9") == 429
    assert attempt("127.0.0.1", PASSWORD, forwarded="198.51.100.20") == 302
    # a forged header from an untrusted peer is not believed
    assert attempt("203.0.113.9", PASSWORD, forwarded="198.51.100.20") == 429


def test_the_cool_off_grows_with_every_further_failure(settings, rf) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_COOLOFF_MINUTES = 15
    settings.LOGIN_COOLOFF_MAX_HOURS = 24
    make_user("abh.leitung")
    request = rf.post("/konto/anmelden/", {"username": "abh.leitung"}, REMOTE_ADDR="203.0.113.9")
    assert cool_off(request) == timedelta(minutes=15)
    seen = []
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        attempt("203.0.113.9", "falsch")
        seen.append(cool_off(request))
    assert seen[settings.AXES_FAILURE_LIMIT - 1] == timedelta(minutes=15)
    assert seen[-1] == timedelta(minutes=15 * 8)
    assert cool_off(None) == timedelta(minutes=15)
    AccessAttempt.objects.update(failures_since_start=60)
    assert cool_off(request) == timedelta(hours=24)


def test_opening_the_second_factor_page_with_a_full_session_keeps_the_session(client: Client) -> None:
    from django.contrib.auth import SESSION_KEY

    from teilhabe.core.testing import login_verified

    login_verified(client, make_user("lea"))
    response = client.get(reverse("accounts:otp"))
    assert response.status_code == 302 and response["Location"] == reverse("staff:home")
    assert SESSION_KEY in client.session
    client.get(reverse("accounts:otp"))
    assert SESSION_KEY in client.session
