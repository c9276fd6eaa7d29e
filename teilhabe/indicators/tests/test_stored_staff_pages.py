"""The staff indicator page stores its body (charts, tables, ranking) under a key of its own and renders only
the action bar (CSRF token, publication state) and the shell per request (issue 17, staff pages). Access is
checked on every request; publishing and recomputations change what is shown."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from teilhabe.accounts.roles import Role
from teilhabe.core.models import StoredFragment
from teilhabe.core.testing import login_verified, make_user
from teilhabe.indicators import prerender, views
from teilhabe.indicators.compute import recompute_for_change
from teilhabe.indicators.models import Indicator
from teilhabe.indicators.tests.conftest import CUSTOM_INDICATOR_FORM, put
from teilhabe.indicators.tests.test_stored_pages import KREIS, _forbidden, published  # noqa: F401 - fixture
from teilhabe.regions.models import Kreis

pytestmark = pytest.mark.both_databases
BODY = "indicators/_detail_body.html"


def _staff_key(code: str) -> str:
    indicator = Indicator.objects.get(code=code)
    with translation.override("de"):
        return views.body_key(BODY, "staff", code, "", "", indicator.updated_at.isoformat())


def _url(code: str, lauf: int) -> str:
    return reverse("indicators_staff:indicator", args=[code]) + f"?lauf={lauf}"


def test_the_staff_body_is_stored_without_token_and_reused(
    published: list[str],  # noqa: F811 - fixture
    statistik: Any,
    django_assert_max_num_queries: Any,
) -> None:
    prerender.prerender_public(["de"])
    client = login_verified(Client(), statistik)
    first = client.get(_url("ARB-01", 1))
    assert first.status_code == 200
    stored = StoredFragment.objects.get(key=_staff_key("ARB-01")).html
    assert "csrfmiddlewaretoken" not in stored and views.STAFF_ACTIONS_MARK in stored
    public = Client().get(reverse("indicators:indicator", args=["ARB-01"])).content.decode()
    assert "veroeffentlichung" not in public  # the public page never gets the staff body
    stack, guard = _forbidden()
    # session, user, device, memberships (middleware); the indicator; the Kreis name (header); the body and the
    # chart come from this process's map. Before decision 0176 also the full Kreis row: 8.
    with stack, django_assert_max_num_queries(7):
        second = client.get(_url("ARB-01", 2))
    assert second.status_code == 200 and guard.call_count == 0  # nothing computed or drawn on request
    html = second.content.decode()
    assert html.count('name="csrfmiddlewaretoken"') >= 2  # action bar and logout, rendered per request
    assert "Status: veröffentlicht" in html and views.STAFF_ACTIONS_MARK not in html


def test_publishing_and_recomputing_change_the_staff_page(
    published: list[str],  # noqa: F811 - fixture
    statistik: Any,
    personas: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = login_verified(Client(), statistik)
    before = client.get(_url("ARB-01", 1)).content.decode()
    key_before = _staff_key("ARB-01")
    assert "Status: veröffentlicht" in before
    client.post(reverse("indicators_staff:indicator_publish", args=["ARB-01"]), {"publish": "0"})
    assert "Status: intern" in client.get(_url("ARB-01", 2)).content.decode()
    put("ba_beschaeftigte_auslaender", published[0], 2024, 55, personas.landkreis)
    connection.run_on_commit = [e for e in connection.run_on_commit if e[1] is not prerender._enqueue]
    with django_capture_on_commit_callbacks(execute=False):
        recompute_for_change(
            kreis=Kreis.objects.get(ags=KREIS),
            changes=[("ba_beschaeftigte_auslaender", "gemeinde", published[0], 2024)],
        )
    key_after = _staff_key("ARB-01")
    assert key_after != key_before and not StoredFragment.objects.filter(key=key_after).exists()
    assert client.get(_url("ARB-01", 3)).status_code == 200
    assert StoredFragment.objects.get(key=key_after).html != StoredFragment.objects.get(key=key_before).html


def test_a_stored_custom_indicator_stays_closed_to_other_organisations(
    published: list[str],  # noqa: F811 - fixture
    personas: Any,
) -> None:
    owner = make_user("kora", personas.org_b, Role.KOORDINATION)
    other = make_user("gerd", personas.org_a, Role.GEMEINDE)
    client = login_verified(Client(), owner)
    form = {"organisation": personas.org_b.pk, **CUSTOM_INDICATOR_FORM}
    with mock.patch("teilhabe.indicators.prerender._enqueue"):
        assert client.post(reverse("indicators_staff:indicator_create"), form).status_code == 302
    assert client.get(_url("KR-01", 1)).status_code == 200
    assert StoredFragment.objects.filter(key=_staff_key("KR-01")).exists()
    reader = login_verified(Client(), other)
    assert reader.get(_url("KR-01", 2)).status_code == 404
    assert reader.get(_url("ARB-01", 3)).status_code == 200  # a catalogue indicator: open to every reader
    assert Client().get(_url("KR-01", 4)).status_code == 302  # not logged in: to the login


def test_the_indicator_statement_admits_exactly_the_visible_indicators(
    published: list[str],  # noqa: F811 - fixture
    personas: Any,
) -> None:
    """``get_indicator_for_user`` reads by a fixed statement and checks ``is_visible_to`` (decision 0176): the same
    answer as ``Indicator.objects.visible_to(user)`` for every reader and kind of indicator."""
    from django.http import Http404
    from django.test import RequestFactory

    from teilhabe.accounts.models import User
    from teilhabe.indicators.staff_views import get_indicator_for_user

    codes = list(Indicator.objects.order_by("code").values_list("code", flat=True)[:3])
    Indicator.objects.filter(code=codes[0]).update(is_custom=True, owner=personas.org_b, is_published=False)
    Indicator.objects.filter(code=codes[1]).update(is_custom=True, owner=personas.org_a, is_published=True)
    make_user("kora", personas.org_b, Role.KOORDINATION)
    make_user("gerd", personas.org_a, Role.GEMEINDE)
    for user in User.objects.all():
        request = RequestFactory().get("/")
        request.user = user
        visible = set(Indicator.objects.visible_to(user).values_list("code", flat=True))
        for code in codes:
            try:
                found = get_indicator_for_user(request, code)
            except Http404:
                assert code not in visible, (user.username, code)
            else:
                assert code in visible and found == Indicator.objects.get(code=code), (user.username, code)
                assert found.categories == Indicator.objects.get(code=code).categories
    assert codes[0] not in set(
        Indicator.objects.visible_to(User.objects.get(username="gerd")).values_list("code", flat=True)
    )
