"""Every public page type in every public language (issue 13, items 1 and "Show").

* the language-purity walk (marked ``walk``): no platform text (catalogue, templates, charts) in another
  language than the page's, outside parts marked with their own ``lang``;
* axe WCAG 2.1 A/AA in Chromium (marked ``browser``) on every page type in all seven languages.

Both run in the PostgreSQL run only (conftest).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from teilhabe.indicators.tests.conftest import catalogue, data  # noqa: F401 - fixtures
from teilhabe.indicators.tests.test_i18n import wrong_language

LANGS = ["de", "en", "ar", "fa", "uk", "ru", "tr"]


@pytest.fixture
def site(data: list[str], personas: Any) -> list[str]:  # noqa: F811 - fixture
    """Public page paths (German form) with content behind each page type."""
    from teilhabe.directory.tests.helpers import make_event, make_location, make_offer

    location = make_location(personas.org_a)
    offer = make_offer(personas.org_a, title="Deutschkurs am Abend", location=location, contact_phone="03984 2000")
    make_event(personas.org_a, offer=offer)
    return [
        "/",
        "/monitoring/",
        "/monitoring/indikator/DEM-01/",
        f"/monitoring/gemeinde/{data[0]}/",
        "/gemeinden/",
        f"/gemeinden/{data[0]}/",
        "/angebote/",
        f"/angebote/{offer.pk}/",
        "/angebote/vorschlagen/",
        "/angebote/veranstaltungen/",
        "/berichte/",
        "/rechtliches/impressum/",
        "/rechtliches/datenschutz/",
        "/rechtliches/barrierefreiheit/",
        "/barriere-melden/",
        "/datenquellen/",
        "/offene-daten/",
        "/leichte-sprache/",
    ]


def _localized(path: str, lang: str) -> str:
    return path if lang == "de" else f"/{lang}{path}"


@pytest.mark.walk
@pytest.mark.django_db
def test_language_purity_walk(client: Client, site: list[str]) -> None:
    problems = []
    for lang in LANGS:
        for path in site:
            response = client.get(_localized(path, lang))
            assert response.status_code == 200, (lang, path)
            html = response.content.decode()
            assert f'<html lang="{lang}"' in html, (lang, path)
            problems += [f"{lang} {path}: {found}" for found in wrong_language(html, lang)]
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", LANGS)
def test_axe_clean_on_every_page_type(page, live_server, site: list[str], lang: str) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    options = {
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"],
    }
    failures = []
    for path in site:
        page.goto(live_server.url + _localized(path, lang))
        result = Axe().run(page, options=options)
        if result.violations_count:
            failures.append(f"{lang} {path}:\n{result.generate_report()}")
    assert failures == [], "\n".join(failures)
