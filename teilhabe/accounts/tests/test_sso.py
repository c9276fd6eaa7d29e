"""Single sign-on (OIDC) for staff against a fake provider on loopback: existing accounts only, the platform's
TOTP unless the IdP asserts MFA, every refusal audited (decision 0024)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.accounts.models import IdentityProviderDevice, Membership, User
from teilhabe.accounts.tests.fake_idp import CLIENT_ID, CLIENT_SECRET, FakeIdP
from teilhabe.accounts.tests.test_login_mfa import totp_now
from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def idp(settings: Any) -> Iterator[FakeIdP]:
    with FakeIdP() as provider:
        settings.SSO_ENABLED = True
        settings.OIDC_ISSUER = provider.issuer
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.issuer}/authorize"
        settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.issuer}/token"
        settings.OIDC_OP_USER_ENDPOINT = f"{provider.issuer}/userinfo"
        settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.issuer}/jwks"
        settings.OIDC_MFA_AMR = ["mfa"]
        settings.OIDC_MFA_ACR = ["urn:kreis:loa:mfa"]
        yield provider


@pytest.fixture
def alice(personas: Personas) -> User:
    personas.alice.email = "Alice.Arendt@kreis.example"
    personas.alice.save()
    return personas.alice


def sign_on(client: Client, idp: FakeIdP, **claims: Any) -> Any:
    start = client.get(reverse("accounts:sso"))
    assert start.status_code == 302 and start["Location"].startswith(f"{idp.issuer}/authorize?")
    return client.get(idp.authorize(start["Location"], {"sub": "idp-4711", **claims}))


def staff_page(client: Client) -> int:
    return int(client.get(reverse("staff:home")).status_code)


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def test_verified_email_without_mfa_claim_binds_the_subject_and_still_asks_for_totp(
    client: Client, idp: FakeIdP, alice: User
) -> None:
    response = sign_on(client, idp, email="alice.arendt@kreis.example", email_verified=True, amr=["pwd"])
    assert response.status_code == 302 and response["Location"] == reverse("accounts:otp")
    assert SESSION_KEY not in client.session and staff_page(client) == 302  # the IdP's password is one factor
    alice.refresh_from_db()
    assert alice.oidc_subject == "idp-4711"
    client.post(reverse("accounts:otp"), {"token": totp_now(TOTPDevice.objects.get(user=alice))})
    assert staff_page(client) == 200
    assert {"user.sso_linked", "auth.sso_login", "auth.mfa_verified"} <= set(actions())


@pytest.mark.parametrize("claims", [{"amr": ["pwd", "mfa"]}, {"acr": "urn:kreis:loa:mfa"}])
def test_mfa_asserted_by_the_idp_logs_in_without_the_platforms_code(
    client: Client, idp: FakeIdP, alice: User, claims: dict[str, Any]
) -> None:
    alice.oidc_subject = "idp-4711"
    alice.save()
    response = sign_on(client, idp, email="alice.arendt@kreis.example", email_verified=True, **claims)
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert staff_page(client) == 200
    assert IdentityProviderDevice.objects.filter(user=alice).count() == 1
    event = AuditEvent.objects.filter(action="auth.mfa_verified").latest("pk")
    assert event.extra["device"] == "IdentityProviderDevice" and event.extra["sso"] is True


def test_the_subject_wins_over_a_changed_email(client: Client, idp: FakeIdP, alice: User) -> None:
    alice.oidc_subject = "idp-4711"
    alice.save()
    response = sign_on(client, idp, email="neue.adresse@kreis.example", email_verified=True, amr=["mfa"])
    assert response["Location"] == "/staff/" and staff_page(client) == 200


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"email": "neu@kreis.example", "email_verified": True, "amr": ["mfa"]}, "kein Konto mit dieser E-Mail"),
        ({"email": "alice.arendt@kreis.example", "email_verified": False}, "nicht als bestätigt"),
        ({"email": "alice.arendt@kreis.example"}, "nicht als bestätigt"),
    ],
)
def test_no_account_is_created_and_unverified_emails_do_not_match(
    client: Client, idp: FakeIdP, alice: User, claims: dict[str, Any], reason: str
) -> None:
    users, memberships = User.objects.count(), Membership.objects.count()
    response = sign_on(client, idp, **claims)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session and staff_page(client) == 302
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
    assert reason in AuditEvent.objects.get(action="auth.sso_refused").purpose
    page = client.get(reverse("accounts:login")).content.decode()
    assert "kein passendes, aktives Konto" in page


def test_a_disabled_account_cannot_sign_on(client: Client, idp: FakeIdP, alice: User) -> None:
    alice.oidc_subject, alice.is_active = "idp-4711", False
    alice.save()
    sign_on(client, idp, amr=["mfa"])
    assert staff_page(client) == 302
    assert AuditEvent.objects.get(action="auth.sso_refused").purpose == "Konto gesperrt"


@pytest.mark.parametrize(
    "tamper",
    [{"aud": "another-client"}, {"iss": "https://evil.example"}, {"nonce": "replayed"}, {"foreign_key": True}],
)
def test_tokens_for_another_client_issuer_nonce_or_key_are_refused(
    client: Client, idp: FakeIdP, alice: User, tamper: dict[str, Any]
) -> None:
    alice.oidc_subject = "idp-4711"
    alice.save()
    idp.tamper = tamper
    sign_on(client, idp, amr=["mfa"])
    assert SESSION_KEY not in client.session and staff_page(client) == 302
    assert "auth.sso_refused" in actions()


def test_userinfo_for_another_subject_is_refused(client: Client, idp: FakeIdP, alice: User) -> None:
    alice.oidc_subject = "idp-4711"
    alice.save()
    idp.tamper = {"userinfo": {"sub": "someone-else"}}
    sign_on(client, idp, amr=["mfa"])
    assert staff_page(client) == 302 and "auth.sso_refused" in actions()


def test_without_an_issuer_sso_is_off(client: Client, personas: Personas) -> None:
    assert client.get(reverse("accounts:sso")).status_code == 404
    assert "Dienstkonto" not in client.get(reverse("accounts:login")).content.decode()


def test_a_password_form_with_code_and_state_never_reaches_the_idp(
    client: Client, idp: FakeIdP, personas: Personas
) -> None:
    response = client.post(reverse("accounts:login") + "?code=x&state=y", {"username": "alice", "password": "falsch"})
    assert response.status_code == 200 and "Dienstkonto" in response.content.decode()
    assert not idp.codes and not idp.tokens


def test_an_unreachable_idp_or_a_refused_code_is_a_german_message_not_an_error_page(
    client: Client, idp: FakeIdP, alice: User
) -> None:
    start = client.get(reverse("accounts:sso"))
    callback = idp.authorize(start["Location"], {"sub": "idp-4711", "amr": ["mfa"]})
    idp.codes.clear()  # the IdP no longer knows the code (expired, or used twice)
    response = client.get(callback, follow=True)
    assert response.status_code == 200 and "kein passendes, aktives Konto" in response.content.decode()
    assert AuditEvent.objects.get(action="auth.sso_refused").purpose.startswith("Verzeichnisdienst")
