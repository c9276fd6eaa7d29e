"""Irreversible steps with a guard, corrections with history (issue 10, item 8)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from teilhabe.audit.models import AuditEvent
from teilhabe.registry import services
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import EventKind, RecipientNotice, TrajectoryEvent, TransmissionStatus
from teilhabe.registry.tests.conftest import World


def _sent(world: World):
    return services.transmission_request(
        acting_user=world.p.alice,
        case=world.case,
        recipient=world.p.org_b,
        groups=["identitaet"],
        legal_basis=LegalBasis.AUFENTHG_87,
        purpose="Unterrichtung",
    )


def test_revocation_needs_a_confirmation_page_and_a_reason_and_tells_the_recipient(world: World) -> None:
    """Example 8a: revoking was one click, the reason could be empty, the recipient was not told."""
    transmission = _sent(world)
    alice = world.client(world.p.alice)
    url = reverse("registry:revoke", kwargs={"pk": transmission.pk})
    page = alice.get(url)
    assert page.status_code == 200 and world.case.display_reference in page.content.decode()
    transmission.refresh_from_db()
    assert transmission.status == TransmissionStatus.SENT  # GET changes nothing
    assert alice.post(url, {"reason": "  "}).status_code == 422
    with pytest.raises(ValidationError):
        services.transmission_revoke(acting_user=world.p.alice, transmission=transmission, reason="")
    transmission.refresh_from_db()
    assert transmission.status == TransmissionStatus.SENT
    assert alice.post(url, {"reason": "Zweck erfüllt"}).status_code == 302
    transmission.refresh_from_db()
    assert transmission.status == TransmissionStatus.REVOKED
    notice = RecipientNotice.objects.get(transmission=transmission)
    assert notice.recipient == world.p.org_b and notice.reason == "Zweck erfüllt"
    charlie = world.client(world.p.charlie)
    body = charlie.get(reverse("registry:recipient_notices")).content.decode()
    assert "Zweck erfüllt" in body and "widerrufen" in body
    # The sender's organisation is not the recipient: it does not see the notice in its inbox.
    assert "Zweck erfüllt" not in alice.get(reverse("registry:recipient_notices")).content.decode()


def test_erasure_asks_for_the_visible_aktenzeichen_and_tells_recipients_in_words(world: World) -> None:
    """Example 8b and 9: erasure asked for the internal id; the Art. 19 notice said „loeschung“."""
    transmission = _sent(world)
    dora = world.client(world.dora)
    page = dora.get(reverse("registry:erase", kwargs={"pk": world.case.pk})).content.decode()
    assert world.case.display_reference in page and world.p.org_b.name in page
    response = dora.post(
        reverse("registry:erase", kwargs={"pk": world.case.pk}),
        {"confirm": world.case.display_reference, "reason": "Antrag der Person vom 01.11.2026"},
    )
    assert response.status_code == 302
    notice = RecipientNotice.objects.get(transmission=transmission)
    assert notice.kind == "erased" and "Antrag der Person" in notice.reason
    overview = world.client(world.p.alice).get(reverse("registry:transmissions")).content.decode()
    assert "loeschung" not in overview and "Die Akte wurde gelöscht" in overview
    assert "„loeschung“" not in overview


def test_future_event_dates_are_refused(world: World) -> None:
    """Example 8c: a trajectory event dated 2030 was accepted."""
    alice = world.client(world.p.alice)
    response = alice.post(
        reverse("registry:event_add", kwargs={"pk": world.case.pk}),
        {"kind": EventKind.COURSE_STARTED, "date": "2030-01-01", "detail": ""},
    )
    assert response.status_code == 200 and "registry.date_in_future" in response.content.decode()
    assert not TrajectoryEvent.objects.filter(date=date(2030, 1, 1)).exists()
    with pytest.raises(ValidationError):
        services.fieldgroup_save(
            acting_user=world.p.alice,
            case=world.case,
            group="sprachkurs",
            data={"completed_on": (timezone.localdate() + timedelta(days=3)).isoformat()},
            legal_basis=LegalBasis.ART6_1_E,
        )
    # A validity date in the future makes sense and is allowed.
    from teilhabe.registry.fieldgroups import FIELD_GROUPS

    assert next(f for f in FIELD_GROUPS["aufenthalt"].fields if f.name == "valid_until").future_ok


def test_events_can_be_corrected_and_withdrawn_with_history(world: World) -> None:
    event = world.case.events.get(kind=EventKind.COURSE_STARTED)
    alice = world.client(world.p.alice)
    url = reverse("registry:event_correct", kwargs={"pk": world.case.pk, "event_pk": event.pk})
    response = alice.post(url, {"kind": EventKind.COURSE_STARTED, "date": "2023-01-16", "detail": "", "reason": ""})
    assert response.status_code == 200  # the reason is mandatory
    response = alice.post(
        url, {"kind": EventKind.COURSE_STARTED, "date": "2023-01-16", "detail": "", "reason": "Tippfehler"}
    )
    assert response.status_code == 302
    current = list(world.case.events.current())
    assert [e.date for e in current if e.kind == EventKind.COURSE_STARTED] == [date(2023, 1, 16)]
    assert TrajectoryEvent.objects.filter(pk=event.pk).exists()  # history kept
    assert AuditEvent.objects.filter(action="case.event_correct", extra__event_id=event.pk).exists()
    corrected = current[-1]
    url = reverse("registry:event_withdraw", kwargs={"pk": world.case.pk, "event_pk": corrected.pk})
    assert alice.post(url, {"reason": "Falsche Akte"}).status_code == 302
    assert not world.case.events.current().filter(kind=EventKind.COURSE_STARTED).exists()
    detail = alice.get(reverse("registry:detail", kwargs={"pk": world.case.pk})).content.decode()
    assert "Falsche Akte" in detail and "durch Berichtigung ersetzt" in detail
    data = services.case_data(world.case, ["sprachkurs"], with_azr=False)
    assert all(e["kind"] != EventKind.COURSE_STARTED for e in data["events"])  # exports show current only
