"""Worklists on the staff start page (issue 10, items 7 and 10): waiting approvals with who can approve,
incoming transmissions, Integrationsplan reviews due — references only, never names."""

from __future__ import annotations

from django.urls import reverse

from teilhabe.registry import services
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.tests.conftest import SEEDED_NAME, SEEDED_ORIGINAL, World


def test_start_page_worklists(world: World) -> None:
    pending = services.transmission_request(
        acting_user=world.p.alice,
        case=world.case,
        recipient=world.p.org_b,
        groups=["identitaet", "beschaeftigung"],
        legal_basis=LegalBasis.SGB_X_71_2,
        purpose="Prüfung",
    )
    sent = services.transmission_request(
        acting_user=world.p.alice,
        case=world.case,
        recipient=world.p.org_b,
        groups=["identitaet"],
        legal_basis=LegalBasis.AUFENTHG_87,
        purpose="Unterrichtung",
    )
    # Dora (Fallaufsicht in A) sees the approval waiting for her and the overdue plan review.
    dora = world.client(world.dora).get(reverse("staff:home"))
    lists = dora.context["worklists"]
    assert lists["approvals"] == [pending]
    assert [g.description for g in lists["reviews"]] == ["B1 erreichen"]  # review date 01.06.2024: overdue
    body = dora.content.decode()
    assert world.case.display_reference in body and "überfällig" in body
    assert SEEDED_NAME not in body and SEEDED_ORIGINAL not in body  # the start page is no case view
    # Alice sees her own request waiting, and who can approve it.
    alice = world.client(world.p.alice).get(reverse("staff:home"))
    waiting = alice.context["worklists"]["my_waiting"]
    assert waiting[0]["t"] == pending and waiting[0]["approvers"] == [world.dora]
    assert "dora" in alice.content.decode()
    assert alice.context["worklists"]["approvals"] == []  # no approve permission, never her own
    # Charlie (recipient B) sees the incoming transmission.
    charlie = world.client(world.p.charlie).get(reverse("staff:home"))
    assert charlie.context["worklists"]["incoming"] == [sent]
    assert world.p.org_a.name in charlie.content.decode()
    # The outgoing page says who can approve.
    page = world.client(world.p.alice).get(reverse("registry:outgoing", kwargs={"pk": pending.pk}))
    assert [u.username for u in page.context["approvers"]] == ["dora"]
