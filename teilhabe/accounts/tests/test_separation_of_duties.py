"""Separation of duties (issue 10, item 2): nobody grants themself a role, person-data roles need a member
admin of the same organisation plus a second person, district-wide roles never open case records, new
accounts enrol themselves through a personal link, and a four-eyes approver is independent of the requester."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.accounts import services
from teilhabe.accounts.models import Invitation, Membership, User
from teilhabe.accounts.roles import Role
from teilhabe.accounts.separation import PERSON_DATA_ROLES
from teilhabe.core.testing import Personas, login_verified, make_user
from teilhabe.registry import services as registry_services
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import Transmission, TransmissionStatus


@pytest.fixture(autouse=True)
def _fast(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REGISTRY_ENCRYPTION_KEYS = ["test-only-registry-key-1"]
    settings.REGISTRY_ART9_GROUPS = ["gesundheit"]


def _case(personas: Personas):
    return registry_services.case_create(
        acting_user=personas.alice,
        owner=personas.org_a,
        data={"family_name": "Trennfall", "family_name_latin": "Trennfall", "legal_basis": LegalBasis.ART6_1_E},
    )


def _totp(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_kreis_admin_cannot_grant_themself_fallaufsicht_in_an_organisation(personas: Personas) -> None:
    """Example 2a: Kreis admin POSTs role=fallaufsicht for their own account in organisation 3."""
    case = _case(personas)
    client = login_verified(Client(), personas.kreisadmin)
    response = client.post(
        reverse("staff:member_add", args=[personas.org_a.pk]),
        {"username": personas.kreisadmin.username, "role": Role.FALLAUFSICHT},
    )
    assert response.status_code == 200  # the role is not even offered; nothing granted
    assert not Membership.objects.filter(user=personas.kreisadmin, role=Role.FALLAUFSICHT).exists()
    assert client.get(reverse("registry:detail", args=[case.pk])).status_code in (403, 404)
    assert client.get(reverse("registry:export", args=[case.pk])).status_code in (403, 404)
    with pytest.raises(PermissionDenied):  # the service refuses too, not only the form
        services.membership_add(
            acting_user=personas.kreisadmin, user=personas.kreisadmin, organisation=personas.org_a, role="fallaufsicht"
        )
    with pytest.raises(PermissionDenied):  # and a district admin cannot give it to someone else either
        services.membership_add(
            acting_user=personas.kreisadmin, user=personas.charlie, organisation=personas.org_a, role="fallaufsicht"
        )


def test_org_admin_cannot_grant_themself_fallaufsicht(personas: Personas) -> None:
    """Example 2b: jc.admin granted themself fallaufsicht, read Art. 9 data and approved an Art. 9 transfer."""
    client = login_verified(Client(), personas.bob)
    response = client.post(
        reverse("staff:member_add", args=[personas.org_a.pk]), {"username": "bob", "role": Role.FALLAUFSICHT}
    )
    assert response.status_code == 200 and "accounts.self_grant" in response.content.decode()
    assert not Membership.objects.filter(user=personas.bob, role=Role.FALLAUFSICHT).exists()
    own = Membership.objects.get(user=personas.bob, organisation=personas.org_a)
    assert client.post(reverse("staff:membership_edit", args=[own.pk]), {"role": Role.FALLAUFSICHT}).status_code in (
        200,
        403,
    )
    own.refresh_from_db()
    assert own.role == Role.ORG_ADMIN


def test_person_data_role_takes_effect_only_after_a_second_person_confirms(
    personas: Personas, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    personas.dpo.email = "dsb@kreis.example"
    personas.dpo.save()
    case = _case(personas)
    eve = make_user("eve")
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_add(
            acting_user=personas.bob, user=eve, organisation=personas.org_a, role=Role.FALLBEARBEITUNG
        )
    assert membership.pending
    eve_client = login_verified(Client(), eve)
    assert eve_client.get(reverse("registry:detail", args=[case.pk])).status_code in (403, 404)
    assert any("dsb@kreis.example" in m.to for m in mailoutbox)  # the DPO is told
    # The grantor cannot confirm their own grant; the grantee cannot either.
    with pytest.raises(PermissionDenied):
        services.membership_confirm(acting_user=personas.bob, membership=membership)
    with pytest.raises(PermissionDenied):
        services.membership_confirm(acting_user=eve, membership=membership)
    # The organisation's member list says the grant waits; it never shows it as active (found by a tester).
    members = login_verified(Client(), personas.bob).get(reverse("staff:organisation", args=[personas.org_a.pk]))
    assert "wartet auf Bestätigung" in members.content.decode()
    # A single admin: the district's data-protection officer confirms (via the page).
    dpo = login_verified(Client(), personas.dpo)
    assert membership in dpo.get(reverse("staff:membership_confirmations")).context["pending"]
    assert dpo.post(reverse("staff:membership_confirm", args=[membership.pk])).status_code == 302
    membership.refresh_from_db()
    assert not membership.pending and membership.confirmed_by == personas.dpo
    eve_client = login_verified(Client(), User.objects.get(pk=eve.pk))
    assert eve_client.get(reverse("registry:detail", args=[case.pk])).status_code == 200


def test_fallaufsicht_of_the_organisation_can_confirm(personas: Personas) -> None:
    dora = make_user("dora", personas.org_a, Role.FALLAUFSICHT)
    eve = make_user("eve")
    membership = services.membership_add(
        acting_user=personas.bob, user=eve, organisation=personas.org_a, role=Role.FALLBEARBEITUNG
    )
    services.membership_confirm(acting_user=dora, membership=membership)
    # Someone from another organisation cannot.
    other = services.membership_add(
        acting_user=personas.bob, user=make_user("finn"), organisation=personas.org_a, role=Role.FALLBEARBEITUNG
    )
    erik = make_user("erik", personas.org_b, Role.FALLAUFSICHT)
    with pytest.raises(PermissionDenied):
        services.membership_confirm(acting_user=erik, membership=other)


def test_district_wide_roles_never_open_case_records(personas: Personas) -> None:
    case = _case(personas)
    for user in (personas.dpo, personas.kreisadmin):
        client = login_verified(Client(), user)
        for name in ("registry:detail", "registry:edit", "registry:export", "registry:print", "registry:transmit"):
            assert client.get(reverse(name, args=[case.pk])).status_code in (403, 404), (user, name)
    # The DPO sees the access history (ids, no contents).
    page = login_verified(Client(), personas.dpo).get(reverse("registry:history", args=[case.pk]))
    assert page.status_code == 200 and "Trennfall" not in page.content.decode()
    # A district-role account cannot receive a person-data role, even from a member admin.
    with pytest.raises(PermissionDenied):
        services.membership_add(
            acting_user=personas.bob, user=personas.dpo, organisation=personas.org_a, role=Role.FALLBEARBEITUNG
        )
    assert Role.DATENSCHUTZ not in PERSON_DATA_ROLES and Role.KREIS_ADMIN not in PERSON_DATA_ROLES


def test_admin_never_sets_a_password_and_the_person_enrols_through_the_link(
    personas: Personas, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    """Example 2c: an admin created a second account with a password of their choosing and enrolled its TOTP."""
    with pytest.raises(PermissionDenied):
        services.user_create(acting_user=personas.bob, username="zoe", password="Ein-langes-Passwort-123")
    client = login_verified(Client(), personas.bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:member_add", args=[personas.org_a.pk]),
            {"username": "zoe", "email": "zoe@jobcenter.example", "role": Role.FALLBEARBEITUNG},
        )
    assert response.status_code == 302
    zoe = User.objects.get(username="zoe")
    assert not zoe.has_usable_password()
    body = next(m.body for m in mailoutbox if m.to == ["zoe@jobcenter.example"])
    link = body[body.index("/konto/einladung/") :].split()[0]
    # The secret is shown only on the personal link; opening it (GET) changes nothing.
    devices_before = list(TOTPDevice.objects.filter(user=zoe).values_list("pk", "confirmed"))
    person = Client()
    assert person.get(link).status_code == 200
    assert list(TOTPDevice.objects.filter(user=zoe).values_list("pk", "confirmed")) == devices_before
    device = TOTPDevice.objects.get(user=zoe, confirmed=False)
    weak = person.post(link, {"password1": "kurz", "password2": "kurz", "token": _totp(device)})
    assert weak.status_code == 200 and not User.objects.get(pk=zoe.pk).has_usable_password()
    password = "Zoes-eigenes-Passwort-2026"
    done = person.post(link, {"password1": password, "password2": password, "token": _totp(device)})
    assert done.status_code == 302
    zoe.refresh_from_db()
    assert zoe.check_password(password) and TOTPDevice.objects.get(pk=device.pk).confirmed
    assert person.get(link).status_code == 404  # used once
    # An expired link is refused.
    other = services.user_create(acting_user=personas.bob, username="yan", email="yan@jobcenter.example")
    from teilhabe.accounts.enrolment import invitation_send

    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(acting_user=personas.bob, user=other)
    Invitation.objects.filter(user=other).update(expires_at=timezone.now() - timedelta(minutes=1))
    body = [m.body for m in mailoutbox if m.to == ["yan@jobcenter.example"]][-1]
    assert Client().get(body[body.index("/konto/einladung/") :].split()[0]).status_code == 404


def test_approver_must_not_be_an_account_the_requester_created_or_empowered(personas: Personas) -> None:
    case = _case(personas)
    # Paula is caseworker and member admin of A: she creates Quinn and grants Quinn Fallaufsicht.
    paula = make_user("paula", personas.org_a, Role.FALLBEARBEITUNG)
    Membership.objects.create(user=paula, organisation=personas.org_a, role=Role.ORG_ADMIN)
    dora = make_user("dora", personas.org_a, Role.FALLAUFSICHT)
    quinn = services.user_create(acting_user=paula, username="quinn", email="q@example.org")
    TOTPDevice.objects.create(user=quinn, name="t", confirmed=True)
    grant = services.membership_add(acting_user=paula, user=quinn, organisation=personas.org_a, role="fallaufsicht")
    services.membership_confirm(acting_user=dora, membership=grant)
    transmission = registry_services.transmission_request(
        acting_user=paula,
        case=case,
        recipient=personas.org_b,
        groups=["beschaeftigung"],
        legal_basis=LegalBasis.SGB_X_71_2,
        purpose="Prüfung Lebensunterhalt",
    )
    assert transmission.status == TransmissionStatus.PENDING
    quinn = User.objects.get(pk=quinn.pk)
    with pytest.raises(PermissionDenied):
        registry_services.transmission_approve(acting_user=quinn, transmission=transmission)
    assert quinn not in registry_services.approvers_for(transmission)
    assert dora in registry_services.approvers_for(transmission)
    # Also an account the requester only empowered (granted a role to), not created.
    rick = make_user("rick")
    grant = services.membership_add(acting_user=paula, user=rick, organisation=personas.org_a, role="fallaufsicht")
    services.membership_confirm(acting_user=dora, membership=grant)
    with pytest.raises(PermissionDenied):
        registry_services.transmission_approve(acting_user=User.objects.get(pk=rick.pk), transmission=transmission)
    registry_services.transmission_approve(acting_user=dora, transmission=transmission)
    transmission.refresh_from_db()
    assert transmission.status == TransmissionStatus.SENT and transmission.approved_by == dora
    assert Transmission.objects.filter(approved_by=paula).count() == 0


def test_a_waiting_grant_shows_as_waiting_on_the_holders_own_overview(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    finn = make_user("finn", personas.org_b, Role.KOORDINATION)  # already staff elsewhere
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_add(
            acting_user=personas.bob, user=finn, organisation=personas.org_a, role=Role.FALLBEARBEITUNG
        )
    overview = login_verified(Client(), finn).get(reverse("staff:home")).content.decode()
    assert "wartet auf Bestätigung durch eine zweite Person" in overview
