"""Chromium on a phone-sized viewport: the form in Arabic and in Ukrainian, skip logic, choice filter,
a constraint error with summary and focus, resumed after a reload, thank-you page; axe finds no WCAG 2.1 AA
violations; the direction is right from the first question."""

from __future__ import annotations

from typing import Any

import pytest

from teilhabe.accounts.roles import Role
from teilhabe.core.testing import make_user
from teilhabe.surveys import demo_form, services
from teilhabe.surveys.models import Response

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}


def _axe(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [f"{v['id']}: {v['help']} {[n['html'][:200] for n in v['nodes']]}" for v in results.response["violations"]]


@pytest.fixture
def survey(personas: Any) -> Any:
    staff = make_user("koordination", personas.org_a, Role.KOORDINATION)
    survey = services.survey_create(staff, owner=personas.org_a, title="Leben im Landkreis", slug="leben", year=2026)
    services.version_upload(staff, survey, file_name="demo.xlsx", data=demo_form.workbook_bytes())
    return services.survey_open(staff, survey)


def _required_answers(page: Any, years: str) -> None:
    page.check("input[name=altersgruppe][value='25-65']")
    page.check("input[name=geschlecht][value=w]")
    page.check("input[name=staatsangehoerigkeit][value=asyl8]")
    page.check("input[name=gemeindegruppe][value=stadt]")
    page.fill("input[name=jahre]", years)
    page.check("input[name=deutsch][value=b]")
    page.check("input[name=zugehoerigkeit][value='4']")
    page.check("input[name=diskriminierung][value=nein]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_arabic_form_on_a_phone(survey: Any, live_server: Any, page: Any) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/umfragen/leben/ar/")
    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"
    first = page.locator(".s-q").first
    assert first.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert page.locator("#q-altersgruppe legend").inner_text().startswith("كم عمرك؟")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no horizontal scrolling
    assert _axe(page) == []
    # Skip logic on the device: hours only once "work = yes".
    assert not page.locator("#q-stunden").is_visible()
    page.check("input[name=arbeit][value=ja]")
    assert page.locator("#q-stunden").is_visible()
    # A constraint error: summary, focus, linked message in Arabic; nothing sent.
    _required_answers(page, "120")
    page.fill("input[name=stunden]", "30")
    page.click("button[type=submit]")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert "الرجاء إدخال رقم من 0 إلى 80." in summary.inner_text()
    assert page.get_attribute("#q-jahre-input", "aria-invalid") == "true"
    assert "q-jahre-error" in (page.get_attribute("#q-jahre-input", "aria-describedby") or "")
    assert _axe(page) == []
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") == "q-jahre-input"
    assert Response.objects.count() == 0
    # Kept on the device: a reload restores the partial answers.
    page.reload()
    assert page.locator("#restored").is_visible()
    assert page.input_value("input[name=jahre]") == "120"
    assert page.is_checked("input[name=arbeit][value=ja]") and page.locator("#q-stunden").is_visible()
    page.fill("input[name=jahre]", "5")
    page.click("button[type=submit]")
    page.wait_for_url("**/umfragen/leben/ar/danke/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert _axe(page) == []
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('teilhabe-survey')).length") == 0
    answers = Response.objects.get().answers
    assert answers["jahre"] == "5" and answers["stunden"] == "30" and Response.objects.get().language == "ar"
    assert [e for e in errors if "favicon" not in e and "404" not in e] == []  # no CSP or script errors


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ukrainian_form_with_choice_filter(survey: Any, live_server: Any, page: Any) -> None:
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/umfragen/leben/uk/")
    assert page.get_attribute("html", "dir") == "ltr" and page.get_attribute("html", "lang") == "uk"
    assert page.locator(".s-q").first.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert _axe(page) == []
    assert not page.locator("#q-hauptsprache").is_visible()
    page.check("input[name=sprachen][value=uk]")
    page.check("input[name=sprachen][value=de]")
    assert page.locator("#q-hauptsprache").is_visible()
    visible = [c.get_attribute("value") for c in page.locator("#q-hauptsprache input").all() if c.is_visible()]
    assert visible == ["de", "uk"]
    page.check("input[name=hauptsprache][value=uk]")
    page.check("input[name=arbeit][value=ja]")
    _required_answers(page, "3")
    page.fill("input[name=stunden]", "200")
    page.click("button[type=submit]")
    assert "Введіть від 1 до 80 годин." in page.locator("#error-summary").inner_text()
    assert _axe(page) == []
    page.fill("input[name=stunden]", "38")
    page.click("button[type=submit]")
    page.wait_for_url("**/umfragen/leben/uk/danke/")
    answers = Response.objects.get().answers
    assert answers["hauptsprache"] == "uk" and answers["sprachen"] == ["de", "uk"] and answers["stunden"] == "38"
