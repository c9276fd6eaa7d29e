"""Privacy as code: registry check (DP-01, DP-02), generated Art. 30 record, retention (DP-15)."""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import login_verified
from teilhabe.privacy.checks import check_protection
from teilhabe.privacy.processing import load_registry
from teilhabe.registry import services
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import Case, FieldGroupEntry, Transmission


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REGISTRY_ENCRYPTION_KEYS = ["test-only-registry-key-1"]


def test_registry_covers_every_model_field() -> None:
    assert check_protection() == []


def test_check_fails_for_field_without_protection_class() -> None:
    from teilhabe.registry.models import Case

    original = Case.PROTECTION
    Case.PROTECTION = {k: v for k, v in original.items() if k != "family_name"}
    try:
        errors = check_protection()
    finally:
        Case.PROTECTION = original
    assert [e.id for e in errors] == ["privacy.E002"]
    assert "Case.family_name" in errors[0].msg


def test_check_fails_when_registry_does_not_cover_a_class() -> None:
    registry = copy.deepcopy(load_registry())
    for activity in registry["activities"]:
        activity["data_categories"].pop("art9", None)
    ids = {e.id for e in check_protection(registry)}
    assert ids == {"privacy.E003", "privacy.E004"}


def test_linkage_tables_are_checked_like_the_case_records() -> None:
    """Search keys, agency ids and merge states hold personal data: an activity must cover them too."""
    from teilhabe.linkage.models import SearchKey

    registry = copy.deepcopy(load_registry())
    registry["activities"] = [a for a in registry["activities"] if a["id"] != "kiim-personenabgleich"]
    missing = {e.msg.split(" ")[0] for e in check_protection(registry) if e.id == "privacy.E003"}
    assert {"linkage.SearchKey.key", "linkage.ExternalId.value", "linkage.Merge.state"} <= missing
    original = SearchKey.PROTECTION
    SearchKey.PROTECTION = {k: v for k, v in original.items() if k != "owner"}
    try:
        assert [e.id for e in check_protection()] == ["privacy.E002"]
    finally:
        SearchKey.PROTECTION = original


def test_check_fails_for_activity_without_retention() -> None:
    registry = copy.deepcopy(load_registry())
    registry["activities"][2]["retention"] = ""
    assert "privacy.E001" in {e.id for e in check_protection(registry)}
    registry = copy.deepcopy(load_registry())
    registry["retention_days"]["gesundheit"] = 99
    assert {e.id for e in check_protection(registry)} == {"privacy.E005"}


def test_art30_page_for_dpo_only(personas) -> None:
    from django.test import Client

    client = login_verified(Client(), personas.dpo)
    response = client.get(reverse("privacy:art30"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "kiim-integrationsakte" in body and "§ 69 Abs. 1 Nr. 1 SGB X" in body
    assert AuditEvent.objects.filter(action="privacy.art30_view", username="dsb").exists()
    assert login_verified(Client(), personas.charlie).get(reverse("privacy:art30")).status_code == 403
    assert Client().get(reverse("privacy:art30")).status_code == 302


def test_art30_command_writes_document(tmp_path: Path) -> None:
    target = tmp_path / "art30.html"
    call_command("privacy_art30", str(target))
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Führung von Integrationsakten (KiIM)" in html and "1095" in html


def test_retention_deletes_groups_then_cases(personas) -> None:
    """Frozen time, closed 2020-01-01: health/counselling go after 3 years, other groups 5, the case 10."""
    start = datetime(2020, 1, 1, 12, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(start, tick=False):
        case = services.case_create(
            acting_user=personas.alice,
            owner=personas.org_a,
            data={
                "family_name": "Löschtest",
                "legal_basis": LegalBasis.ART6_1_E,
                "arrival_date": date(2019, 1, 1),
            },
        )
        services.fieldgroup_save(
            acting_user=personas.alice,
            case=case,
            group="beratung",
            data={"topics": "Wohnungssuche"},
            legal_basis=LegalBasis.SGB_X_67A,
        )
        services.fieldgroup_save(
            acting_user=personas.alice,
            case=case,
            group="sprachkurs",
            data={"level": "A2"},
            legal_basis=LegalBasis.ART6_1_E,
        )
        consent = services.consent_give(
            acting_user=personas.alice,
            case=case,
            purpose="Austausch",
            data_items=["identitaet"],
            recipients=[personas.org_b],
            language="de",
            text_version="v1",
        )
        services.transmission_request(
            acting_user=personas.alice,
            case=case,
            recipient=personas.org_b,
            groups=["identitaet"],
            legal_basis=LegalBasis.CONSENT,
            purpose="Austausch",
            consent=consent,
        )
        sent = services.transmission_request(
            acting_user=personas.alice,
            case=case,
            recipient=personas.org_b,
            groups=["identitaet"],
            legal_basis=LegalBasis.AUFENTHG_87,
            purpose="Mitteilung",
        )
        Case.objects.filter(pk=case.pk).update(closed_at=timezone.now())
    with time_machine.travel(start + timedelta(days=2 * 365), tick=False):
        call_command("registry_retention")
        assert FieldGroupEntry.objects.filter(case=case).count() == 2
    with time_machine.travel(start + timedelta(days=3 * 365 + 2), tick=False):
        call_command("registry_retention")
        assert list(FieldGroupEntry.objects.filter(case=case).values_list("group", flat=True)) == ["sprachkurs"]
    with time_machine.travel(start + timedelta(days=5 * 365 + 2), tick=False):
        call_command("registry_retention", "--dry-run")
        assert FieldGroupEntry.objects.filter(case=case).exists()
        call_command("registry_retention")
        assert not FieldGroupEntry.objects.filter(case=case).exists()
        assert Case.objects.filter(pk=case.pk).exists()
    with time_machine.travel(start + timedelta(days=10 * 365 + 3), tick=False):
        call_command("registry_retention")
        assert not Case.objects.filter(pk=case.pk).exists()
        sent.refresh_from_db()
        assert sent.case is None and sent.snapshot == {} and sent.status == "revoked"
    reports = AuditEvent.objects.filter(action="registry.retention")
    assert reports.count() == 4
    assert any(e.extra.get("akten") == 1 for e in reports)
    assert Transmission.objects.filter(case__isnull=True).count() == 2  # transmission metadata stays


def test_committed_art30_document_is_current(tmp_path: Path) -> None:
    """DP-01 snapshot: docs/privacy/art30.html is regenerated whenever registry.yaml changes."""
    from django.conf import settings

    target = tmp_path / "art30.html"
    call_command("privacy_art30", str(target))
    committed = Path(settings.BASE_DIR) / "docs" / "privacy" / "art30.html"
    assert committed.read_text(encoding="utf-8") == target.read_text(encoding="utf-8"), (
        "manage.py privacy_art30 docs/privacy/art30.html ausführen"
    )
