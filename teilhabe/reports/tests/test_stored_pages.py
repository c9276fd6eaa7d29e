"""Pages of a published report edition are rendered once into the fragment store and read from it (issue 17)."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from teilhabe.core import fragments
from teilhabe.reports import services
from teilhabe.reports.models import BuildStatus, ReportBuild
from teilhabe.reports.views import prerender_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(edition: Any) -> ReportBuild:
    build = services.build_request(acting_user=None, edition=edition, enqueue=False)
    build = services.run_build(build.pk)
    assert build.status == BuildStatus.DONE, build.error
    return build


def test_published_edition_pages_come_from_the_store(edition: Any, built: ReportBuild) -> None:
    from django.test import RequestFactory

    services.edition_publish(acting_user=None, edition=edition, build=built)
    jobs = prerender_jobs(lambda path: RequestFactory().get(path))
    for _description, call in jobs:
        call()
    fragments.forget_local()
    forbidden = mock.Mock(side_effect=AssertionError("built on request"))
    client = Client()
    with (
        mock.patch("teilhabe.reports.views.build_content", forbidden),
        mock.patch("teilhabe.reports.views.section_charts", forbidden),
        mock.patch("vl_convert.vegalite_to_svg", forbidden),
    ):
        overview = client.get(reverse("reports:edition", args=[edition.slug]) + "?lauf=1")
        chapter = client.get(reverse("reports:chapter", args=[edition.slug, "e"]))
        methods = client.get(reverse("reports:methods", args=[edition.slug]))
    assert forbidden.call_count == 0
    assert [overview.status_code, chapter.status_code, methods.status_code] == [200, 200, 200]
    text = chapter.content.decode()
    assert "Die Beschäftigung steigt." in text and "<svg" in text and "<title>" in text
    assert edition.title in overview.content.decode().split("<title>")[1].split("</title>")[0]
    assert client.get(reverse("reports:chapter", args=[edition.slug, "z"])).status_code == 404
