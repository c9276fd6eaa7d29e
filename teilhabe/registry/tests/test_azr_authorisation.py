"""DP-28: AZR data only for individually authorised staff; authorisation granted by a second person."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from teilhabe.accounts.models import Membership
from teilhabe.accounts.roles import Role
from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import make_user
from teilhabe.registry import services
from teilhabe.registry.access import can_read_azr
from teilhabe.registry.models import AzrAuthorisation
from teilhabe.registry.tests.conftest import SEEDED_AZR, SEEDED_NAME, World


def _bodies(world: World, client) -> dict[str, str]:
    pk = world.case.pk
    urls = {
        "detail": reverse("registry:detail", kwargs={"pk": pk}),
        "edit": reverse("registry:edit", kwargs={"pk": pk}),
        "print": reverse("registry:print", kwargs={"pk": pk}),
        "export": reverse("registry:export", kwargs={"pk": pk}),
        "report": reverse("registry:access_report", kwargs={"pk": pk}),
        "report_json": reverse("registry:access_report_json", kwargs={"pk": pk}),
    }
    return {name: client.get(url).content.decode() for name, url in urls.items()}


def test_role_without_authorisation_sees_no_azr_number_anywhere(world: World) -> None:
    hanna = make_user("hanna", world.p.org_a, Role.FALLAUFSICHT)  # role grants azr.read, no authorisation
    assert not can_read_azr(hanna, world.p.org_a)
    bodies = _bodies(world, world.client(hanna))
    assert SEEDED_NAME in bodies["detail"] and '"aufenthalt"' in bodies["export"]
    for name, body in bodies.items():
        assert SEEDED_AZR not in body, name
    assert 'name="azr_number"' not in bodies["edit"]
    # The authorised Dora sees it on the same pages.
    assert SEEDED_AZR in _bodies(world, world.client(world.dora))["report_json"]


def test_self_grant_refused(world: World) -> None:
    hanna = make_user("hanna", world.p.org_a, Role.FALLAUFSICHT)
    membership = Membership.objects.get(user=hanna)
    response = world.client(hanna).post(reverse("registry:azr_grant", kwargs={"pk": membership.pk}), {"reason": "x"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.azr_authorisation_grant(acting_user=hanna, membership=membership, reason="x")
    assert not AzrAuthorisation.objects.filter(membership=membership).exists()


def test_grant_by_fallaufsicht_works_and_is_audited(world: World) -> None:
    gina = make_user("gina", world.p.org_a, Role.FALLBEARBEITUNG)
    membership = Membership.objects.get(user=gina)
    dora = world.client(world.dora)
    page = dora.get(reverse("registry:azr_authorisations"))
    assert page.status_code == 200 and "Gina" in page.content.decode()
    response = dora.post(reverse("registry:azr_grant", kwargs={"pk": membership.pk}), {"reason": "Aufenthaltsfragen"})
    assert response.status_code == 302
    authorisation = AzrAuthorisation.objects.active().get(membership=membership)
    assert authorisation.granted_by == world.dora
    event = AuditEvent.objects.get(action="registry.azr_grant", object_id=str(authorisation.pk))
    assert event.username == "dora" and event.extra["user"] == gina.pk
    assert (
        SEEDED_AZR in world.client(gina).get(reverse("registry:export", kwargs={"pk": world.case.pk})).content.decode()
    )


def test_grant_needs_reason_and_azr_role(world: World) -> None:
    gina = make_user("gina", world.p.org_a, Role.FALLBEARBEITUNG)
    dora = world.client(world.dora)
    dora.post(reverse("registry:azr_grant", kwargs={"pk": Membership.objects.get(user=gina).pk}), {"reason": " "})
    bob_membership = Membership.objects.get(user=world.p.bob)  # ORG_ADMIN: no azr.read in the role
    dora.post(reverse("registry:azr_grant", kwargs={"pk": bob_membership.pk}), {"reason": "x"})
    assert not AzrAuthorisation.objects.filter(membership__user__in=[gina, world.p.bob]).exists()


def test_foreign_organisation_cannot_grant_or_revoke(world: World) -> None:
    gina = make_user("gina", world.p.org_a, Role.FALLBEARBEITUNG)
    membership = Membership.objects.get(user=gina)
    alice_auth = AzrAuthorisation.objects.active().get(membership__user=world.p.alice)
    for user in (world.p.charlie, world.erik):
        client = world.client(user)
        grant = client.post(reverse("registry:azr_grant", kwargs={"pk": membership.pk}), {"reason": "x"})
        assert grant.status_code == 404, user.username
        revoke = client.post(reverse("registry:azr_revoke", kwargs={"pk": alice_auth.pk}))
        assert revoke.status_code == 404, user.username
    listing = world.client(world.erik).get(reverse("registry:azr_authorisations"))
    assert listing.status_code == 200 and "Gina" not in listing.content.decode()
    assert world.client(world.p.charlie).get(reverse("registry:azr_authorisations")).status_code == 403
    assert not AzrAuthorisation.objects.filter(membership=membership).exists()
    assert AzrAuthorisation.objects.get(pk=alice_auth.pk).revoked_at is None


def test_revocation_removes_access(world: World) -> None:
    alice = world.client(world.p.alice)
    export_url = reverse("registry:export", kwargs={"pk": world.case.pk})
    assert SEEDED_AZR in alice.get(export_url).content.decode()
    authorisation = AzrAuthorisation.objects.active().get(membership__user=world.p.alice)
    response = world.client(world.dora).post(reverse("registry:azr_revoke", kwargs={"pk": authorisation.pk}))
    assert response.status_code == 302
    assert SEEDED_AZR not in alice.get(export_url).content.decode()
    assert not can_read_azr(world.p.alice, world.p.org_a)
    assert AuditEvent.objects.filter(action="registry.azr_revoke", object_id=str(authorisation.pk)).exists()
    # Alice cannot revoke or re-grant herself either.
    assert AzrAuthorisation.objects.get(pk=authorisation.pk).revoked_by == world.dora


def test_inactive_membership_loses_access(world: World) -> None:
    Membership.objects.filter(user=world.p.alice).update(is_active=False)
    assert not can_read_azr(world.p.alice, world.p.org_a)
