"""The tables page reads the area's tables as HTML stored right after the joint disclosure decision (issue 17):
no disclosure computation and no table rendering on request; a new import renders only its own tables."""

from __future__ import annotations

from datetime import date
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.roles import Role
from teilhabe.core import fragments
from teilhabe.core.testing import login_verified, make_user
from teilhabe.population import table_pages
from teilhabe.population.models import PublishedTable
from teilhabe.population.tests.helpers import AGS
from teilhabe.population.tests.test_publication import _import

pytestmark = pytest.mark.usefixtures("regions")


@pytest.fixture
def statistik(personas: Any) -> Any:
    return make_user("stefanie", personas.landkreis, Role.STATISTIK)


def _areas(register_import: Any) -> set[tuple[str, str]]:
    return set(PublishedTable.objects.filter(register_import=register_import).values_list("level", "area"))


def test_tables_page_reads_stored_html(
    personas: Any,
    statistik: Any,
    django_capture_on_commit_callbacks: Any,
    client: Client,
) -> None:
    register_import = _import(personas, statistik, date(2024, 12, 31), django_capture_on_commit_callbacks)
    rendered = table_pages.prerender(register_import)
    assert rendered == len(_areas(register_import)) > 0
    fragments.forget_local()
    login_verified(client, statistik)
    forbidden = mock.Mock(side_effect=AssertionError("rendered or decided on request"))
    with (
        mock.patch("teilhabe.population.table_pages._render", forbidden),
        mock.patch("teilhabe.population.joint.decide", forbidden),
        mock.patch("teilhabe.lib.disclosure.protect_table", forbidden),
    ):
        response = client.get(reverse("population:tables") + f"?ebene=gemeinde&gebiet={AGS}&lauf=7")
    assert response.status_code == 200 and forbidden.call_count == 0
    assert "Bevölkerung nach Altersgruppe" in response.content.decode()


def test_a_new_import_renders_only_its_own_tables(
    personas: Any,
    statistik: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    first = _import(personas, statistik, date(2023, 12, 31), django_capture_on_commit_callbacks)
    assert table_pages.prerender(first) > 0
    second = _import(personas, statistik, date(2024, 12, 31), django_capture_on_commit_callbacks)
    # The first Stichtag's stored HTML is still current; only the new import's areas are rendered.
    assert table_pages.prerender(first) == 0
    assert table_pages.prerender(second) == len(_areas(second))
