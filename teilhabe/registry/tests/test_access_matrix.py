"""Route × persona matrix (DP-06, DP-25): every KiIM route with objects of organisation A."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, reverse

from teilhabe.accounts.models import Membership
from teilhabe.audit.models import AuditEvent
from teilhabe.registry import services, urls
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import AzrAuthorisation, Consent, CorrectionNotice, Transmission
from teilhabe.registry.tests.conftest import SEEDED_NAME, World, seed_case

POST_ONLY = {"consent_withdraw", "approve", "reject", "revoke", "notice_done", "azr_grant", "azr_revoke"}
LIST_ROUTES = {
    "list",
    "create",
    "transmissions",
    "cohorts",
    "api_tokens",
    "access_requests",
    "azr_authorisations",
    "recipient_notices",
}
# Bob (ORG_ADMIN, members.manage) legitimately grants AZR authorisations in A (DP-28).
AZR_ROUTES = {"azr_authorisations", "azr_grant", "azr_revoke"}


def _objects(world: World) -> dict[str, dict[str, int | str]]:
    """kwargs for every route name, all pointing at organisation A's objects."""
    case = world.case
    alice = world.p.alice
    consent = services.consent_give(
        acting_user=alice,
        case=case,
        purpose="Kursabstimmung",
        data_items=["sprachkurs"],
        recipients=[world.org_c],
        language="de",
        text_version="v1",
    )
    # A transmission A -> C (not B): Charlie must not reach it on any route.
    sent = services.transmission_request(
        acting_user=alice,
        case=case,
        recipient=world.org_c,
        groups=["identitaet", "sprachkurs"],
        legal_basis=LegalBasis.SGB_X_69_1_1,
        purpose="Kursplanung",
    )
    pending = services.transmission_request(
        acting_user=world.dora,
        case=case,
        recipient=world.org_c,
        groups=["beschaeftigung", "gesundheit"],
        legal_basis=LegalBasis.SGB_X_69_1_1,
        purpose="Hilfeplanung",
    )
    notice = CorrectionNotice.objects.create(transmission=sent, group="sprachkurs")
    goal = case.goals.first()
    event = case.events.first()
    assert goal is not None and event is not None
    alice_membership = Membership.objects.get(user=alice, organisation=case.owner)
    authorisation = AzrAuthorisation.objects.active().get(membership=alice_membership)
    return {
        "list": {},
        "create": {},
        "transmissions": {},
        "cohorts": {},
        "api_tokens": {},
        "access_requests": {},
        "detail": {"pk": case.pk},
        "edit": {"pk": case.pk},
        "fieldgroup": {"pk": case.pk, "group": "sprachkurs"},
        "event_add": {"pk": case.pk},
        "goal_add": {"pk": case.pk},
        "goal_edit": {"pk": case.pk, "goal_pk": goal.pk},
        "export": {"pk": case.pk},
        "print": {"pk": case.pk},
        "transmit": {"pk": case.pk},
        "consent_add": {"pk": case.pk},
        "history": {"pk": case.pk},
        "rights": {"pk": case.pk},
        "access_report": {"pk": case.pk},
        "access_report_json": {"pk": case.pk},
        "access_report_pdf": {"pk": case.pk},
        "consent_withdraw": {"pk": consent.pk},
        "outgoing": {"pk": sent.pk},
        "incoming": {"pk": sent.pk},
        "approve": {"pk": pending.pk},
        "reject": {"pk": pending.pk},
        "revoke": {"pk": sent.pk},
        "notice_done": {"pk": notice.pk},
        "azr_authorisations": {},
        "azr_grant": {"pk": Membership.objects.get(user=world.dora).pk},
        "azr_revoke": {"pk": authorisation.pk},
        "erase": {"pk": case.pk},
        "event_correct": {"pk": case.pk, "event_pk": event.pk},
        "event_withdraw": {"pk": case.pk, "event_pk": event.pk},
        "recipient_notices": {},
    }


def test_every_route_is_in_the_matrix(world: World) -> None:
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(_objects(world))


