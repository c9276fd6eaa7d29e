"""Test helpers shared by every app: personas across the organisation boundary and verified logins."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.accounts.models import Membership, Organisation, OrganisationKind, User
from teilhabe.accounts.roles import Role

PASSWORD = "Sehr-geheimes-Passwort-2026"  # noqa: S105 - test accounts only


def make_user(
    username: str, organisation: Organisation | None = None, role: str = Role.FALLBEARBEITUNG, *, with_totp: bool = True
) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username.capitalize())
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    if with_totp:
        TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
    return user


def login_verified(client: Client, user: User) -> Client:
    """Log in as if password and TOTP had both been checked (the full flow has its own tests)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Test", confirmed=True
    )
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session["auth_started_at"] = time.time()
    session.save()
    return client


@dataclass
class Personas:
    """Alice and Bob in organisation A, Charlie in organisation B, plus the district's admin and DPO."""

    landkreis: Organisation
    org_a: Organisation
    org_b: Organisation
    alice: User  # caseworker in A
    bob: User  # administrator of A
    charlie: User  # caseworker in B
    kreisadmin: User  # district administration (Landkreis office)
    dpo: User  # data-protection officer (Landkreis office)


def make_personas() -> Personas:
    landkreis = Organisation.objects.create(
        name="Landkreis – Koordinierungsstelle Integration", kind=OrganisationKind.LANDKREIS
    )
    org_a = Organisation.objects.create(name="Jobcenter A", kind=OrganisationKind.JOBCENTER)
    org_b = Organisation.objects.create(name="Ausländerbehörde B", kind=OrganisationKind.AUSLAENDERBEHOERDE)
    return Personas(
        landkreis=landkreis,
        org_a=org_a,
        org_b=org_b,
        alice=make_user("alice", org_a, Role.FALLBEARBEITUNG),
        bob=make_user("bob", org_a, Role.ORG_ADMIN),
        charlie=make_user("charlie", org_b, Role.FALLBEARBEITUNG),
        kreisadmin=make_user("kreisadmin", landkreis, Role.KREIS_ADMIN),
        dpo=make_user("dsb", landkreis, Role.DATENSCHUTZ),
    )
