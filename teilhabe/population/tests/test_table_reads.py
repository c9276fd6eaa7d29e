"""The tables page reads its imports and area names with fixed statements (decision 0176): the same rows as the
querysets for every reader, and current data on every request (a new import, a revoked membership or release,
a renamed area show on the next request)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db.models import Value
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from teilhabe.accounts.models import Membership, Organisation, OrganisationKind
from teilhabe.accounts.roles import Role
from teilhabe.core.testing import login_verified, make_user
from teilhabe.population import selectors, table_reads
from teilhabe.population.access import scope_for
from teilhabe.population.models import GemeindeRelease
from teilhabe.population.tests.helpers import AGS
from teilhabe.population.tests.test_gemeinde_access import _release, world  # noqa: F401 - fixture
from teilhabe.population.tests.test_publication import _import
from teilhabe.regions.models import Gemeinde, Planungsraum

pytestmark = [pytest.mark.usefixtures("regions"), pytest.mark.both_databases]


def _row(i: Any) -> tuple[Any, ...]:
    return (
        i.pk,
        i.owner_id,
        i.owner.name,
        i.kreis_ags,
        i.stichtag,
        i.status,
        i.committed_at,
        i.published_at,
        i.created_at,
    )


def _queryset_imports(user: Any) -> list[tuple[Any, ...]]:
    scope = scope_for(user)
    return [_row(i) for i in selectors.committed_imports(scope.imports(user)).select_related("owner")]


def _statement_imports(user: Any) -> list[tuple[Any, ...]]:
    return [_row(i) for i in table_reads.committed_imports(user, scope_for(user))]


def test_every_reader_gets_the_imports_the_queryset_gives(
    world: dict[str, Any],  # noqa: F811 - fixture
    personas: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _import(personas, world["statistik"], date(2024, 12, 31), django_capture_on_commit_callbacks)
    # an import of another organisation, read only by that organisation's statistics office
    elsewhere = Organisation.objects.create(name="Amt Gartz", kind=OrganisationKind.SONSTIGE)
    other_office = make_user("otto", elsewhere, Role.STATISTIK)
    other = _import(personas, world["statistik"], date(2023, 12, 31), django_capture_on_commit_callbacks)
    type(other).objects.filter(pk=other.pk).update(owner=elsewhere)
    _release(world)
    readers = [world["statistik"], world["clerk"], other_office, personas.alice, personas.kreisadmin]
    seen = {}
    for reader in readers:
        expected = _queryset_imports(reader)
        assert _statement_imports(reader) == expected, reader.username
        seen[reader.username] = len(expected)
    assert seen["otto"] == 1 and seen["stefanie"] >= 2 and seen["gemeinde1"] >= 2 and seen["alice"] == 0
    assert isinstance(
        table_reads.committed_imports(world["statistik"], scope_for(world["statistik"]))[0].stichtag, date
    )


def test_area_names_match_the_queryset(world: dict[str, Any]) -> None:  # noqa: F811 - fixture
    Planungsraum.objects.create(gemeinde_id=AGS, code="01", name="Altstadt", owner=world["town"])
    Planungsraum.objects.create(gemeinde_id=AGS, code="02", name="Neustadt", owner=world["town"])
    kreis = str(Gemeinde.objects.get(ags=AGS).kreis_id)
    gemeinden = dict(Gemeinde.objects.filter(kreis_id=kreis).values_list("ags", "name"))
    names = {
        f"{g}:{c}": n
        for _k, g, c, n in Planungsraum.objects.filter(gemeinde_id=AGS)
        .annotate(kind=Value("p"))
        .values_list("kind", "gemeinde_id", "code", "name")
    }
    assert table_reads.area_names(kreis, [f"{AGS}:01", f"{AGS}:02"]) == (gemeinden, names)
    assert table_reads.area_names(kreis, []) == (gemeinden, {})
    assert len(gemeinden) > 5


def _url(**params: str) -> str:
    return reverse("population:tables") + "?" + urlencode(params)


def test_revocations_take_effect_on_the_next_request(world: dict[str, Any]) -> None:  # noqa: F811 - fixture
    release = _release(world, GemeindeRelease.Scope.GEMEINDE)
    office = login_verified(Client(), world["statistik"])
    clerk = login_verified(Client(), world["clerk"])
    assert office.get(_url(ebene="gemeinde", gebiet=AGS, lauf="1")).status_code == 200
    assert clerk.get(_url(ebene="gemeinde", gebiet=AGS, lauf="1")).status_code == 200
    Membership.objects.filter(user=world["statistik"]).update(is_active=False)
    assert office.get(_url(ebene="gemeinde", gebiet=AGS, lauf="2")).status_code == 403
    GemeindeRelease.objects.filter(pk=release.pk).update(revoked_at=timezone.now())
    assert clerk.get(_url(ebene="gemeinde", gebiet=AGS, lauf="2")).status_code in (302, 404)


def test_a_renamed_gemeinde_shows_on_the_next_request(world: dict[str, Any]) -> None:  # noqa: F811 - fixture
    office = login_verified(Client(), world["statistik"])
    assert office.get(_url(ebene="gemeinde", gebiet=AGS, lauf="1")).status_code == 200
    Gemeinde.objects.filter(ags=AGS).update(name="Umbenannt an der Welse")
    assert "Umbenannt an der Welse" in office.get(_url(ebene="gemeinde", gebiet=AGS, lauf="2")).content.decode()
