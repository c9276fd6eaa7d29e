from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.models import Organisation, OrganisationKind
from teilhabe.accounts.roles import Role
from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import login_verified, make_user
from teilhabe.regions.models import Gemeinde, Planungsraum

pytestmark = pytest.mark.django_db
SQUARE = {"type": "Polygon", "coordinates": [[[14.0, 53.0], [14.1, 53.0], [14.1, 53.1], [14.0, 53.0]]]}


@pytest.fixture
def schwedt(regions: None) -> Organisation:
    organisation = Organisation.objects.create(name="Stadt Schwedt/Oder", kind=OrganisationKind.GEMEINDE)
    organisation.gemeinden.set(Gemeinde.objects.filter(ags="12073532"))
    return organisation


def test_a_gemeinde_adds_a_planungsraum_to_its_own_gemeinde_with_audit(client: Client, schwedt: Organisation) -> None:
    login_verified(client, make_user("gero", schwedt, Role.GEMEINDE))
    response = client.post(
        reverse("regions_staff:planungsraum_create"),
        {"gemeinde": "12073532", "code": "01", "name": "Altstadt", "geometry_text": json.dumps(SQUARE)},
    )
    assert response.status_code == 302
    planungsraum = Planungsraum.objects.get(code="01")
    assert planungsraum.owner == schwedt and planungsraum.geometry == SQUARE
    assert AuditEvent.objects.filter(action="create", object_type="regions.planungsraum", username="gero").exists()


def test_no_planungsraum_in_a_gemeinde_the_organisation_does_not_serve(client: Client, schwedt: Organisation) -> None:
    login_verified(client, make_user("gero", schwedt, Role.GEMEINDE))
    response = client.post(
        reverse("regions_staff:planungsraum_create"), {"gemeinde": "12073008", "code": "01", "name": "X"}
    )
    assert response.status_code == 200 and not Planungsraum.objects.exists()


def test_invalid_geojson_gets_a_clear_german_error(client: Client, schwedt: Organisation) -> None:
    login_verified(client, make_user("gero", schwedt, Role.GEMEINDE))
    response = client.post(
        reverse("regions_staff:planungsraum_create"),
        {"gemeinde": "12073532", "code": "02", "name": "Neustadt", "geometry_text": '{"type": "Point"'},
    )
    assert "Kein gültiges JSON" in response.content.decode()
    response = client.post(
        reverse("regions_staff:planungsraum_create"),
        {
            "gemeinde": "12073532",
            "code": "02",
            "name": "Neustadt",
            "geometry_text": json.dumps({"type": "Point", "coordinates": [1, 2]}),
        },
    )
    assert "Polygon oder MultiPolygon" in response.content.decode()
    assert not Planungsraum.objects.exists()


def test_another_gemeinde_cannot_see_or_edit_it(client: Client, schwedt: Organisation) -> None:
    own = Planungsraum.objects.create(gemeinde_id="12073532", code="01", name="Altstadt", owner=schwedt)
    other = Organisation.objects.create(name="Stadt Prenzlau", kind=OrganisationKind.GEMEINDE)
    other.gemeinden.set(Gemeinde.objects.filter(ags="12073452"))
    login_verified(client, make_user("paula", other, Role.GEMEINDE))
    assert "Altstadt" not in client.get(reverse("regions_staff:planungsraeume")).content.decode()
    assert client.get(reverse("regions_staff:planungsraum_edit", args=[own.pk])).status_code == 404
    assert client.post(reverse("regions_staff:planungsraum_edit", args=[own.pk]), {"name": "X"}).status_code == 404


def test_the_staff_start_page_links_the_planungsraeume_for_gemeinde_staff(
    client: Client, schwedt: Organisation
) -> None:
    login_verified(client, make_user("gero", schwedt, Role.GEMEINDE))
    assert reverse("regions_staff:planungsraeume") in client.get(reverse("staff:home")).content.decode()
