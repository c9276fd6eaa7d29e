"""Data-subject rights: restriction (DP-17), erasure with legal hold (DP-14), Art. 15 report (DP-12)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from teilhabe.audit.models import AuditEvent
from teilhabe.registry import services
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import Case, CorrectionNotice, Transmission
from teilhabe.registry.tests.conftest import SEEDED_GIVEN, SEEDED_HEALTH, SEEDED_NAME, SEEDED_ORIGINAL, World


def test_restriction_hides_record_from_search_export_and_transmission(world: World) -> None:
    dora = world.client(world.dora)
    pk = world.case.pk
    response = dora.post(reverse("registry:rights", kwargs={"pk": pk}), {"action": "restrict", "reason": "Bestreitet"})
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.restricted_at is not None
    event = AuditEvent.objects.get(action="case.restrict")
    assert event.extra == {"reason_given": True} and "Bestreitet" not in event.canonical_payload()
    alice = world.client(world.p.alice)
    assert alice.get(reverse("registry:list"), {"q": SEEDED_NAME[:5]}).context["rows"] == []
    assert dora.get(reverse("registry:list"), {"q": SEEDED_NAME[:5]}).context["rows"] == []
    assert alice.get(reverse("registry:detail", kwargs={"pk": pk})).status_code == 404
    assert dora.get(reverse("registry:detail", kwargs={"pk": pk})).status_code == 200  # privileged access
    for name in ("export", "print", "transmit", "edit", "consent_add"):
        assert dora.get(reverse(f"registry:{name}", kwargs={"pk": pk})).status_code == 404, name
    with pytest.raises(ValidationError):
        services.transmission_request(
            acting_user=world.dora,
            case=world.case,
            recipient=world.org_c,
            groups=["identitaet"],
            legal_basis=LegalBasis.SGB_X_69_1_1,
            purpose="x",
        )
    dora.post(reverse("registry:rights", kwargs={"pk": pk}), {"action": "lift"})
    world.case.refresh_from_db()
    assert world.case.restricted_at is None
    assert AuditEvent.objects.filter(action="case.restrict_lift").exists()
    assert alice.get(reverse("registry:detail", kwargs={"pk": pk})).status_code == 200


def test_caseworker_cannot_use_rights_pages(world: World) -> None:
    alice = world.client(world.p.alice)
    for name in ("rights", "access_report", "access_report_json", "access_report_pdf"):
        assert alice.get(reverse(f"registry:{name}", kwargs={"pk": world.case.pk})).status_code == 404


def test_legal_hold_blocks_erasure(world: World) -> None:
    dora = world.client(world.dora)
    url = reverse("registry:rights", kwargs={"pk": world.case.pk})
    dora.post(url, {"action": "hold", "legal_hold": "Aufbewahrung nach § 50 SGB II bis Verfahrensende"})
    assert AuditEvent.objects.filter(action="case.legal_hold", extra__set=True).exists()
    erase = reverse("registry:erase", kwargs={"pk": world.case.pk})
    dora.post(erase, {"confirm": world.case.display_reference, "reason": "Antrag der Person"})
    assert Case.objects.filter(pk=world.case.pk).exists()
    with pytest.raises(ValidationError):
        services.case_erase(acting_user=world.dora, case=Case.objects.get(pk=world.case.pk), reason="Antrag der Person")


def test_erasure_leaves_no_trace_of_the_person(world: World) -> None:
    sent = services.transmission_request(
        acting_user=world.p.alice,
        case=world.case,
        recipient=world.org_c,
        groups=["sprachkurs"],
        legal_basis=LegalBasis.SGB_X_69_1_1,
        purpose="Kursplanung",
    )
    services.consent_give(
        acting_user=world.p.alice,
        case=world.case,
        purpose="Austausch",
        data_items=["sprachkurs"],
        recipients=[world.org_c],
        language="de",
        text_version="v1",
    )
    world.client(world.p.alice).get(reverse("registry:detail", kwargs={"pk": world.case.pk}))
    dora = world.client(world.dora)
    response = dora.post(reverse("registry:rights", kwargs={"pk": world.case.pk}), {"action": "wrong"})
    assert Case.objects.filter(pk=world.case.pk).exists()
    erase = reverse("registry:erase", kwargs={"pk": world.case.pk})
    # The internal id is not the confirmation; the visible Aktenzeichen is, and a reason is mandatory.
    assert dora.post(erase, {"confirm": str(world.case.pk), "reason": "Antrag"}).status_code == 200
    assert dora.post(erase, {"confirm": world.case.display_reference, "reason": ""}).status_code == 200
    assert Case.objects.filter(pk=world.case.pk).exists()
    response = dora.post(erase, {"confirm": world.case.display_reference, "reason": "Antrag der Person"})
    assert response.status_code == 302
    assert not Case.objects.filter(pk=world.case.pk).exists()
    # Earlier recipients are told (Art. 19); the transmission keeps its metadata without the case link.
    sent.refresh_from_db()
    assert sent.case is None
    assert CorrectionNotice.objects.filter(transmission=sent, group="loeschung").exists()
    event = AuditEvent.objects.get(action="case.erase")
    assert event.object_id == str(world.case.pk)
    # Full dump of every table except the recipient's copies: no trace of the seeded person.
    out = io.StringIO()
    call_command("dumpdata", "--exclude", "contenttypes", "--exclude", "auth.permission", stdout=out)
    dump = out.getvalue()
    for needle in (SEEDED_NAME, SEEDED_GIVEN, SEEDED_ORIGINAL, SEEDED_HEALTH):
        assert needle not in dump, needle
    assert Transmission.objects.filter(pk=sent.pk).exists()


def test_access_report_lists_data_and_every_transmission(world: World) -> None:
    first = services.transmission_request(
        acting_user=world.p.alice,
        case=world.case,
        recipient=world.org_c,
        groups=["identitaet", "sprachkurs"],
        legal_basis=LegalBasis.SGB_X_69_1_1,
        purpose="Kursplanung",
    )
    second = services.transmission_request(
        acting_user=world.p.alice,
        case=world.case,
        recipient=world.p.org_b,
        groups=["identitaet"],
        legal_basis=LegalBasis.AUFENTHG_87,
        purpose="Mitteilung",
    )
    services.transmission_revoke(acting_user=world.p.alice, transmission=second, reason="Zweck erfüllt")
    dora = world.client(world.dora)
    response = dora.get(reverse("registry:access_report_json", kwargs={"pk": world.case.pk}))
    assert response.status_code == 200
    report = json.loads(response.content)
    assert report["controller"] == world.p.org_a.name
    assert report["data"]["groups"]["identitaet"]["family_name_latin"] == SEEDED_NAME
    assert SEEDED_HEALTH in json.dumps(report, ensure_ascii=False)
    assert [r["transmission_id"] for r in report["recipients"]] == [first.pk, second.pk]
    assert report["recipients"][1]["recipient"] == world.p.org_b.name and report["recipients"][1]["status"] == "revoked"
    assert {c["group"] for c in report["categories"]} >= {"identitaet", "sprachkurs", "gesundheit"}
    assert all(c["retention_days_after_closure"] > 0 for c in report["categories"])
    html = dora.get(reverse("registry:access_report", kwargs={"pk": world.case.pk})).content.decode()
    assert world.org_c.name in html and "Art. 77" in html
    assert AuditEvent.objects.filter(action="case.access_report").count() == 2


def test_access_report_as_pdf(world: World) -> None:
    services.transmission_request(
        acting_user=world.p.alice,
        case=world.case,
        recipient=world.org_c,
        groups=["identitaet"],
        legal_basis=LegalBasis.SGB_X_69_1_1,
        purpose="Kursplanung",
    )
    response = world.client(world.dora).get(reverse("registry:access_report_pdf", kwargs={"pk": world.case.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 5000
    assert AuditEvent.objects.filter(action="case.access_report", username="dora").exists()


def test_access_request_deadline_and_overdue_alert(world: World) -> None:
    """Art. 12(3): one month, once extendable by two; an unanswered request past its date raises an alert."""
    from datetime import date, datetime

    import time_machine
    from django.utils import timezone

    from teilhabe.registry.models import AccessRequest

    assert services.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    url = reverse("registry:rights", kwargs={"pk": world.case.pk})
    with time_machine.travel(datetime(2026, 1, 31, 9, tzinfo=timezone.get_current_timezone()), tick=False):
        dora = world.client(world.dora)
        dora.post(url, {"action": "access_request", "received_on": "2026-01-31"})
        item = AccessRequest.objects.get()
        assert item.due_on == date(2026, 2, 28)
        assert AuditEvent.objects.filter(action="case.access_request").exists()
        assert dora.get(reverse("registry:access_requests")).context["overdue"] == []
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=timezone.get_current_timezone()), tick=False):
        dora = world.client(world.dora)  # a fresh session: the session lifetime is checked against the clock
        page = dora.get(reverse("registry:access_requests"))
        assert [i.pk for i in page.context["overdue"]] == [item.pk]
        assert "Frist überschritten" in page.content.decode()
        dora.post(url, {"action": "extend", "request": item.pk})
        item.refresh_from_db()
        assert item.extended and item.due_on == date(2026, 4, 28)
        assert dora.get(reverse("registry:access_requests")).context["overdue"] == []
        dora.post(url, {"action": "answer", "request": item.pk})
        item.refresh_from_db()
        assert item.answered_at is not None
        assert list(dora.get(reverse("registry:access_requests")).context["items"]) == []
    # Other organisations never see the request.
    assert world.client(world.erik).get(reverse("registry:access_requests")).context["items"].count() == 0
