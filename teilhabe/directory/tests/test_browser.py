"""Chromium: search, filter, Arabic (RTL), proposal → moderation → published; axe on public pages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from teilhabe.accounts.roles import Role
from teilhabe.core.testing import login_verified, make_user
from teilhabe.directory import services
from teilhabe.directory.tests.helpers import make_event, make_location, make_offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory(personas):
    services.profile_save(
        acting_user=None,
        organisation=personas.org_a,
        data={
            "description": "Beratung und Vermittlung",
            "is_public": True,
            "is_mso": False,
            "languages": ["de", "ar"],
        },
    )
    location = make_location(personas.org_a)
    offer = make_offer(personas.org_a, title="Deutschkurs am Abend", location=location)
    services.translation_save(
        acting_user=None,
        obj=offer,
        language="ar",
        data={"title": "دورة لغة ألمانية مسائية", "summary": "تعلم الألمانية"},
    )
    make_offer(personas.org_a, title="Fußball für alle", offer_type="leisure", is_free=True, languages=["de"])
    make_event(personas.org_a, offer=offer)
    return offer


# The issue asks for WCAG 2.1 AA: run exactly those rule sets. (The shared header in base.html trips the
# best-practice rule "region", which is not a WCAG criterion and outside this app.)
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def assert_accessible(page) -> None:
    result = Axe().run(page, options=WCAG_21_AA)
    assert result.violations_count == 0, result.generate_report()


def switch_language(page, code: str) -> None:
    page.click(f".language-switch a[hreflang={code}]")
    page.wait_for_load_state()


def test_search_filter_detail_and_axe_in_german_and_arabic(live_server, page, directory, personas) -> None:
    page.goto(live_server.url + reverse("directory:search"))
    assert_accessible(page)
    page.fill("#id_q", "Deutschkurs")
    page.click(".directory-filters button[type=submit]")
    assert "q=Deutschkurs" in page.url  # shareable address
    assert page.locator(".directory-card").count() == 1
    page.goto(live_server.url + reverse("directory:search") + "?typ=leisure")
    assert page.locator(".directory-card").count() == 1
    assert "Fußball für alle" in page.inner_text(".directory-cards")
    page.goto(live_server.url + reverse("directory:offer", args=[directory.pk]))
    assert_accessible(page)
    switch_language(page, "ar")
    assert page.get_attribute("html", "dir") == "rtl"
    assert "دورة لغة ألمانية مسائية" in page.inner_text("h1")
    assert_accessible(page)
    page.goto(live_server.url + reverse("directory:search"))
    assert page.get_attribute("html", "dir") == "rtl"
    assert_accessible(page)
    for name, args in [
        ("directory:events", []),
        ("directory:organisation", [personas.org_a.pk]),
        ("directory:propose", []),
    ]:
        page.goto(live_server.url + reverse(name, args=args))
        assert page.get_attribute("html", "dir") == "rtl"
        assert_accessible(page)
    switch_language(page, "de")
    for name, args in [
        ("directory:events", []),
        ("directory:organisation", [personas.org_a.pk]),
        ("directory:propose", []),
        ("directory:propose_change", [directory.pk]),
    ]:
        page.goto(live_server.url + reverse(name, args=args))
        assert_accessible(page)


def test_propose_moderate_publish(live_server, page, personas, client) -> None:
    page.goto(live_server.url + reverse("directory:propose"))
    page.fill("#id_title", "Offener Spieleabend")
    page.select_option("#id_offer_type", "leisure")
    page.fill("#id_description", "Brettspiele für alle Generationen.")
    page.check("#id_is_free")
    page.click(".proposal-form button[type=submit]")
    page.wait_for_load_state()
    assert "/angebote/" in page.url
    assert page.locator(".kern-alert--success").count() == 1

    moderator = make_user("redaktion", personas.landkreis, Role.REDAKTION)
    login_verified(client, moderator)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + reverse("directory_staff:submissions"))
    page.click("text=Offener Spieleabend")
    page.fill("#id_message", "Vielen Dank!")
    page.click("button[value=approve]")
    page.wait_for_load_state()
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("directory:search") + "?q=Spieleabend")
    assert "Offener Spieleabend" in page.inner_text(".directory-cards")
