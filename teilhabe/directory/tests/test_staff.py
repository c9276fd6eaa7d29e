from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from teilhabe.accounts.models import Organisation, OrganisationKind
from teilhabe.accounts.roles import Role
from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import login_verified, make_user
from teilhabe.directory import services
from teilhabe.directory.models import (
    DialogueEntry,
    Offer,
    Status,
    Submission,
    SubmissionKind,
    SubmissionStatus,
    TranslationStatus,
)
from teilhabe.directory.tests.helpers import grant_directory_roles, make_event, make_location, make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    grant_directory_roles(personas)
    location = make_location(personas.org_a)
    offer = make_offer(personas.org_a, title="Angebot von A", location=location)
    event = make_event(personas.org_a, offer=offer)
    submission = services.submission_create(kind=SubmissionKind.CHANGE, offer=offer, data={"title": "Neu A"})
    dialogue = services.dialogue_save(
        acting_user=personas.alice,
        owner=personas.org_a,
        organisation=personas.org_b,
        data={"date": timezone.localdate(), "topics": "Vertrauliches Thema von A"},
    )
    return {
        "offer": offer,
        "event": event,
        "location": location,
        "submission": submission,
        "dialogue": dialogue,
    }


def object_routes(world, personas) -> list[tuple[str, str]]:
    offer = world["offer"].pk
    return [
        ("get", reverse("directory_staff:offer", args=[offer])),
        ("post", reverse("directory_staff:offer", args=[offer])),
        ("post", reverse("directory_staff:offer_confirm", args=[offer])),
        ("get", reverse("directory_staff:event_create", args=[offer])),
        ("get", reverse("directory_staff:event", args=[world["event"].pk])),
        ("post", reverse("directory_staff:event", args=[world["event"].pk])),
        ("get", reverse("directory_staff:location", args=[world["location"].pk])),
        ("get", reverse("directory_staff:submission", args=[world["submission"].pk])),
        ("post", reverse("directory_staff:submission", args=[world["submission"].pk])),
        ("get", reverse("directory_staff:profile", args=[personas.org_a.pk])),
        ("get", reverse("directory_staff:translation", args=[offer, "en"])),
        ("post", reverse("directory_staff:translation", args=[offer, "en"])),
        ("post", reverse("directory_staff:translation_machine", args=[offer, "en"])),
        ("get", reverse("directory_staff:dialogue_entry", args=[world["dialogue"].pk])),
        ("post", reverse("directory_staff:dialogue_entry", args=[world["dialogue"].pk])),
    ]


LIST_ROUTES = [
    "home",
    "submissions",
    "stale",
    "locations",
    "profiles",
    "translations",
    "dialogue",
    "outreach",
    "outreach_csv",
    "xliff_import",
    "offer_create",
    "location_create",
]


def test_charlie_gets_404_on_every_object_route_of_a(world, personas) -> None:
    client = login_verified(Client(), personas.charlie)
    for method, url in object_routes(world, personas):
        response = getattr(client, method)(url, {"decision": "reject", "message": "x", "title": "Übernahme"})
        assert response.status_code == 404, (method, url, response.status_code)
    assert Offer.objects.get(pk=world["offer"].pk).title == "Angebot von A"
    assert Submission.objects.get(pk=world["submission"].pk).status == SubmissionStatus.PENDING


def test_alice_reaches_her_objects(world, personas) -> None:
    client = login_verified(Client(), personas.alice)
    for method, url in object_routes(world, personas):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_charlie_lists_do_not_show_a(world, personas) -> None:
    client = login_verified(Client(), personas.charlie)
    for name in ["home", "submissions", "translations", "locations", "profiles"]:
        body = client.get(reverse(f"directory_staff:{name}")).content.decode()
        assert "Angebot von A" not in body and "Bürgerhaus" not in body and "Jobcenter A" not in body, name
    body = client.get(reverse("directory_staff:dialogue_organisation", args=[personas.org_b.pk])).content.decode()
    assert "Vertrauliches Thema von A" not in body
    xliff = client.get(reverse("directory_staff:xliff_export"), {"sprache": "en"}).content.decode()
    assert "Angebot von A" not in xliff


