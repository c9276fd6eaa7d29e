"""Bodies and meetings: invitation with iCal, minutes approved at the next meeting and frozen, action items,
overdue flags on the start page and e-mail reminders, who sees which body."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from teilhabe.audit.models import AuditEvent
from teilhabe.concept import network_services as net
from teilhabe.concept.models import ActionItem, ActionStatus, BodyKind
from teilhabe.concept.services import ConceptError
from teilhabe.core.testing import login_verified

from .conftest import World

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def network(world: World) -> dict:
    office = world.p.landkreis
    u = world.office_user
    gero = net.contact_save(
        acting_user=u,
        owner=office,
        changes={"name": "Gero A", "organisation": world.gemeinde_a, "email": "gero@a.example", "user": world.gero_a},
    )
    vera = net.contact_save(
        acting_user=u,
        owner=office,
        changes={"name": "Vera Verein", "organisation_other": "MSO e. V.", "email": "vera@mso.example"},
    )
    kai = net.contact_save(
        acting_user=u,
        owner=office,
        changes={"name": "Kai Koordination", "organisation": office, "email": "kai@lk.example", "user": u},
    )
    body = net.body_save(
        acting_user=u,
        owner=office,
        changes={"kind": BodyKind.STEUERUNGSGRUPPE, "name": "Steuerungsgruppe Integration", "responsible": kai},
    )
    other = net.body_save(
        acting_user=u, owner=office, changes={"kind": BodyKind.RUNDER_TISCH, "name": "Runder Tisch Nord"}
    )
    net.member_add(
        acting_user=u, body=body, changes={"contact": gero, "function": "Vertretung Gemeinde A", "deputy": vera}
    )
    first = net.meeting_save(
        acting_user=u,
        body=body,
        changes={
            "title": "1. Sitzung",
            "starts_at": datetime(2026, 3, 29, 16, 0, tzinfo=BERLIN),  # the day clocks change (CEST)
            "ends_at": datetime(2026, 3, 29, 18, 0, tzinfo=BERLIN),
            "location": "Kreishaus, Raum 2",
            "agenda": "1. Begrüßung\n2. Sachstand",
        },
    )
    second = net.meeting_save(
        acting_user=u,
        body=body,
        changes={
            "title": "2. Sitzung",
            "starts_at": datetime(2026, 6, 1, 16, 0, tzinfo=BERLIN),
            "ends_at": datetime(2026, 6, 1, 18, 0, tzinfo=BERLIN),
        },
    )
    return {"body": body, "other": other, "first": first, "second": second, "gero": gero, "vera": vera, "kai": kai}


def test_invitation_goes_out_by_email_with_an_icalendar_in_berlin_time(
    world: World, network: dict, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        count = net.meeting_invite(acting_user=world.office_user, meeting=network["first"])
    assert count == 3  # member, deputy, responsible person
    assert sorted(m.to[0] for m in mail.outbox) == ["gero@a.example", "kai@lk.example", "vera@mso.example"]
    message = mail.outbox[0]
    assert "1. Sitzung" in message.subject and "29.03.2026, 16:00 Uhr" in message.body
    filename, content, mimetype = message.attachments[0]
    assert filename == "einladung.ics" and mimetype.startswith("text/calendar")
    raw = content if isinstance(content, bytes) else content.encode()
    assert b"DTSTART;TZID=Europe/Berlin:20260329T160000" in raw
    cal = Calendar.from_ical(raw)
    assert [c.name for c in cal.walk("VTIMEZONE")] == ["VTIMEZONE"]
    event = cal.walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime(2026, 3, 29, 16, 0, tzinfo=BERLIN)
    assert str(cal["method"]) == "REQUEST" and int(str(event["sequence"])) == 0
    # A second invitation updates the same calendar entry.
    with django_capture_on_commit_callbacks(execute=True):
        net.meeting_invite(acting_user=world.office_user, meeting=network["first"])
    raw2 = mail.outbox[-1].attachments[0][1]
    event2 = Calendar.from_ical(raw2).walk("VEVENT")[0]
    assert str(event2["uid"]) == str(event["uid"]) and int(str(event2["sequence"])) == 1
    assert AuditEvent.objects.filter(action="concept.meeting_invite").count() == 2


def test_minutes_are_approved_at_the_next_meeting_and_then_frozen(world: World, network: dict) -> None:
    first, second = network["first"], network["second"]
    net.minutes_save(acting_user=world.office_user, meeting=first, text="Wir haben beraten.")
    with pytest.raises(ConceptError) as exc:
        net.minutes_approve(acting_user=world.office_user, meeting=second, at_meeting=first)
    assert exc.value.code in ("minutes_missing", "approve_next_meeting")
    with pytest.raises(ConceptError):
        net.minutes_approve(acting_user=world.office_user, meeting=first, at_meeting=first)
    net.minutes_approve(acting_user=world.office_user, meeting=first, at_meeting=second)
    first.refresh_from_db()
    assert first.minutes_frozen and first.minutes_approved_in == second
    for attempt in (
        lambda: net.minutes_save(acting_user=world.office_user, meeting=first, text="Nachträglich"),
        lambda: net.decision_add(acting_user=world.office_user, meeting=first, kind="decision", text="Neu"),
    ):
        with pytest.raises(ConceptError) as exc:
            attempt()
        assert exc.value.code == "minutes_frozen"
    first.refresh_from_db()
    assert first.minutes == "Wir haben beraten."


def test_an_overdue_action_item_is_flagged_and_emailed(world: World, network: dict) -> None:
    today = timezone.localdate()
    net.decision_add(
        acting_user=world.office_user,
        meeting=network["first"],
        kind="agreement",
        text="Gemeinde A richtet ein Jobcafé ein.",
        action_title="Raum für das Jobcafé finden",
        action_owner=network["gero"],
        action_due=today - timedelta(days=3),
    )
    net.decision_add(
        acting_user=world.office_user,
        meeting=network["first"],
        kind="agreement",
        text="Später",
        action_title="Noch nicht fällig",
        action_owner=network["gero"],
        action_due=today + timedelta(days=30),
    )
    # Flagged on the owner's staff start page, not on somebody else's.
    page = login_verified(Client(), world.gero_a).get(reverse("staff:home")).content.decode()
    assert "Raum für das Jobcafé finden" in page and "überfällige Aufgabe" in page and "Noch nicht fällig" not in page
    assert (
        "Raum für das Jobcafé finden"
        not in login_verified(Client(), world.gero_b).get(reverse("staff:home")).content.decode()
    )
    mail.outbox.clear()
    call_command("concept_send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["gero@a.example"]
    assert "Raum für das Jobcafé finden" in mail.outbox[0].body and "Noch nicht fällig" not in mail.outbox[0].body
    call_command("concept_send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1  # once per day
    assert AuditEvent.objects.filter(action="concept.action_remind").count() == 1
    # The owner marks it done; no more flag.
    item = ActionItem.objects.get(title="Raum für das Jobcafé finden")
    client = login_verified(Client(), world.gero_a)
    assert client.post(reverse("concept_staff:action_status", args=[item.pk]), {"status": "done"}).status_code == 302
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE and item.done_on == today
    assert "Raum für das Jobcafé finden" not in client.get(reverse("staff:home")).content.decode()
    # Another Gemeinde cannot touch it.
    other = login_verified(Client(), world.gero_b)
    assert other.post(reverse("concept_staff:action_status", args=[item.pk]), {"status": "open"}).status_code == 404


def test_members_see_their_bodies_others_get_404(world: World, network: dict) -> None:
    body, other = network["body"], network["other"]
    gero = login_verified(Client(), world.gero_a)
    assert gero.get(reverse("concept_staff:body", args=[body.pk])).status_code == 200
    assert gero.get(reverse("concept_staff:meeting", args=[network["first"].pk])).status_code == 200
    assert gero.get(reverse("concept_staff:body", args=[other.pk])).status_code == 404
    listing = gero.get(reverse("concept_staff:bodies")).content.decode()
    assert "Steuerungsgruppe Integration" in listing and "Runder Tisch Nord" not in listing
    # Members read but do not manage.
    assert gero.post(reverse("concept_staff:minutes", args=[network["first"].pk]), {"minutes": "x"}).status_code == 403
    for user in (world.gero_b, world.p.charlie, world.p.alice):
        client = login_verified(Client(), user)
        assert client.get(reverse("concept_staff:body", args=[body.pk])).status_code == 404
        assert client.get(reverse("concept_staff:meeting", args=[network["first"].pk])).status_code == 404
        assert client.get(reverse("concept_staff:meeting_ics", args=[network["first"].pk])).status_code == 404
        assert "Steuerungsgruppe" not in client.get(reverse("concept_staff:bodies")).content.decode()
    office = login_verified(Client(), world.office_user)
    assert office.get(reverse("concept_staff:meeting", args=[network["first"].pk])).status_code == 200
    assert office.get(reverse("concept_staff:contacts")).status_code == 200
    assert login_verified(Client(), world.gero_a).get(reverse("concept_staff:contacts")).status_code == 403


def test_a_past_member_no_longer_sees_the_body(world: World, network: dict) -> None:
    member = network["body"].members.get(contact=network["gero"])
    net.member_end(acting_user=world.office_user, member=member, until=date.today())
    gero = login_verified(Client(), world.gero_a)
    assert gero.get(reverse("concept_staff:body", args=[network["body"].pk])).status_code == 404


def test_meeting_pages_render_for_the_office(world: World, network: dict) -> None:
    office = login_verified(Client(), world.office_user)
    net.minutes_save(acting_user=world.office_user, meeting=network["first"], text="Entwurf")
    page = office.get(reverse("concept_staff:meeting", args=[network["first"].pk])).content.decode()
    assert "Protokoll genehmigen" in page and "2. Sitzung" in page
    response = office.post(
        reverse("concept_staff:attendance", args=[network["first"].pk]), {f"contact-{network['gero'].pk}": "present"}
    )
    assert response.status_code == 302
    assert network["first"].attendance.get().status == "present"
    response = office.post(
        reverse("concept_staff:decision_add", args=[network["first"].pk]),
        {
            "kind": "decision",
            "text": "Beschluss",
            "action_title": "Aufgabe ohne Datum",
            "action_owner": network["gero"].pk,
        },
    )
    assert not ActionItem.objects.filter(title="Aufgabe ohne Datum").exists()


def test_body_members_comment_on_the_draft_and_the_office_answers(world: World, network: dict) -> None:
    # Vera (a Verein, no concept rights) sits in the Steuerungsgruppe through her contact record.
    from teilhabe.accounts.models import Organisation, OrganisationKind
    from teilhabe.accounts.roles import Role
    from teilhabe.concept import services
    from teilhabe.concept.models import Comment
    from teilhabe.core.testing import make_user

    verein = Organisation.objects.create(name="MSO e. V.", kind=OrganisationKind.VEREIN)
    vera_user = make_user("vera", verein, Role.REDAKTION)
    network["vera"].user = vera_user
    network["vera"].save()
    net.member_add(acting_user=world.office_user, body=network["body"], changes={"contact": network["vera"]})
    adopted = world.concept.versions.get()
    services.version_adopt(
        acting_user=world.office_user,
        version=adopted,
        body="Kreistag",
        decision_date=date(2025, 3, 1),
        drucksache="DS 1",
    )
    draft = services.version_copy(acting_user=world.office_user, version=adopted)
    goal = draft.fields.get(theme="E").goals.get()
    measure = goal.measures.get(title="Jobcafé A")
    vera = login_verified(Client(), vera_user)
    url = reverse("concept_staff:comment_create", args=["ziel", goal.pk])
    assert (
        vera.post(url, {"text": "Bitte Vereine nennen.", "body": network["body"].pk}).status_code == 404
    )  # not open yet
    services.version_update(acting_user=world.office_user, version=draft, changes={"comments_open": True})
    assert "Entwurf zur Kommentierung" in vera.get(reverse("concept_staff:bodies")).content.decode()
    page = vera.get(reverse("concept_staff:participation", args=[draft.pk]))
    assert page.status_code == 200 and goal.title in page.content.decode()
    assert vera.post(url, {"text": "Bitte Vereine nennen.", "body": network["body"].pk}).status_code == 302
    vera.post(
        reverse("concept_staff:comment_create", args=["massnahme", measure.pk]),
        {"text": "Gute Idee.", "body": network["body"].pk},
    )
    comment = Comment.objects.get(goal=goal)
    assert comment.author_name and comment.organisation_name == "MSO e. V."
    assert Comment.objects.filter(measure=measure).exists()
    # Not on the adopted version, and not through a body she is not in.
    old_goal = world.goal
    assert (
        vera.post(
            reverse("concept_staff:comment_create", args=["ziel", old_goal.pk]),
            {"text": "x", "body": network["body"].pk},
        ).status_code
        == 404
    )
    assert vera.post(url, {"text": "x", "body": network["other"].pk}).status_code == 302
    assert Comment.objects.filter(body=network["other"]).count() == 0
    # Someone outside every body: 404.
    assert (
        login_verified(Client(), world.p.charlie)
        .get(reverse("concept_staff:participation", args=[draft.pk]))
        .status_code
        == 404
    )
    # … and the office, which sees every body but sits in none, gets no link to that page either.
    participation = reverse("concept_staff:participation", args=[draft.pk])
    office_bodies = login_verified(Client(), world.office_user).get(reverse("concept_staff:bodies"))
    assert office_bodies.status_code == 200 and participation not in office_bodies.content.decode()
    assert login_verified(Client(), world.office_user).get(participation).status_code == 404
    # The office answers on the goal page; the answer is visible to the member.
    office = login_verified(Client(), world.office_user)
    office.post(reverse("concept_staff:comment_answer", args=[comment.pk]), {"answer": "Wird ergänzt."})
    assert "Wird ergänzt." in vera.get(reverse("concept_staff:participation", args=[draft.pk])).content.decode()
    assert AuditEvent.objects.filter(action="concept.comment_answer").exists()
