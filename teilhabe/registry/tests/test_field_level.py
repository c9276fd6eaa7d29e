"""Field-level protection (DP-09, DP-10, § 35 SGB I): without permission, fields are absent, not hidden."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from teilhabe.audit.models import AuditEvent
from teilhabe.registry import services
from teilhabe.registry.fieldgroups import FIELD_GROUPS
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.tests.conftest import SEEDED_AZR, SEEDED_HEALTH, SEEDED_NAME, World


def _pages(world: World, client) -> dict[str, str]:
    pk = world.case.pk
    return {
        "detail": client.get(reverse("registry:detail", kwargs={"pk": pk})).content.decode(),
        "print": client.get(reverse("registry:print", kwargs={"pk": pk})).content.decode(),
        "export": client.get(reverse("registry:export", kwargs={"pk": pk})).content.decode(),
        "search": client.get(reverse("registry:list"), {"q": SEEDED_NAME[:5]}).content.decode(),
        "transmit": client.get(reverse("registry:transmit", kwargs={"pk": pk})).content.decode(),
        "consent": client.get(reverse("registry:consent_add", kwargs={"pk": pk})).content.decode(),
    }


def test_caseworker_without_art9_permission_sees_no_art9_data_anywhere(world: World) -> None:
    pages = _pages(world, world.client(world.p.alice))
    assert SEEDED_NAME in pages["detail"]  # the record itself is readable
    for name, body in pages.items():
        assert SEEDED_HEALTH not in body, name
        assert "gruppe-gesundheit" not in body, name
    export = json.loads(pages["export"])
    assert set(export["groups"]) == {"identitaet", "aufenthalt", "sprachkurs", "beschaeftigung"}
    assert "gesundheit" not in export["groups"]
    assert all(goal["area"] != "gesundheit" for goal in export["goals"])
    assert AuditEvent.objects.filter(action="case.export", username="alice").exists()
    assert AuditEvent.objects.filter(action="case.print", username="alice").exists()
    read = AuditEvent.objects.filter(action="case.read", username="alice").first()
    assert read is not None and "gesundheit" not in read.extra["groups"]


def test_supervisor_with_art9_permission_sees_health_when_enabled(world: World) -> None:
    pages = _pages(world, world.client(world.dora))
    assert SEEDED_HEALTH in pages["detail"]
    assert "gesundheit" in json.loads(pages["export"])["groups"]


def test_art9_disabled_by_default_even_with_permission(world: World, settings) -> None:
    """DP-09: a fresh installation has no Art. 9 group enabled."""
    settings.REGISTRY_ART9_GROUPS = []
    pages = _pages(world, world.client(world.dora))
    for name, body in pages.items():
        assert SEEDED_HEALTH not in body, name
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied from the service
        services.fieldgroup_save(
            acting_user=world.dora,
            case=world.case,
            group="gesundheit",
            data={},
            legal_basis=LegalBasis.ART9_2_B,
        )


def test_default_configuration_snapshot() -> None:
    """DP-09 snapshot: Art. 9 groups enabled by default = 0; a role not in the table has no permissions."""
    from django.conf import settings as django_settings

    from teilhabe.accounts.roles import ROLE_PERMISSIONS, permissions_for

    assert django_settings.REGISTRY_ART9_GROUPS == []
    assert permissions_for("neue_rolle") == frozenset()
    art9 = {g.read_permission for g in FIELD_GROUPS.values() if g.is_art9}
    holders = sorted(role for role, perms in ROLE_PERMISSIONS.items() if perms & art9)
    assert holders == ["fallaufsicht"]


def test_search_results_carry_no_group_values(world: World) -> None:
    body = _pages(world, world.client(world.p.alice))["search"]
    assert SEEDED_AZR not in body and "Walzblechkunde" not in body


def test_azr_number_needs_azr_permission(world: World) -> None:
    assert SEEDED_AZR in _pages(world, world.client(world.p.alice))["export"]
    from teilhabe.accounts import roles

    original = roles.ROLE_PERMISSIONS[roles.Role.FALLBEARBEITUNG]
    roles.ROLE_PERMISSIONS[roles.Role.FALLBEARBEITUNG] = original - {"azr.read"}
    try:
        body = _pages(world, world.client(world.p.alice))["export"]
    finally:
        roles.ROLE_PERMISSIONS[roles.Role.FALLBEARBEITUNG] = original
    assert SEEDED_AZR not in body
    assert "aufenthalt" in json.loads(body)["groups"]


def test_organisation_kind_limits_groups(world: World) -> None:
    """The Ausländerbehörde holds no health or housing records (holders in FIELD_GROUPS); employment only as
    received under § 71 Abs. 2 SGB X (decision 0010), and it cannot write it."""
    from teilhabe.registry.access import readable_groups, writable_groups

    groups = readable_groups(world.erik, world.p.org_b)
    assert "gesundheit" not in groups and "wohnen" not in groups and "aufenthalt" in groups
    assert "beschaeftigung" in groups and "beschaeftigung" not in writable_groups(world.erik, world.p.org_b)