def test_anonymous_is_sent_to_login_everywhere(world, personas) -> None:
    client = Client()
    urls = [url for _m, url in object_routes(world, personas)]
    urls += [reverse(f"directory_staff:{name}") for name in LIST_ROUTES]
    urls += [
        reverse("directory_staff:dialogue_organisation", args=[personas.org_b.pk]),
        reverse("directory_staff:xliff_export") + "?sprache=en",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/konto/anmelden/" in response["Location"], url


def test_caseworker_without_directory_role_is_forbidden(world, personas) -> None:
    client = login_verified(Client(), personas.bob)
    assert client.get(reverse("directory_staff:home")).status_code == 403


def test_offer_edit_is_audited_and_outdates_translations(world, personas) -> None:
    offer = world["offer"]
    services.translation_save(acting_user=personas.alice, obj=offer, language="en", data={"title": "Offer of A"})
    client = login_verified(Client(), personas.alice)
    response = client.post(
        reverse("directory_staff:offer", args=[offer.pk]),
        {
            "owner": personas.org_a.pk,
            "offer_type": "counselling",
            "title": "Angebot von A (geändert)",
            "status": Status.PUBLISHED,
            "languages": ["de"],
            "target_groups": ["adults"],
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        action="update", object_type="directory.offer", object_id=str(offer.pk), user=personas.alice
    ).exists()
    assert offer.translations.get(language="en").status == TranslationStatus.OUTDATED


def test_dialogue_and_outreach_export_are_audited(world, personas) -> None:
    services.profile_save(
        acting_user=None,
        organisation=personas.org_b,
        data={"is_mso": True, "languages": ["ar"], "contact_name": "=HYPERLINK(1)"},
    )
    client = login_verified(Client(), personas.alice)
    response = client.post(
        reverse("directory_staff:dialogue_organisation", args=[personas.org_b.pk]),
        {"date": "2026-11-20", "kind": "meeting", "topics": "Sommerfest", "follow_up_on": "2026-12-01"},
    )
    assert response.status_code == 302
    assert DialogueEntry.objects.filter(owner=personas.org_a, topics="Sommerfest").exists()
    csv_response = client.get(reverse("directory_staff:outreach_csv"), {"sprache": "ar", "nur_mso": "on"})
    body = csv_response.content.decode("utf-8-sig")
    assert "Ausländerbehörde B" in body
    assert "'=HYPERLINK(1)" in body
    assert AuditEvent.objects.filter(
        action="export", object_type="directory.outreach_csv", user=personas.alice
    ).exists()


class FakeTranslator:
    name = "Test"

    def translate(self, texts: list[str], *, source: str, target: str) -> list[str]:
        return [f"[{target}] {t}" if t else "" for t in texts]


@override_settings(TEILHABE_MT_PROVIDER="teilhabe.directory.tests.test_staff.FakeTranslator")
def test_machine_translation_is_marked(world, personas) -> None:
    client = login_verified(Client(), personas.alice)
    offer = world["offer"]
    client.post(reverse("directory_staff:translation_machine", args=[offer.pk, "tr"]))
    translation = offer.translations.get(language="tr")
    assert translation.status == TranslationStatus.MACHINE and translation.machine_translated
    assert translation.title == "[tr] Angebot von A"


def test_no_provider_means_no_machine_translation(world, personas) -> None:
    client = login_verified(Client(), personas.alice)
    client.post(reverse("directory_staff:translation_machine", args=[world["offer"].pk, "tr"]))
    assert not world["offer"].translations.filter(language="tr").exists()


# Public proposals and moderation -----------------------------------------------------------------

PROPOSAL = {
    "title": "Nähcafé",
    "offer_type": "leisure",
    "description": "Wir nähen zusammen.",
    "contact_email": "naehcafe@example.org",
    "consent": "on",
    "submitter_email": "person@example.org",
}


@pytest.fixture
def koordination(personas):
    return make_user("koordination", personas.landkreis, Role.KOORDINATION)


def test_proposal_moderated_and_published_with_audit(personas, koordination, django_capture_on_commit_callbacks):
    client = Client()
    response = client.post(reverse("directory:propose"), PROPOSAL)
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.PENDING
    assert not Offer.objects.exists()
    created = AuditEvent.objects.get(action="directory.submission.create")
    assert "person@example.org" not in str(created.extra) + created.object_repr
    staff = login_verified(Client(), koordination)
    assert "Nähcafé" in staff.get(reverse("directory_staff:submissions")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("directory_staff:submission", args=[submission.pk]),
            {**PROPOSAL, "owner": personas.landkreis.pk, "decision": "approve", "message": "Danke!"},
        )
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.status == Status.PUBLISHED and offer.contact_email == "naehcafe@example.org"
    assert AuditEvent.objects.filter(action="directory.submission.approve", user=koordination).exists()
    assert mail.outbox and mail.outbox[0].to == ["person@example.org"]
    assert "Nähcafé" in Client().get(reverse("directory:offer", args=[offer.pk])).content.decode()


def test_rejection_needs_message_and_is_audited(personas, koordination) -> None:
    submission = services.submission_create(kind=SubmissionKind.NEW, data={"title": "Werbung"})
    staff = login_verified(Client(), koordination)
    url = reverse("directory_staff:submission", args=[submission.pk])
    staff.post(url, {"decision": "reject", "message": ""})
    assert Submission.objects.get().status == SubmissionStatus.PENDING
    staff.post(url, {"decision": "reject", "message": "Kein Angebot im Kreis."})
    assert Submission.objects.get().status == SubmissionStatus.REJECTED
    assert AuditEvent.objects.filter(action="directory.submission.reject", user=koordination).exists()


def test_honeypot_blocks_bots(personas) -> None:
    response = Client().post(reverse("directory:propose"), {**PROPOSAL, "website": "http://spam.example"})
    assert response.status_code == 200
    assert not Submission.objects.exists()


def test_contact_data_needs_consent(personas) -> None:
    data = {k: v for k, v in PROPOSAL.items() if k != "consent"}
    response = Client().post(reverse("directory:propose"), data)
    assert response.status_code == 200
    assert not Submission.objects.exists()


@override_settings(DIRECTORY_SUBMISSION_RATE_LIMIT=2)
def test_rate_limit_per_address(personas) -> None:
    from django.core.cache import cache

    cache.clear()
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        client.post(reverse("directory:propose"), PROPOSAL)
    assert Submission.objects.count() == 2
    assert Client(REMOTE_ADDR="203.0.113.10").post(reverse("directory:propose"), PROPOSAL).status_code == 302


def test_injection_in_every_field_is_neutralised(personas, koordination) -> None:
    evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    data = {
        **PROPOSAL,
        **{
            k: evil
            for k in [
                "title",
                "description",
                "summary",
                "eligibility",
                "how_to_access",
                "cost_note",
                "submitter_name",
            ]
        },
        "contact_phone": "<script>x</script>",
    }
    assert Client().post(reverse("directory:propose"), data).status_code == 302
    submission = Submission.objects.get()
    staff = login_verified(Client(), koordination)
    body = staff.get(reverse("directory_staff:submission", args=[submission.pk])).content.decode()
    assert "<script>alert(1)" not in body and "<img src=x" not in body and "<script>x" not in body
    staff.post(
        reverse("directory_staff:submission", args=[submission.pk]),
        {**data, "owner": personas.landkreis.pk, "decision": "approve"},
    )
    offer = Offer.objects.get()
    public = Client().get(reverse("directory:offer", args=[offer.pk])).content.decode()
    assert "<script>alert(1)" not in public and "<img src=x" not in public and "<script>x" not in public
    search = Client().get(reverse("directory:search")).content.decode()
    assert "<script>alert(1)" not in search


def test_gemeinde_staff_moderates_only_their_gemeinden(personas, regions) -> None:
    from teilhabe.regions.models import Gemeinde

    g1, g2 = list(Gemeinde.objects.filter(kreis_id="12073").order_by("ags")[:2])
    town = Organisation.objects.create(name="Gemeinde Eins", kind=OrganisationKind.GEMEINDE)
    town.gemeinden.set([g1])
    clerk = make_user("gemeinde1", town, Role.GEMEINDE)
    mine = services.submission_create(kind=SubmissionKind.NEW, data={"title": "Hier"}, gemeinde=g1)
    other = services.submission_create(kind=SubmissionKind.NEW, data={"title": "Dort"}, gemeinde=g2)
    client = login_verified(Client(), clerk)
    assert client.get(reverse("directory_staff:submission", args=[mine.pk])).status_code == 200
    assert client.get(reverse("directory_staff:submission", args=[other.pk])).status_code == 404


def test_flag_stale_offers_lists_and_emails_owner(personas, django_capture_on_commit_callbacks) -> None:
    from io import StringIO

    from django.core.management import call_command

    personas.org_a.email = "info@jobcenter-a.example"
    personas.org_a.save()
    offer = make_offer(personas.org_a, title="Altes Angebot")
    Offer.objects.filter(pk=offer.pk).update(last_confirmed_at=timezone.now() - timedelta(days=400))
    make_offer(personas.org_a, title="Frisches Angebot")
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("flag_stale_offers", stdout=out)
    assert "Altes Angebot" in out.getvalue() and "Frisches Angebot" not in out.getvalue()
    assert mail.outbox[0].to == ["info@jobcenter-a.example"]
    assert Offer.objects.get(pk=offer.pk).stale_notified_at is not None
    assert AuditEvent.objects.filter(action="directory.offer.stale_notify").exists()
