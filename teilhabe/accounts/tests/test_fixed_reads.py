"""Session, user, second factor and memberships are read by fixed statements (decision 0176), and still against
current data on every request: a revoked membership, a deactivated account or organisation, a removed second
factor or an expired session take effect on the very next request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.accounts import access
from teilhabe.accounts.backends import ModelBackend
from teilhabe.accounts.models import Membership, User
from teilhabe.accounts.roles import Role, permissions_for
from teilhabe.core.testing import login_verified, make_user

pytestmark = pytest.mark.both_databases


@pytest.fixture
def statistik(personas: Any) -> User:
    return make_user("stefanie", personas.landkreis, Role.STATISTIK)


def _page(client: Client) -> Any:
    return client.get(reverse("population:home"))


def test_a_revoked_membership_takes_effect_on_the_next_request(statistik: User) -> None:
    client = login_verified(Client(), statistik)
    assert _page(client).status_code == 200
    membership = Membership.objects.get(user=statistik)
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    assert _page(client).status_code == 403
    Membership.objects.filter(pk=membership.pk).update(is_active=True, pending=True)
    assert _page(client).status_code == 403
    Membership.objects.filter(pk=membership.pk).update(pending=False)
    assert _page(client).status_code == 200
    membership.organisation.__class__.objects.filter(pk=membership.organisation_id).update(is_active=False)
    assert _page(client).status_code == 403


def test_a_deactivated_account_is_logged_out_on_the_next_request(statistik: User) -> None:
    client = login_verified(Client(), statistik)
    assert _page(client).status_code == 200
    User.objects.filter(pk=statistik.pk).update(is_active=False)
    response = _page(client)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_removed_or_unconfirmed_second_factor_ends_the_verification(statistik: User) -> None:
    client = login_verified(Client(), statistik)
    assert _page(client).status_code == 200
    TOTPDevice.objects.filter(user=statistik).update(confirmed=False)
    assert _page(client)["Location"] == reverse("accounts:otp")
    # the session forgot the device: confirming it again does not restore the verification
    TOTPDevice.objects.filter(user=statistik).update(confirmed=True)
    assert _page(client)["Location"] == reverse("accounts:otp")
    client = login_verified(Client(), statistik)
    assert _page(client).status_code == 200
    TOTPDevice.objects.filter(user=statistik).delete()
    assert _page(client)["Location"] == reverse("accounts:otp")


def test_another_users_device_does_not_verify_a_session(statistik: User, personas: Any) -> None:
    client = login_verified(Client(), statistik)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.filter(user=personas.alice).get().persistent_id
    session.save()
    assert _page(client)["Location"] == reverse("accounts:otp")


def test_an_expired_session_is_not_read(statistik: User) -> None:
    client = login_verified(Client(), statistik)
    assert _page(client).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = _page(client)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_statements_read_what_the_querysets_read(personas: Any, statistik: User) -> None:
    Membership.objects.create(user=personas.alice, organisation=personas.org_b, role=Role.KOORDINATION, pending=True)
    for user in User.objects.all():
        expected = [
            (org, kind, role, permissions_for(role))
            for org, kind, role in Membership.objects.filter(
                user=user, is_active=True, pending=False, organisation__is_active=True
            ).values_list("organisation_id", "organisation__kind", "role")
        ]
        access.forget_permissions(user)
        assert access._grants(user) == expected
        loaded = ModelBackend().get_user(user.pk)
        orm = User.objects.get(pk=user.pk)
        assert loaded is not None
        for field in User._meta.concrete_fields:
            assert getattr(loaded, field.attname) == getattr(orm, field.attname), field.attname
    assert ModelBackend().get_user(10**9) is None


def test_the_verifying_device_loads_its_other_fields_on_access(statistik: User) -> None:
    from teilhabe.accounts.middleware import OTPMiddleware

    device = TOTPDevice.objects.get(user=statistik)
    loaded = OTPMiddleware(lambda request: None)._device_from_persistent_id(device.persistent_id)
    assert isinstance(loaded, TOTPDevice) and loaded.pk == device.pk and loaded.user_id == statistik.pk
    assert loaded.confirmed is True and loaded.name == device.name and loaded.key == device.key
    assert OTPMiddleware(lambda request: None)._device_from_persistent_id("otp_totp.totpdevice/999999") is None
    assert OTPMiddleware(lambda request: None)._device_from_persistent_id("accounts.user/1") is None
    assert OTPMiddleware(lambda request: None)._device_from_persistent_id("nonsense") is None


def test_a_staff_request_reads_session_user_device_and_memberships_once_each(statistik: User) -> None:
    client = login_verified(Client(), statistik)
    assert _page(client).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert _page(client).status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "django_session"' in s for s in sql) == 1
    assert sum('FROM "accounts_user"' in s for s in sql) == 1
    assert sum('FROM "otp_totp_totpdevice"' in s for s in sql) == 1
    assert sum('FROM "accounts_membership"' in s for s in sql) == 1
