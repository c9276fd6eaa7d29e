"""The staff tables page stores its body (form, series, chart, tables) as HTML keyed by what it shows, and renders
only the staff shell per request (issue 17, staff pages): the scope check, the selection and the audit event
still run on every request; a new import or a new scope gets its own body."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.roles import Role
from teilhabe.audit.models import AuditEvent
from teilhabe.audit.services import verify_chain
from teilhabe.core.testing import login_verified, make_user
from teilhabe.population import table_pages
from teilhabe.population.tests.helpers import AGS
from teilhabe.population.tests.test_gemeinde_access import _release, world  # noqa: F401 - fixture
from teilhabe.population.tests.test_publication import _import

pytestmark = [pytest.mark.usefixtures("regions"), pytest.mark.both_databases]

BODY_TEMPLATE = "population/_tables_content.html"


@pytest.fixture
def statistik(personas: Any) -> Any:
    return make_user("stefanie", personas.landkreis, Role.STATISTIK)


def _url(**params: str) -> str:
    return reverse("population:tables") + "?" + urlencode(params)


def _templates(response: Any) -> list[str]:
    return [t.name for t in response.templates]


def test_the_stored_body_is_reused_and_every_view_is_still_audited(
    personas: Any, statistik: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _import(personas, statistik, date(2024, 12, 31), django_capture_on_commit_callbacks)
    client = login_verified(Client(), statistik)
    audited = AuditEvent.objects.filter(purpose="Bevölkerungstabellen").count()
    first = client.get(_url(ebene="gemeinde", gebiet=AGS, lauf="1"))
    second = client.get(_url(ebene="gemeinde", gebiet=AGS, lauf="2"))
    assert first.status_code == second.status_code == 200
    assert BODY_TEMPLATE in _templates(first)
    assert BODY_TEMPLATE not in _templates(second)  # read from the store, not rendered again
    assert first.context["content"] == second.context["content"]
    assert "Bevölkerung nach Altersgruppe" in second.content.decode()
    assert 'name="csrfmiddlewaretoken"' in second.content.decode()  # the shell is rendered per request
    assert AuditEvent.objects.filter(purpose="Bevölkerungstabellen").count() == audited + 2
    _count, problems = verify_chain()
    assert problems == []


def test_a_stored_table_page_needs_few_queries(
    personas: Any, statistik: Any, django_capture_on_commit_callbacks: Any, django_assert_max_num_queries: Any
) -> None:
    _import(personas, statistik, date(2024, 12, 31), django_capture_on_commit_callbacks)
    client = login_verified(Client(), statistik)
    assert client.get(_url(ebene="gemeinde", gebiet=AGS, lauf="1")).status_code == 200
    # session, user, device, memberships; imports, area names (one query); audit event (previous hash, insert,
    # the savepoint pair, and the chain lock on PostgreSQL); Kreis name; the body from this process's map.
    # Before the body was stored: 22 (and 24 counting the savepoints) on PostgreSQL.
    with django_assert_max_num_queries(12):
        assert client.get(_url(ebene="gemeinde", gebiet=AGS, lauf="2")).status_code == 200


def test_a_new_import_changes_the_stored_page(
    personas: Any, statistik: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _import(personas, statistik, date(2023, 12, 31), django_capture_on_commit_callbacks)
    client = login_verified(Client(), statistik)
    url = _url(stichtag="2023-12-31", ebene="gemeinde", gebiet=AGS)
    before = client.get(url)
    assert "31.12.2023" in before.content.decode() and "31.12.2024" not in before.content.decode()
    assert BODY_TEMPLATE not in _templates(client.get(url))
    _import(personas, statistik, date(2024, 12, 31), django_capture_on_commit_callbacks)
    after = client.get(url)
    # the same selection: the body is built again and now lists (and charts) the new Stichtag
    assert BODY_TEMPLATE in _templates(after)
    assert "31.12.2024" in after.content.decode()
    assert after.context["content"] != before.context["content"]


def test_each_scope_gets_its_own_body_and_the_scope_is_checked_on_every_request(
    world: dict[str, Any],  # noqa: F811 - fixture
) -> None:
    _release(world)
    office = login_verified(Client(), world["statistik"])
    clerk = login_verified(Client(), world["clerk"])
    params = {"ebene": "gemeinde", "gebiet": AGS}
    seen_by_office = office.get(_url(**params))
    seen_by_clerk = clerk.get(_url(**params))
    assert seen_by_office.status_code == seen_by_clerk.status_code == 200
    # the clerk's body was built for the Gemeinde's scope, not taken from the office's stored body
    assert BODY_TEMPLATE in _templates(seen_by_clerk)
    assert seen_by_office.context["content"] != seen_by_clerk.context["content"]
    tables = table_pages.tables_html(seen_by_office.context["imp"], "gemeinde", AGS)
    assert tables in seen_by_office.context["content"] and tables in seen_by_clerk.context["content"]
    # an area outside the Gemeinde's scope stays 404 although the office's body for it is stored
    other = {"ebene": "gemeinde", "gebiet": next(a for a in _office_gemeinden(seen_by_office) if a != AGS)}
    assert office.get(_url(**other)).status_code == 200
    assert clerk.get(_url(**other)).status_code == 404
    assert clerk.get(_url(ebene="kreis")).status_code == 200  # not the Kreis: corrected to the own Gemeinde
    assert clerk.get(_url(ebene="kreis")).context["area"] == AGS


def _office_gemeinden(response: Any) -> list[str]:
    import re

    return re.findall(r'<option value="(\d{8})"', response.context["content"])


def test_without_permission_there_is_no_table_page(personas: Any, django_capture_on_commit_callbacks: Any) -> None:
    statistik = make_user("stefanie", personas.landkreis, Role.STATISTIK)
    _import(personas, statistik, date(2024, 12, 31), django_capture_on_commit_callbacks)
    assert login_verified(Client(), statistik).get(_url(ebene="gemeinde", gebiet=AGS)).status_code == 200
    editor = make_user("redakteur", personas.landkreis, Role.REDAKTION)
    response = login_verified(Client(), editor).get(_url(ebene="gemeinde", gebiet=AGS))
    assert response.status_code in (302, 403)
    assert "Bevölkerung nach Altersgruppe" not in response.content.decode()
    anonymous = Client().get(_url(ebene="gemeinde", gebiet=AGS))
    assert anonymous.status_code == 302 and "Bevölkerung nach Altersgruppe" not in anonymous.content.decode()


def test_renaming_a_planungsraum_changes_the_stored_page(world: dict[str, Any], personas: Any) -> None:  # noqa: F811
    from teilhabe.regions.models import Planungsraum

    planungsraum = Planungsraum.objects.create(gemeinde_id=AGS, code="01", name="Altstadt", owner=personas.landkreis)
    office = login_verified(Client(), world["statistik"])
    url = _url(ebene="planungsraum", gebiet=f"{AGS}:01")
    first = office.get(url).content.decode()
    assert "Altstadt" in first and ">Planungsraum 01<" not in first
    assert "Altstadt" in office.get(_url(ebene="gemeinde", gebiet=AGS)).content.decode()  # in the area list
    planungsraum.name = "Neustadt"
    planungsraum.save()
    renamed = office.get(url).content.decode()
    assert "Neustadt" in renamed and "Altstadt" not in renamed
