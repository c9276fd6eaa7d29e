"""Published tables are decided once per import and stored: pages read them without disclosure work, and a new
import changes exactly its own Stichtag."""

from __future__ import annotations

from datetime import date
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.roles import Role
from teilhabe.core.testing import login_verified, make_user
from teilhabe.population import services
from teilhabe.population.models import PublishedTable, RegisterImport
from teilhabe.population.tests.helpers import AGS, csv_text, valid_rows

pytestmark = pytest.mark.usefixtures("regions")


@pytest.fixture
def statistik(personas: Any) -> Any:
    return make_user("stefanie", personas.landkreis, Role.STATISTIK)


def _import(personas: Any, user: Any, stichtag: date, capture: Any, n: int = 30, **kwargs: Any) -> RegisterImport:
    register_import = services.register_import_check(
        acting_user=user,
        owner=personas.landkreis,
        data=csv_text(*valid_rows(n, prefix=f"S{stichtag.year}")).encode(),
        filename="a.csv",
        stichtag=stichtag,
    )
    with capture(execute=True):
        services.register_import_commit(acting_user=user, register_import=register_import, **kwargs)
    register_import.refresh_from_db()
    return register_import


def test_tables_appear_only_once_protected(
    personas: Any, statistik: Any, django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    # Queued as a follow-up job on the task worker (database backend): nothing is shown until it has run.
    register_import = _import(
        personas, statistik, date(2024, 12, 31), django_capture_on_commit_callbacks, publish="task"
    )
    assert register_import.published_at is None and not PublishedTable.objects.exists()
    login_verified(client, statistik)
    page = client.get(reverse("population:tables")).content.decode()
    assert "werden gerade gemeinsam geschützt" in page and "Bevölkerung nach Altersgruppe" not in page
    from teilhabe.population.tasks import publish_task

    publish_task.call(str(register_import.pk))
    register_import.refresh_from_db()
    assert register_import.published_at is not None and register_import.disclosure["k"] == 3
    assert "Bevölkerung nach Altersgruppe" in client.get(reverse("population:tables")).content.decode()


def test_rendering_a_published_table_runs_no_disclosure_computation(
    personas: Any,
    statistik: Any,
    django_capture_on_commit_callbacks: Any,
    client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    _import(personas, statistik, date(2024, 12, 31), django_capture_on_commit_callbacks)
    login_verified(client, statistik)
    url = reverse("population:tables") + f"?ebene=gemeinde&gebiet={AGS}"
    client.get(url)
    forbidden = mock.Mock(side_effect=AssertionError("disclosure computed on request"))
    with (
        mock.patch("teilhabe.lib.disclosure.protect_table", forbidden),
        mock.patch("teilhabe.lib.disclosure.harden", forbidden),
        mock.patch("teilhabe.lib.disclosure.recoverable", forbidden),
        mock.patch("teilhabe.lib.disclosure.protect_value", forbidden),
        mock.patch("teilhabe.population.tables.protect_table", forbidden),
        mock.patch("teilhabe.population.joint.protect_table", forbidden),
        mock.patch("teilhabe.population.joint.decide", forbidden),
    ):
        # A constant number of queries (session, user, scope, audit, one for all stored tables, series), not
        # one per table or cell.
        with django_assert_max_num_queries(40):
            response = client.get(url)
        export = client.get(reverse("population:export", args=["csv"]) + f"?ebene=gemeinde&gebiet={AGS}")
        comparison = client.get(reverse("population:comparison"))
    assert response.status_code == 200 and export.status_code == 200 and comparison.status_code == 200
    assert forbidden.call_count == 0
    assert "Bevölkerung nach Altersgruppe" in response.content.decode()


def test_a_new_import_invalidates_exactly_its_own_stichtag(
    personas: Any, statistik: Any, django_capture_on_commit_callbacks: Any
) -> None:
    first = _import(personas, statistik, date(2023, 12, 31), django_capture_on_commit_callbacks)
    kept = sorted(PublishedTable.objects.filter(register_import=first).values_list("pk", "cells"))
    assert kept
    second = _import(personas, statistik, date(2024, 12, 31), django_capture_on_commit_callbacks)
    assert sorted(PublishedTable.objects.filter(register_import=first).values_list("pk", "cells")) == kept
    second_ids = set(PublishedTable.objects.filter(register_import=second).values_list("pk", flat=True))
    assert second_ids
    # Replacing the 2024 extract: its tables are decided again, those of 2023 stay untouched.
    third = _import(personas, statistik, date(2024, 12, 31), django_capture_on_commit_callbacks, n=36)
    second.refresh_from_db()
    assert second.status == RegisterImport.Status.REPLACED
    assert not PublishedTable.objects.filter(pk__in=second_ids).exists()
    assert PublishedTable.objects.filter(register_import=third).exists()
    assert sorted(PublishedTable.objects.filter(register_import=first).values_list("pk", "cells")) == kept


def test_own_indicator_with_min_count_2_never_publishes_below_k(
    personas: Any, statistik: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from teilhabe.indicators.models import Indicator, IndicatorValue
    from teilhabe.indicators.services import catalogue_sync

    catalogue_sync()
    Indicator.objects.update(min_count=2)  # stored below the floor (older release, direct data)
    _import(personas, statistik, date(2024, 12, 31), django_capture_on_commit_callbacks)
    values = IndicatorValue.objects.filter(sources__icontains="register:")
    assert values.exists()
    for value in values.filter(suppression=""):
        for name, number in value.components.items():
            assert not (0 < round(abs(number)) < 3), (value.indicator_id, value.region, name, number)
