"""Gemeinden see their own published figures, as far as the district releases them (issue 18, product C12)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.models import Organisation, OrganisationKind
from teilhabe.accounts.roles import Role
from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import login_verified, make_user
from teilhabe.population import services, table_pages
from teilhabe.population.models import GemeindeRelease
from teilhabe.population.releases import ReleaseRefused, release_grant
from teilhabe.population.tests.helpers import AGS, OTHER_AGS, csv_text, row, valid_rows
from teilhabe.regions.models import Gemeinde

pytestmark = pytest.mark.usefixtures("regions")


@pytest.fixture
def world(personas: Any, django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    statistik = make_user("stefanie", personas.landkreis, Role.STATISTIK)
    rows = valid_rows(40) + [row(f"PR{i:03d}", ags=AGS, planungsraum="01") for i in range(12)]
    register_import = services.register_import_check(
        acting_user=statistik,
        owner=personas.landkreis,
        data=csv_text(*rows).encode(),
        filename="a.csv",
        stichtag=date(2025, 12, 31),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.register_import_commit(acting_user=statistik, register_import=register_import)
    town = Organisation.objects.create(name="Stadt Angermünde", kind=OrganisationKind.GEMEINDE)
    town.gemeinden.add(Gemeinde.objects.get(ags=AGS))
    clerk = make_user("gemeinde1", town, Role.GEMEINDE)
    return {"statistik": statistik, "town": town, "clerk": clerk}


def _release(world: dict[str, Any], scope: str = GemeindeRelease.Scope.PLANUNGSRAUM) -> GemeindeRelease:
    return release_grant(
        acting_user=world["statistik"],
        organisation=world["town"],
        gemeinde=Gemeinde.objects.get(ags=AGS),
        scope=scope,
        basis="Vereinbarung 2026",
    )


def test_a_gemeinde_without_release_is_told_so_and_sees_no_tables(world: dict[str, Any]) -> None:
    client = login_verified(Client(), world["clerk"])
    home = client.get(reverse("population:home"))
    assert home.status_code == 200
    assert "noch keine Bevölkerungstabellen freigegeben" in home.content.decode()
    assert client.get(reverse("population:tables")).status_code == 302


def test_a_released_gemeinde_sees_exactly_its_published_tables(world: dict[str, Any]) -> None:
    _release(world)
    clerk = login_verified(Client(), world["clerk"])
    office = login_verified(Client(), world["statistik"])
    params = {"ebene": "gemeinde", "gebiet": AGS}
    own = clerk.get(reverse("population:tables"), params)
    assert own.status_code == 200
    # The tables come rendered from the fragment store: the same HTML for the Gemeinde and the office.
    tables = table_pages.tables_html(own.context["imp"], "gemeinde", AGS)
    assert "<table" in tables and tables in own.context["content"]
    assert tables in office.get(reverse("population:tables"), params).context["content"]
    assert clerk.get(reverse("population:tables")).context["area"] == AGS  # default: own Gemeinde
    assert clerk.get(reverse("population:tables"), {"ebene": "gemeinde", "gebiet": OTHER_AGS}).status_code == 404
    assert clerk.get(reverse("population:export", args=["csv"]), params).status_code == 200
    small = clerk.get(reverse("population:tables"), {"ebene": "planungsraum", "gebiet": f"{AGS}:01"})
    assert small.status_code == 200 and small.context["area"] == f"{AGS}:01"
    kreis = clerk.get(reverse("population:tables"), {"ebene": "kreis"})
    assert kreis.context["level"] == "gemeinde" and kreis.context["selection_error"]
    assert clerk.get(reverse("population:comparison")).status_code == 403
    # … and the overview offers no link to it (the office's does)
    comparison = reverse("population:comparison")
    assert comparison not in clerk.get(reverse("population:home")).content.decode()
    assert comparison in office.get(reverse("population:home")).content.decode()


def test_gemeinde_scope_excludes_planungsraeume(world: dict[str, Any]) -> None:
    _release(world, GemeindeRelease.Scope.GEMEINDE)
    clerk = login_verified(Client(), world["clerk"])
    assert clerk.get(reverse("population:tables"), {"ebene": "planungsraum", "gebiet": f"{AGS}:01"}).status_code == 404


def test_revoked_release_ends_access(world: dict[str, Any]) -> None:
    release = _release(world)
    office = login_verified(Client(), world["statistik"])
    office.post(reverse("population:release_withdraw", args=[release.pk]))
    clerk = login_verified(Client(), world["clerk"])
    assert clerk.get(reverse("population:tables"), {"ebene": "gemeinde", "gebiet": AGS}).status_code == 302
    assert AuditEvent.objects.filter(action="population.release_revoke").count() == 1


def test_release_only_to_the_responsible_gemeinde_organisation(world: dict[str, Any], personas: Any) -> None:
    with pytest.raises(ReleaseRefused):
        release_grant(
            acting_user=world["statistik"],
            organisation=world["town"],
            gemeinde=Gemeinde.objects.get(ags=OTHER_AGS),
            scope=GemeindeRelease.Scope.GEMEINDE,
            basis="x",
        )
    with pytest.raises(ReleaseRefused):
        release_grant(
            acting_user=world["statistik"],
            organisation=personas.org_a,
            gemeinde=Gemeinde.objects.get(ags=AGS),
            scope=GemeindeRelease.Scope.GEMEINDE,
            basis="x",
        )
    # The Gemeinde cannot release data to itself.
    clerk = login_verified(Client(), world["clerk"])
    assert clerk.get(reverse("population:releases")).status_code == 403


def test_planungsraum_level_with_a_gemeinde_is_a_form_error_not_404(world: dict[str, Any]) -> None:
    office = login_verified(Client(), world["statistik"])
    response = office.get(reverse("population:tables"), {"ebene": "planungsraum", "gebiet": AGS})
    assert response.status_code == 200
    assert "passen nicht zusammen" in response.content.decode()


def test_an_area_that_does_not_fit_the_level_is_a_form_error_for_every_reader(world: dict[str, Any]) -> None:
    # Found by a tester: the district office got "Kreis insgesamt" without a word for ?gebiet=<Planungsraum>
    # (no level, so the Kreis) and for ?ebene=kreis&gebiet=<Gemeinde>; a Gemeinde clerk got the form error.
    office = login_verified(Client(), world["statistik"])
    for query in ({"gebiet": f"{AGS}:99"}, {"ebene": "kreis", "gebiet": AGS}):
        response = office.get(reverse("population:tables"), query)
        assert response.status_code == 200, query
        assert "passen nicht zusammen" in response.content.decode(), query
    assert "passen nicht zusammen" not in office.get(reverse("population:tables"), {"ebene": "kreis"}).content.decode()


def test_opening_a_post_only_address_explains_instead_of_a_blank_405(world: dict[str, Any]) -> None:
    office = login_verified(Client(), world["statistik"])
    response = office.get(reverse("population:upload"))
    assert response.status_code == 405
    assert "nimmt nur Formulare entgegen" in response.content.decode()
    assert response["Allow"] == "POST"
