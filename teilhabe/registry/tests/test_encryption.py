"""Protection at rest (DP-34): Art. 9 and residence values are never stored in plaintext; keys rotate."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from teilhabe.audit.models import AuditEvent
from teilhabe.registry import crypto, services
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import Case, FieldGroupEntry, PlanGoal
from teilhabe.registry.tests.conftest import SEEDED_AZR, SEEDED_HEALTH, World


def _raw_dump() -> str:
    """Every row of every table, as the database returns it (no ORM decoding)."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_raw_database_holds_no_plaintext_art9_or_azr(world: World) -> None:
    services.transmission_request(
        acting_user=world.dora,
        case=world.case,
        recipient=world.org_c,
        groups=["identitaet", "gesundheit"],  # residence status goes nowhere under § 69 SGB X (matrix)
        legal_basis=LegalBasis.SGB_X_69_1_1,
        purpose="Hilfeplanung",
    )
    dump = _raw_dump()
    assert SEEDED_HEALTH not in dump  # group values, plan goal and the transmission copy
    assert SEEDED_AZR not in dump
    assert "aufenthaltserlaubnis" not in dump
    assert "Walzblechkunde" in dump  # social data are not encrypted: the dump check itself works
    # The application still reads them.
    body = world.client(world.dora).get(reverse("registry:detail", kwargs={"pk": world.case.pk})).content.decode()
    assert SEEDED_HEALTH in body and SEEDED_AZR in body


def test_key_rotation_reencrypts_and_old_key_can_be_dropped(world: World, settings) -> None:
    before = FieldGroupEntry.objects.get(case=world.case, group="gesundheit").data
    settings.REGISTRY_ENCRYPTION_KEYS = ["test-only-registry-key-2", "test-only-registry-key-1"]
    call_command("registry_rotate_keys")
    after = FieldGroupEntry.objects.get(case=world.case, group="gesundheit").data
    assert after != before
    settings.REGISTRY_ENCRYPTION_KEYS = ["test-only-registry-key-2"]
    case = Case.objects.get(pk=world.case.pk)
    assert case.azr_number == SEEDED_AZR
    assert crypto.decrypt_json(after)["notes"] == SEEDED_HEALTH
    assert "Quarkdiabetes" in PlanGoal.objects.get(area="gesundheit").text
    event = AuditEvent.objects.get(action="registry.key_rotation")
    assert event.extra["feldgruppen"] == 2 and event.extra["azr"] == 1 and event.extra["ziele"] == 1


def test_production_without_keys_refuses_to_store(settings) -> None:
    settings.REGISTRY_ENCRYPTION_KEYS = []
    settings.DEBUG = False
    settings.DEMO = False
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt_text("x")
    settings.DEMO = True
    assert crypto.decrypt_text(crypto.encrypt_text("x")) == "x"