@pytest.mark.django_db
def test_foreign_caseworker_gets_404_everywhere(world: World) -> None:
    objects = _objects(world)
    for user in (world.p.charlie, world.erik):
        client = world.client(user)
        for name, kwargs in objects.items():
            if name in LIST_ROUTES:
                continue
            url = reverse(f"registry:{name}", kwargs=kwargs)
            response = client.post(url, {"reason": "x"}) if name in POST_ONLY else client.get(url)
            assert response.status_code == 404, (user.username, name, response.status_code)
            if name not in POST_ONLY:
                assert client.post(url, {}).status_code in (404, 405), (user.username, name)
    # Nothing changed: consent active, transmissions untouched, no Art. 19 task closed.
    assert Consent.objects.get(pk=objects["consent_withdraw"]["pk"]).withdrawn_at is None
    assert Transmission.objects.get(pk=objects["revoke"]["pk"]).status == "sent"
    assert Transmission.objects.get(pk=objects["approve"]["pk"]).status == "pending"
    assert CorrectionNotice.objects.get(pk=objects["notice_done"]["pk"]).done_at is None
    assert AzrAuthorisation.objects.get(pk=objects["azr_revoke"]["pk"]).revoked_at is None


def test_anonymous_redirected_to_login(world: World) -> None:
    client = world.client(None)
    for name, kwargs in _objects(world).items():
        response = client.get(reverse(f"registry:{name}", kwargs=kwargs))
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            assert "/konto/anmelden/" in response["Location"], name


def test_roles_without_case_permission_are_refused(world: World) -> None:
    """Bob administers org A but has no case.read (§ 35 SGB I); the district DPO neither."""
    objects = _objects(world)
    for user in (world.p.bob, world.p.dpo, world.p.kreisadmin):
        client = world.client(user)
        for name, kwargs in objects.items():
            if name == "history" or (user == world.p.bob and name in AZR_ROUTES):
                continue
            if user == world.p.kreisadmin and name == "azr_authorisations":
                # members.manage in the Landkreis office: the page lists that office's members only.
                page = world.client(user).get(reverse("registry:azr_authorisations"))
                assert "Alice" not in page.content.decode()
                continue
            url = reverse(f"registry:{name}", kwargs=kwargs)
            response = client.post(url) if name in POST_ONLY else client.get(url)
            assert response.status_code in (403, 404), (user.username, name, response.status_code)


def test_lists_never_include_foreign_rows(world: World) -> None:
    seed_case(world.p.org_b, world.p.charlie, name=SEEDED_NAME + "b")
    response = world.client(world.p.charlie).get(reverse("registry:list"), {"q": "zyxwortel"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r["case"].owner_id for r in rows] == [world.p.org_b.pk]
    outgoing = world.client(world.p.charlie).get(reverse("registry:transmissions"))
    _objects(world)
    outgoing = world.client(world.p.charlie).get(reverse("registry:transmissions"))
    assert list(outgoing.context["outgoing"]) == [] and list(outgoing.context["incoming"]) == []


def test_revoked_transmission_gives_404_to_recipient(world: World) -> None:
    transmission = services.transmission_request(
        acting_user=world.p.alice,
        case=world.case,
        recipient=world.p.org_b,
        groups=["identitaet"],
        legal_basis=LegalBasis.SGB_X_71_2,
        purpose="Prüfung aufenthaltsrechtlicher Maßnahmen",
    )
    charlie = world.client(world.p.charlie)
    url = reverse("registry:incoming", kwargs={"pk": transmission.pk})
    assert charlie.get(url).status_code == 200
    services.transmission_revoke(acting_user=world.p.alice, transmission=transmission, reason="Zweck entfallen")
    assert charlie.get(url).status_code == 404
    assert charlie.get(reverse("registry:detail", kwargs={"pk": world.case.pk})).status_code == 404
    assert AuditEvent.objects.filter(action="transmission.revoke", object_id=str(transmission.pk)).exists()
    transmission.refresh_from_db()
    assert transmission.snapshot == {}


def test_dpo_sees_access_history_without_content(world: World) -> None:
    world.client(world.p.alice).get(reverse("registry:detail", kwargs={"pk": world.case.pk}))
    response = world.client(world.p.dpo).get(reverse("registry:history", kwargs={"pk": world.case.pk}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Akte: gelesen" in body and "case.read" not in body and "alice" in body  # German labels, no codes
    assert SEEDED_NAME not in body
    assert AuditEvent.objects.filter(action="case.history", object_id=str(world.case.pk), username="dsb").exists()
    # Caseworkers of the owning organisation have no audit.view.
    assert world.client(world.p.alice).get(reverse("registry:history", kwargs={"pk": world.case.pk})).status_code == 404
