"""Public monitoring pages answer from HTML stored when their data changed (issue 17): no chart is drawn and
no disclosure is computed on request, and a recomputation invalidates exactly the pages whose data changed."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from teilhabe.core import fragments
from teilhabe.core.models import StoredFragment
from teilhabe.indicators import prerender, views
from teilhabe.indicators.compute import compute, recompute_for_change
from teilhabe.indicators.models import Indicator
from teilhabe.indicators.tests.conftest import put
from teilhabe.regions.models import Gemeinde, Kreis

KREIS = "12073"
FORBIDDEN = (
    "vl_convert.vegalite_to_svg",
    "teilhabe.indicators.dashboard.indicator_view",
    "teilhabe.indicators.dashboard.gemeinde_profile",
    "teilhabe.indicators.dashboard.overview",
    "teilhabe.indicators.compute.protect_rows",
    "teilhabe.lib.disclosure.protect_table",
    "teilhabe.lib.disclosure.protect_value",
    "teilhabe.lib.disclosure.harden",
)


@pytest.fixture
def published(catalogue: None, personas: Any) -> list[str]:
    """ARB-01 and DEM-01 computed from their own inputs and published."""
    ags = list(Gemeinde.objects.filter(kreis_id=KREIS, is_gemeinde=True).order_by("ags").values_list("ags", flat=True))
    for code in ags:
        put("ba_beschaeftigte_auslaender", code, 2024, 40, personas.landkreis)
        put("ew_auslaender_15_65", code, 2024, 100, personas.landkreis)
        put("ew_auslaender", code, 2024, 120, personas.landkreis)
        put("ew_gesamt", code, 2024, 1000, personas.landkreis)
    compute(kreis=Kreis.objects.get(ags=KREIS))
    Indicator.objects.filter(code__in=["ARB-01", "DEM-01"]).update(is_published=True)
    return ags


def _forbidden() -> tuple[ExitStack, mock.Mock]:
    guard = mock.Mock(side_effect=AssertionError("built on request"))
    stack = ExitStack()
    for target in FORBIDDEN:
        stack.enter_context(mock.patch(target, guard))
    return stack, guard


def _urls(ags: str) -> list[str]:
    return [
        reverse("indicators:index"),
        reverse("indicators:indicator", args=["ARB-01"]) + "?lauf=1",  # an unrelated parameter: same page
        reverse("indicators:indicator", args=["DEM-01"]),
        reverse("indicators:gemeinde", args=[ags]) + "?lauf=2",
    ]


def test_prerendered_pages_draw_no_chart_and_compute_no_disclosure(published: list[str], client: Client) -> None:
    prerender.prerender_public(["de", "en"])
    fragments.forget_local()  # read from the database, as a fresh worker would
    stack, guard = _forbidden()
    with stack:
        pages = [client.get(url) for url in _urls(published[0])]
        english = client.get("/en" + reverse("indicators:indicator", args=["ARB-01"]))
    assert [p.status_code for p in pages] == [200, 200, 200, 200] and english.status_code == 200
    assert guard.call_count == 0
    detail = pages[1].content.decode()
    assert detail.count("<svg") >= 2 and 'role="img"' in detail  # time series and map, stored
    assert "<svg" in english.content.decode() and english.content != pages[1].content


def test_a_recomputation_invalidates_exactly_what_changed(
    published: list[str], personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    prerender.prerender_public(["de"])

    def keys() -> dict[str, str]:
        with translation.override("de"):
            result = {}
            for code in ("ARB-01", "DEM-01"):
                ind = Indicator.objects.get(code=code)
                result[code] = views.body_key("indicators/_detail_body.html", code, "", "", ind.updated_at.isoformat())
            result["index"] = views.body_key("indicators/_index_body.html", views.data_version())
            result["profile"] = views.body_key("indicators/_profile_body.html", published[0], views.data_version())
            return result

    before = keys()
    assert StoredFragment.objects.filter(key__in=before.values()).count() == 4
    # A new source value of ARB-01's numerator only: ARB-01 is recomputed, DEM-01 is not.
    put("ba_beschaeftigte_auslaender", published[0], 2024, 55, personas.landkreis)
    # The fixture's computation queued a job in the test's (never committed) transaction; start afresh.
    connection.run_on_commit = [e for e in connection.run_on_commit if e[1] is not prerender._enqueue]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        recompute_for_change(
            kreis=Kreis.objects.get(ags=KREIS),
            changes=[("ba_beschaeftigte_auslaender", "gemeinde", published[0], 2024)],
        )
    after = keys()
    assert after["DEM-01"] == before["DEM-01"]  # unchanged data, still served from the store
    assert after["ARB-01"] != before["ARB-01"] and not fragments.exists(after["ARB-01"])
    assert after["index"] != before["index"] and after["profile"] != before["profile"]
    # The same write queued the job that renders the new versions (once, however many values changed).
    assert [c for c in callbacks if c is prerender._enqueue] == [prerender._enqueue]
    prerender.prerender_public(["de"])
    assert all(fragments.exists(k) for k in after.values())
    fragments.forget_local()
    stack, guard = _forbidden()
    with stack:
        page = Client().get(reverse("indicators:indicator", args=["ARB-01"]))
    assert page.status_code == 200 and guard.call_count == 0


def test_staff_overview_is_not_stored_but_uses_stored_charts(published: list[str], statistik: Any) -> None:
    from teilhabe.core.testing import login_verified

    prerender.prerender_public(["de"])
    stored = StoredFragment.objects.count()
    client = login_verified(Client(), statistik)
    page = client.get(reverse("indicators_staff:index"))
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    assert StoredFragment.objects.count() == stored  # depends on the reader's organisations and permissions


def test_invented_parameters_do_not_fill_the_store(published: list[str], client: Client) -> None:
    client.get(reverse("indicators:indicator", args=["ARB-01"]))
    stored = StoredFragment.objects.count()
    for index in range(3):
        assert client.get(reverse("indicators:indicator", args=["ARB-01"]) + f"?kategorie=x{index}").status_code == 200
        client.get(reverse("indicators:indicator", args=["ARB-01"]) + f"?jahr={10**6 + index}")
    assert StoredFragment.objects.count() == stored
