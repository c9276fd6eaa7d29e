"""Every public page type in every public language (issue 13, items 1 and "Show").

* the language-purity walk (marked ``walk``): no platform text (catalogue, templates, charts, report
  methods, legal starting texts) in another language than the page's, outside parts marked with their own
  ``lang``; and no German block (``lang="de"``) on another language's page unless it is user content
  without a translation (``data-fallback="user"``), a verbatim citation or the language switch;
* axe WCAG 2.1 A/AA in Chromium (marked ``browser``) on every page type in all seven languages.

Both run in the PostgreSQL run only (conftest).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from teilhabe.indicators.tests.conftest import catalogue, data  # noqa: F401 - fixtures
from teilhabe.indicators.tests.test_i18n import german_blocks, wrong_language

LANGS = ["de", "en", "ar", "fa", "uk", "ru", "tr"]


@pytest.fixture
def site(data: list[str], personas: Any) -> list[str]:  # noqa: F811 - fixture
    """Public page paths (German form) with content behind each page type."""
    from teilhabe.directory.tests.helpers import make_event, make_location, make_offer

    location = make_location(personas.org_a)
    offer = make_offer(personas.org_a, title="Deutschkurs am Abend", location=location, contact_phone="03984 2000")
    make_event(personas.org_a, offer=offer)
    report = _published_report(personas)
    goal = _adopted_concept(personas)
    _open_survey(personas)
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
        f"/berichte/{report}/",
        f"/berichte/{report}/kapitel/a/",
        f"/berichte/{report}/methoden/",
        "/konzept/",
        f"/konzept/ziel/{goal}/",
        "/umfragen/leben/",
        "/umfragen/leben/{lang}/",
    ]


def _published_report(personas: Any) -> str:
    """A published edition with DEM-01 and editors' commentary (no PDF: the HTML edition is walked)."""
    from datetime import date

    from django.conf import settings

    from teilhabe.reports import services
    from teilhabe.reports.models import BuildStatus, ReportBuild
    from teilhabe.reports.snapshot import take_snapshot

    definition = services.definition_create(
        acting_user=None, owner=personas.org_a, kreis_ags=settings.TEILHABE_KREIS, title="Integrationsmonitoring"
    )
    edition = services.edition_create(
        acting_user=None,
        definition=definition,
        title="Integrationsbericht 2024",
        slug="bericht-2024",
        stichtag=date(2024, 12, 31),
        years=[2024],
        summary="## Kernaussagen\n- Erste Aussage",
        indicator_codes=["DEM-01"],
    )
    services.commentary_save(acting_user=None, chapter=edition.chapters.get(theme="A"), text="Der Anteil wächst.")
    build = ReportBuild.objects.create(edition=edition, status=BuildStatus.DONE, snapshot=take_snapshot(edition))
    services.edition_publish(acting_user=None, edition=edition, build=build)
    return edition.slug


def _adopted_concept(personas: Any) -> int:
    """An adopted public concept version with a goal, a target on DEM-01 and a measure."""
    from datetime import date

    from django.conf import settings

    from teilhabe.concept import services
    from teilhabe.indicators.models import Indicator

    concept = services.concept_create(
        acting_user=None, owner=personas.landkreis, kreis_ags=settings.TEILHABE_KREIS, title="Integrationskonzept"
    )
    version = concept.versions.get()
    goal = services.goal_save(
        acting_user=None, field=version.fields.get(theme="A"), changes={"title": "Ankommen erleichtern"}
    )
    services.target_save(
        acting_user=None,
        goal=goal,
        changes={
            "indicator": Indicator.objects.get(code="DEM-01"),
            "baseline_value": 5.0,
            "baseline_year": 2020,
            "target_value": 8.0,
            "target_date": date(2030, 12, 31),
            "direction": "higher",
        },
    )
    services.measure_save(acting_user=None, goal=goal, changes={"title": "Willkommenslotsen", "owner": personas.org_a})
    services.version_adopt(
        acting_user=None, version=version, body="Kreistag", decision_date=date(2025, 3, 12), drucksache="DS 2025/041"
    )
    return goal.pk


def _open_survey(personas: Any) -> None:
    from teilhabe.accounts.roles import Role
    from teilhabe.core.testing import make_user
    from teilhabe.surveys import demo_form, services

    staff = make_user("befragung", personas.org_a, Role.KOORDINATION)
    survey = services.survey_create(staff, owner=personas.org_a, title="Leben im Landkreis", slug="leben", year=2026)
    services.version_upload(staff, survey, file_name="demo.xlsx", data=demo_form.workbook_bytes())
    services.survey_open(staff, survey)


def _localized(path: str, lang: str) -> str:
    path = path.replace("{lang}", lang)  # survey forms carry their language in the address as well
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
            problems += [f"{lang} {path}: German block {found}" for found in german_blocks(html, lang)]
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
