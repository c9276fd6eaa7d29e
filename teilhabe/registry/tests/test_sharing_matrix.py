"""Sharing matrix (issue 10, item 1): generated from privacy/registry.yaml, every combination the matrix does
not allow is refused at the service layer; every allowed one goes through with the declared four-eyes flag."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from teilhabe.accounts.models import Organisation, OrganisationKind
from teilhabe.accounts.roles import Role
from teilhabe.core.testing import make_user
from teilhabe.privacy import sharing
from teilhabe.registry import services
from teilhabe.registry.access import readable_groups
from teilhabe.registry.fieldgroups import _CASE_AGENCIES, FIELD_GROUPS
from teilhabe.registry.legal import TRANSMISSION_BASES, LegalBasis
from teilhabe.registry.models import Transmission, TransmissionStatus
from teilhabe.registry.tests.conftest import World

ALL_KINDS = list(OrganisationKind.values)
SENDER_KINDS = sorted(str(k) for k in _CASE_AGENCIES)


def _sender_setup(kind: str):
    sender = Organisation.objects.create(name=f"Absender {kind}", kind=kind)
    user = make_user(f"fa-{kind}", sender, Role.FALLAUFSICHT)
    case = services.case_create(
        acting_user=user,
        owner=sender,
        data={"family_name": "Matrixfall", "family_name_latin": "Matrixfall", "legal_basis": LegalBasis.ART6_1_E},
    )
    recipients = {k: Organisation.objects.create(name=f"Empfänger {k}", kind=k) for k in ALL_KINDS}
    consents = {
        k: services.consent_give(
            acting_user=user,
            case=case,
            purpose="Matrixprüfung",
            data_items=list(FIELD_GROUPS),
            recipients=[org],
            language="de",
            text_version="test",
        )
        for k, org in recipients.items()
    }
    return sender, user, case, recipients, consents


@pytest.mark.parametrize("sender_kind", SENDER_KINDS)
def test_every_combination_follows_the_matrix(db, settings, sender_kind: str) -> None:
    settings.REGISTRY_ART9_GROUPS = ["gesundheit"]
    sender, user, case, recipients, consents = _sender_setup(sender_kind)
    readable = set(readable_groups(user, sender))
    checked = refused = 0
    for recipient_kind, recipient in recipients.items():
        for basis in TRANSMISSION_BASES:
            for group in FIELD_GROUPS:
                decision = sharing.decide(sender_kind, recipient_kind, group, str(basis))
                consent = consents[recipient_kind] if basis == LegalBasis.CONSENT else None
                before = Transmission.objects.count()
                if decision is None or group not in readable:
                    with pytest.raises((ValidationError, PermissionDenied)):
                        services.transmission_request(
                            acting_user=user,
                            case=case,
                            recipient=recipient,
                            groups=[group],
                            legal_basis=str(basis),
                            purpose="Prüfung",
                            consent=consent,
                        )
                    assert Transmission.objects.count() == before, (sender_kind, recipient_kind, group, basis)
                    refused += 1
                else:
                    t = services.transmission_request(
                        acting_user=user,
                        case=case,
                        recipient=recipient,
                        groups=[group],
                        legal_basis=str(basis),
                        purpose="Prüfung",
                        consent=consent,
                    )
                    assert t.requires_four_eyes == decision.four_eyes
                    assert t.approved_by_id is None  # no approver recorded; never the requester
                    expected = TransmissionStatus.PENDING if decision.four_eyes else TransmissionStatus.SENT
                    assert t.status == expected
                checked += 1
    assert checked == len(recipients) * len(TRANSMISSION_BASES) * len(FIELD_GROUPS)
    assert refused > 0


def test_matrix_is_consistent() -> None:
    from teilhabe.privacy.processing import load_registry

    assert sharing.check_matrix(load_registry()) == []
    # Art. 9 and Jugendamt always need four eyes, wherever the matrix allows them.
    for sender in SENDER_KINDS:
        for recipient in ALL_KINDS:
            for basis in TRANSMISSION_BASES:
                d = sharing.decide(sender, recipient, "gesundheit", str(basis))
                assert d is None or d.four_eyes
                d = sharing.decide("jugendamt", recipient, "identitaet", str(basis))
                assert d is None or d.four_eyes


def test_residence_status_to_a_sports_club_under_90_aufenthg_is_refused(db, settings) -> None:
    """Issue 10, example 1a: abh.sachbearbeitung sent `aufenthalt` to a Verein under § 90 AufenthG."""
    settings.REGISTRY_ART9_GROUPS = []
    abh = Organisation.objects.create(name="Ausländerbehörde", kind=OrganisationKind.AUSLAENDERBEHOERDE)
    club = Organisation.objects.create(name="Sportverein Eintracht Casekow e. V.", kind=OrganisationKind.VEREIN)
    clerk = make_user("abh.sachbearbeitung", abh, Role.FALLBEARBEITUNG)
    case = services.case_create(
        acting_user=clerk,
        owner=abh,
        data={"family_name": "X", "family_name_latin": "X", "legal_basis": LegalBasis.AUFENTHG_86},
    )
    with pytest.raises(ValidationError) as refused:
        services.transmission_request(
            acting_user=clerk,
            case=case,
            recipient=club,
            groups=["aufenthalt"],
            legal_basis=LegalBasis.AUFENTHG_90,
            purpose="Vereinsmitgliedschaft",
        )
    assert "registry.sharing_refused" in str(refused.value)
    assert not Transmission.objects.exists()
    # The form does not even offer the club or § 90 for the club.
    client = World.client(None, clerk)  # type: ignore[arg-type]
    page = client.get(reverse("registry:transmit", kwargs={"pk": case.pk}))
    assert page.status_code == 200
    assert club not in page.context["form"].fields["recipient"].queryset


def test_health_group_from_jobcenter_to_abh_is_refused(world: World) -> None:
    """Issue 10, example 1b: Art. 9 group Jobcenter -> Ausländerbehörde (not a holder of it), any basis."""
    for basis in TRANSMISSION_BASES:
        assert sharing.decide("jobcenter", "abh", "gesundheit", str(basis)) is None
    with pytest.raises(ValidationError) as refused:
        services.transmission_request(
            acting_user=world.dora,
            case=world.case,
            recipient=world.p.org_b,
            groups=["identitaet", "gesundheit"],
            legal_basis=LegalBasis.SGB_X_71_2,
            purpose="Prüfung",
        )
    assert "Gesundheit" in str(refused.value)
    assert not Transmission.objects.exists()


def test_jobcenter_is_not_offered_the_abh_recording_basis(world: World) -> None:
    """Issue 10, example 1c: the Jobcenter was offered § 86 AufenthG; neither form nor service allow it."""
    client = world.client(world.p.alice)
    page = client.get(reverse("registry:fieldgroup", kwargs={"pk": world.case.pk, "group": "sprachkurs"}))
    values = [v for v, _label in page.context["form"].fields["legal_basis"].choices]
    assert LegalBasis.AUFENTHG_86 not in values and LegalBasis.ART6_1_E in values
    with pytest.raises(ValidationError):
        services.fieldgroup_save(
            acting_user=world.p.alice,
            case=world.case,
            group="sprachkurs",
            data={"provider": "x"},
            legal_basis=LegalBasis.AUFENTHG_86,
        )


def test_form_offers_only_routes_of_the_matrix(world: World) -> None:
    club = Organisation.objects.create(name="Verein", kind=OrganisationKind.VEREIN)
    page = world.client(world.p.alice).get(reverse("registry:transmit", kwargs={"pk": world.case.pk}))
    form = page.context["form"]
    kinds = {o.kind for o in form.fields["recipient"].queryset}
    assert club not in form.fields["recipient"].queryset
    assert kinds <= {k for k, _b, _g in sharing.routes("jobcenter", list(FIELD_GROUPS))}
    bases = {v for v, _l in form.fields["legal_basis"].choices if v}
    assert LegalBasis.AUFENTHG_90 not in bases  # the Ausländerbehörde's basis
    # A posted combination outside the matrix is answered 422 and nothing is sent.
    response = world.client(world.p.alice).post(
        reverse("registry:transmit", kwargs={"pk": world.case.pk}),
        {"recipient": world.p.org_b.pk, "groups": ["wohnen"], "legal_basis": LegalBasis.SGB_X_71_2, "purpose": "x"},
    )
    assert response.status_code == 422 and not Transmission.objects.exists()


def test_requester_never_appears_as_approver(world: World) -> None:
    sent = services.transmission_request(
        acting_user=world.p.alice,
        case=world.case,
        recipient=world.org_c,
        groups=["identitaet"],
        legal_basis=LegalBasis.SGB_X_69_1_1,
        purpose="Abstimmung",
    )
    assert sent.status == TransmissionStatus.SENT and sent.approved_by is None
    page = world.client(world.p.alice).get(reverse("registry:outgoing", kwargs={"pk": sent.pk}))
    assert "alice" not in page.content.decode().split("freigegeben")[-1][:200].lower()
    # The database refuses a row naming the requester as approver.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Transmission.objects.filter(pk=sent.pk).update(approved_by=world.p.alice)


def test_recipient_read_rechecks_the_matrix(world: World, monkeypatch) -> None:
    sent = services.transmission_request(
        acting_user=world.p.alice,
        case=world.case,
        recipient=world.p.org_b,
        groups=["identitaet", "sprachkurs"],
        legal_basis=LegalBasis.AUFENTHG_87,
        purpose="Unterrichtung",
    )
    charlie = world.client(world.p.charlie)
    url = reverse("registry:incoming", kwargs={"pk": sent.pk})
    assert {g["name"] for g in charlie.get(url).context["groups"]} == {"identitaet", "sprachkurs"}
    # The matrix changes: sprachkurs no longer goes to the Ausländerbehörde under § 87.
    original = sharing.decide

    def narrower(sender: str, recipient: str, group: str, basis: str):
        return None if group == "sprachkurs" else original(sender, recipient, group, basis)

    monkeypatch.setattr(sharing, "decide", narrower)
    assert {g["name"] for g in charlie.get(url).context["groups"]} == {"identitaet"}


def test_art30_record_shows_the_matrix(world: World) -> None:
    page = world.client(world.p.dpo).get(reverse("privacy:art30"))
    body = page.content.decode()
    assert "Übermittlungsmatrix" in body and "sgb-x-71-an-abh" in body
