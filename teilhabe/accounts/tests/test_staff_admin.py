"""Organisation and member administration, each write with its audit event."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.models import Membership, Organisation, User
from teilhabe.accounts.roles import Role
from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import Personas, login_verified

pytestmark = pytest.mark.django_db


def test_district_admin_creates_an_organisation_with_gemeinden(
    client: Client, personas: Personas, regions: None
) -> None:
    login_verified(client, personas.kreisadmin)
    response = client.post(
        reverse("staff:organisation_create"),
        {"name": "Sozialamt Uckermark", "kind": "sozialamt", "gemeinden": ["12073532", "12073429"], "is_active": "on"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Sozialamt Uckermark")
    assert set(organisation.gemeinden.values_list("ags", flat=True)) == {"12073532", "12073429"}
    event = AuditEvent.objects.get(action="create", object_type="accounts.organisation")
    assert event.username == "kreisadmin" and event.object_id == str(organisation.pk)


def test_an_organisation_admin_cannot_create_organisations(client: Client, personas: Personas) -> None:
    login_verified(client, personas.bob)
    assert client.get(reverse("staff:organisation_create")).status_code == 403


def test_org_admin_adds_a_new_member_with_a_personal_account(
    client: Client, personas: Personas, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    login_verified(client, personas.bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:member_add", args=[personas.org_a.pk]),
            {
                "username": "dora",
                "first_name": "Dora",
                "email": "dora@jobcenter.example",
                "role": Role.FALLBEARBEITUNG,
                "password": "Ein-langes-Erstpasswort-1",  # ignored: administrators never set passwords
            },
        )
    assert response.status_code == 302
    dora = User.objects.get(username="dora")
    assert not dora.has_usable_password() and dora.created_by == personas.bob
    membership = Membership.objects.get(user=dora, organisation=personas.org_a, role=Role.FALLBEARBEITUNG)
    assert membership.pending and membership.granted_by == personas.bob  # waits for a second person
    assert AuditEvent.objects.filter(action="membership.grant", username="bob", extra__user="dora").exists()
    assert not AuditEvent.objects.filter(extra__icontains="Ein-langes-Erstpasswort").exists()
    # The personal link goes to Dora's address only, never into the administrator's page.
    invitation = [m for m in mailoutbox if m.to == ["dora@jobcenter.example"]]
    assert len(invitation) == 1 and "/konto/einladung/" in invitation[0].body
    token = invitation[0].body.split("/konto/einladung/")[1].split("/")[0]
    assert token not in client.get(reverse("staff:organisation", args=[personas.org_a.pk])).content.decode()


def test_new_accounts_need_an_email_address_for_the_personal_link(client: Client, personas: Personas) -> None:
    login_verified(client, personas.bob)
    response = client.post(
        reverse("staff:member_add", args=[personas.org_a.pk]),
        {"username": "eve", "role": Role.FALLBEARBEITUNG, "password": "passwort"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="eve").exists()


def test_an_org_admin_cannot_grant_district_wide_roles(client: Client, personas: Personas) -> None:
    login_verified(client, personas.bob)
    response = client.post(
        reverse("staff:member_add", args=[personas.org_a.pk]),
        {"username": "alice", "role": Role.DATENSCHUTZ},
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user=personas.alice, role=Role.DATENSCHUTZ).exists()


def test_role_change_is_audited_with_before_and_after(client: Client, personas: Personas) -> None:
    login_verified(client, personas.bob)
    membership = Membership.objects.get(user=personas.alice, organisation=personas.org_a)
    response = client.post(
        reverse("staff:membership_edit", args=[membership.pk]), {"role": Role.FALLAUFSICHT, "is_active": "on"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="membership.change")
    assert event.extra["role_before"] == Role.FALLBEARBEITUNG and event.extra["role_after"] == Role.FALLAUFSICHT
    assert event.extra["pending"] is True  # the new person-data role waits for a second person


def test_mfa_reset_removes_devices_and_is_audited(client: Client, personas: Personas) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    login_verified(client, personas.bob)
    client.post(reverse("staff:user_mfa_reset", args=[personas.alice.pk]), {"reason": "Handy verloren"})
    assert not TOTPDevice.objects.filter(user=personas.alice).exists()
    event = AuditEvent.objects.get(action="auth.mfa_reset")
    assert event.purpose == "Handy verloren" and event.username == "bob"


def test_an_admin_cannot_lock_out_themselves(client: Client, personas: Personas) -> None:
    login_verified(client, personas.bob)
    assert client.post(reverse("staff:user_toggle_active", args=[personas.bob.pk])).status_code == 404


def test_new_roles_start_without_permissions() -> None:
    from teilhabe.accounts.roles import permissions_for

    assert permissions_for("eine_neue_rolle") == frozenset()


def test_district_wide_roles_never_reach_case_records(personas: Personas) -> None:
    from teilhabe.accounts.access import has_permission
    from teilhabe.accounts.roles import DISTRICT_WIDE_PERMISSIONS

    assert not any(
        p.startswith(("case.", "fieldgroup.", "transmission.", "population.import")) for p in DISTRICT_WIDE_PERMISSIONS
    )
    assert not has_permission(personas.kreisadmin, "case.read", personas.org_a)
    assert not has_permission(personas.dpo, "case.read", personas.org_a)
    assert has_permission(personas.kreisadmin, "members.manage", personas.org_a)
