"""Transmissions (DP-07, DP-08), consent (Art. 7) and Art. 19 notices (DP-13)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from teilhabe.audit.models import AuditEvent
from teilhabe.registry import services
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import CorrectionNotice, Transmission, TransmissionStatus
from teilhabe.registry.tests.conftest import SEEDED_EMPLOYER_SECTOR, SEEDED_HEALTH, SEEDED_NAME, World


def _send(world: World, groups: list[str], recipient=None, user=None, basis=LegalBasis.SGB_X_69_1_1):
    return services.transmission_request(
        acting_user=user or world.p.alice,
        case=world.case,
        recipient=recipient or world.org_c,
        groups=groups,
        legal_basis=basis,
        purpose="Abstimmung im Einzelfall",
    )


def test_no_legal_basis_is_rejected_with_422(world: World) -> None:
    client = world.client(world.p.alice)
    response = client.post(
        reverse("registry:transmit", kwargs={"pk": world.case.pk}),
        {"recipient": world.org_c.pk, "groups": ["identitaet"], "legal_basis": "", "purpose": "x"},
    )
    assert response.status_code == 422
    assert "registry.transmission_no_basis" in response.content.decode()
    assert not Transmission.objects.exists()
    with pytest.raises(ValidationError):
        _send(world, ["identitaet"], basis=LegalBasis.ART6_1_E)  # a recording basis is no transmission basis


def test_recipient_sees_exactly_the_transmitted_groups(world: World) -> None:
    client = world.client(world.p.alice)
    response = client.post(
        reverse("registry:transmit", kwargs={"pk": world.case.pk}),
        {
            "recipient": world.p.org_b.pk,
            "groups": ["identitaet", "sprachkurs"],
            "legal_basis": LegalBasis.SGB_X_71_2,
            "purpose": "Prüfung Integrationskursverpflichtung",
        },
    )
    assert response.status_code == 302
    transmission = Transmission.objects.get()
    assert transmission.status == TransmissionStatus.SENT and transmission.snapshot_at is not None
    event = AuditEvent.objects.get(action="transmission.send")
    assert event.extra["field_groups"] == ["identitaet", "sprachkurs"]
    assert event.extra["recipient_id"] == world.p.org_b.pk and event.extra["legal_basis"] == "sgb_x_71_2"

    charlie = world.client(world.p.charlie)
    page = charlie.get(reverse("registry:incoming", kwargs={"pk": transmission.pk}))
    assert page.status_code == 200
    body = page.content.decode()
    assert SEEDED_NAME in body and "VHS Kursträgerstadt" in body
    assert SEEDED_EMPLOYER_SECTOR not in body and SEEDED_HEALTH not in body
    assert {g["name"] for g in page.context["groups"]} == {"identitaet", "sprachkurs"}
    assert "aufenthaltserlaubnis" not in body
    assert AuditEvent.objects.filter(action="transmission.read", username="charlie").exists()
    # A dated copy: later corrections at the sender do not change what the recipient sees.
    services.fieldgroup_save(
        acting_user=world.p.alice,
        case=world.case,
        group="sprachkurs",
        data={"provider": "Neuer Träger"},
        legal_basis=LegalBasis.ART6_1_E,
    )
    assert (
        "Neuer Träger" not in charlie.get(reverse("registry:incoming", kwargs={"pk": transmission.pk})).content.decode()
    )
    # The recipient never gets the sender's case itself.
    assert charlie.get(reverse("registry:detail", kwargs={"pk": world.case.pk})).status_code == 404


def test_sender_cannot_transmit_groups_it_cannot_read(world: World) -> None:
    with pytest.raises(PermissionDenied):
        _send(world, ["gesundheit"])


def test_social_data_to_abh_needs_four_eyes(world: World) -> None:
    transmission = _send(world, ["identitaet", "beschaeftigung"], recipient=world.p.org_b, basis=LegalBasis.SGB_X_71_2)
    assert transmission.requires_four_eyes and transmission.status == TransmissionStatus.PENDING
    assert transmission.snapshot == {}
    charlie = world.client(world.p.charlie)
    assert charlie.get(reverse("registry:incoming", kwargs={"pk": transmission.pk})).status_code == 404
    # Alice (no approve permission) and Dora as requester may not approve.
    alice = world.client(world.p.alice)
    assert alice.post(reverse("registry:approve", kwargs={"pk": transmission.pk})).status_code == 404
    own = _send(
        world,
        ["identitaet", "beschaeftigung"],
        recipient=world.p.org_b,
        user=world.dora,
        basis=LegalBasis.SGB_X_71_2,
    )
    dora = world.client(world.dora)
    assert dora.post(reverse("registry:approve", kwargs={"pk": own.pk})).status_code == 403
    own.refresh_from_db()
    assert own.status == TransmissionStatus.PENDING
    assert AuditEvent.objects.filter(action="transmission.approve_denied", object_id=str(own.pk)).exists()
    # Dora approves Alice's request.
    assert dora.post(reverse("registry:approve", kwargs={"pk": transmission.pk})).status_code == 302
    transmission.refresh_from_db()
    assert transmission.status == TransmissionStatus.SENT and transmission.approved_by == world.dora
    assert AuditEvent.objects.filter(action="transmission.approve", username="dora").exists()
    body = charlie.get(reverse("registry:incoming", kwargs={"pk": transmission.pk})).content.decode()
    assert SEEDED_EMPLOYER_SECTOR in body  # approved and transmitted: now part of B's copy
    erik = world.client(world.erik)
    assert erik.get(reverse("registry:incoming", kwargs={"pk": transmission.pk})).status_code == 200


def test_jugendamt_data_always_needs_four_eyes(world: World) -> None:
    from teilhabe.accounts.models import Organisation, OrganisationKind

    jugendamt = Organisation(kind=OrganisationKind.JUGENDAMT)
    sgb69, sgb71 = LegalBasis.SGB_X_69_1_1, LegalBasis.SGB_X_71_2
    assert services.needs_four_eyes(jugendamt, world.org_c, ["identitaet"], sgb69)
    assert not services.needs_four_eyes(world.p.org_a, world.org_c, ["identitaet", "beschaeftigung"], sgb69)
    assert services.needs_four_eyes(world.p.org_a, world.p.org_b, ["beschaeftigung"], sgb71)
    assert services.needs_four_eyes(world.p.org_a, world.org_c, ["gesundheit"], sgb69)


def test_reject(world: World) -> None:
    transmission = _send(world, ["beschaeftigung"], recipient=world.p.org_b, basis=LegalBasis.SGB_X_71_2)
    response = world.client(world.dora).post(
        reverse("registry:reject", kwargs={"pk": transmission.pk}), {"reason": "nicht erforderlich"}
    )
    assert response.status_code == 302
    transmission.refresh_from_db()
    assert transmission.status == TransmissionStatus.REJECTED
    assert AuditEvent.objects.filter(action="transmission.reject", object_id=str(transmission.pk)).exists()


def test_revocation_via_ui_removes_access(world: World) -> None:
    transmission = _send(world, ["identitaet"], recipient=world.p.org_b, basis=LegalBasis.AUFENTHG_87)
    charlie = world.client(world.p.charlie)
    assert charlie.get(reverse("registry:transmissions")).context["incoming"][0] == transmission
    response = world.client(world.p.alice).post(
        reverse("registry:revoke", kwargs={"pk": transmission.pk}), {"reason": "Zweck erfüllt"}
    )
    assert response.status_code == 302
    assert list(charlie.get(reverse("registry:transmissions")).context["incoming"]) == []
    assert charlie.get(reverse("registry:incoming", kwargs={"pk": transmission.pk})).status_code == 404


def test_consent_based_transmission_and_withdrawal(world: World) -> None:
    alice = world.client(world.p.alice)
    response = alice.post(
        reverse("registry:consent_add", kwargs={"pk": world.case.pk}),
        {
            "purpose": "Kursstand an Migrationsberatung",
            "data_items": ["identitaet", "sprachkurs"],
            "recipients": [world.org_c.pk],
            "language": "ar",
            "text_version": "KiIM-Einwilligung 2026-01",
        },
    )
    assert response.status_code == 302
    consent = world.case.consents.get()
    assert consent.language == "ar" and consent.given_at is not None and consent.is_active
    assert AuditEvent.objects.filter(action="consent.give", object_id=str(world.case.pk)).exists()
    with pytest.raises(ValidationError):  # consent basis without a consent record
        _send(world, ["identitaet"], basis=LegalBasis.CONSENT)
    with pytest.raises(ValidationError):  # consent does not cover employment data
        services.transmission_request(
            acting_user=world.p.alice,
            case=world.case,
            recipient=world.org_c,
            groups=["beschaeftigung"],
            legal_basis=LegalBasis.CONSENT,
            purpose="x",
            consent=consent,
        )
    with pytest.raises(ValidationError):  # consent does not cover organisation B
        services.transmission_request(
            acting_user=world.p.alice,
            case=world.case,
            recipient=world.p.org_b,
            groups=["identitaet"],
            legal_basis=LegalBasis.CONSENT,
            purpose="x",
            consent=consent,
        )
    transmission = services.transmission_request(
        acting_user=world.p.alice,
        case=world.case,
        recipient=world.org_c,
        groups=["identitaet", "sprachkurs"],
        legal_basis=LegalBasis.CONSENT,
        purpose="Kursstand",
        consent=consent,
    )
    assert transmission.status == TransmissionStatus.SENT
    # Withdrawal is one click, like giving it, and revokes the dependent transmission.
    response = alice.post(reverse("registry:consent_withdraw", kwargs={"pk": consent.pk}))
    assert response.status_code == 302
    consent.refresh_from_db()
    transmission.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert transmission.status == TransmissionStatus.REVOKED and transmission.snapshot == {}
    event = AuditEvent.objects.get(action="consent.withdraw")
    assert event.extra["revoked_transmissions"] == 1


def test_correction_creates_art19_tasks_for_earlier_recipients(world: World) -> None:
    first = _send(world, ["identitaet", "sprachkurs"])
    _send(world, ["identitaet"], recipient=world.p.org_b, basis=LegalBasis.AUFENTHG_87)
    services.transmission_revoke(
        acting_user=world.p.alice, transmission=first, reason="x"
    )  # still an earlier recipient
    services.fieldgroup_save(
        acting_user=world.p.alice,
        case=world.case,
        group="sprachkurs",
        data={"course_type": "integrationskurs", "provider": "VHS Kursträgerstadt", "level": "B1"},
        legal_basis=LegalBasis.ART6_1_E,
    )
    assert list(CorrectionNotice.objects.values_list("transmission_id", "group")) == [(first.pk, "sprachkurs")]
    services.case_update(acting_user=world.p.alice, case=world.case, data={"given_names_latin": "Quambrina Maria"})
    assert CorrectionNotice.objects.filter(group="identitaet").count() == 2
    page = world.client(world.p.alice).get(reverse("registry:transmissions"))
    notices = list(page.context["notices"])
    assert len(notices) == 3
    response = world.client(world.p.alice).post(reverse("registry:notice_done", kwargs={"pk": notices[0].pk}))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="transmission.art19_done").exists()


def test_outgoing_page_shows_metadata_only(world: World) -> None:
    transmission = _send(world, ["identitaet"])
    body = world.client(world.p.alice).get(reverse("registry:outgoing", kwargs={"pk": transmission.pk})).content
    assert SEEDED_NAME not in body.decode()
    assert AuditEvent.objects.filter(action="transmission.view").exists()


def test_export_is_json(world: World) -> None:
    response = world.client(world.p.alice).get(reverse("registry:export", kwargs={"pk": world.case.pk}))
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["case_id"] == world.case.pk
