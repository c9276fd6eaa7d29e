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
    for name in ("rights", "access_report", "access_report_json"):
        assert alice.get(reverse(f"registry:{name}", kwargs={"pk": world.case.pk})).status_code == 404


def test_legal_hold_blocks_erasure(world: World) -> None:
    dora = world.client(world.dora)
    url = reverse("registry:rights", kwargs={"pk": world.case.pk})
    dora.post(url, {"action": "hold", "legal_hold": "Aufbewahrung nach § 50 SGB II bis Verfahrensende"})
    assert AuditEvent.objects.filter(action="case.legal_hold", extra__set=True).exists()
    dora.post(url, {"action": "erase", "confirm": str(world.case.pk)})
    assert Case.objects.filter(pk=world.case.pk).exists()
    with pytest.raises(ValidationError):
        services.case_erase(acting_user=world.dora, case=Case.objects.get(pk=world.case.pk))


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
    response = dora.post(
        reverse("registry:rights", kwargs={"pk": world.case.pk}), {"action": "erase", "confirm": str(world.case.pk)}
    )
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
    services.transmission_revoke(acting_user=world.p.alice, transmission=second)
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
