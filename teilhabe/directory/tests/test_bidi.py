"""Right-to-left text order on public directory pages (issue 13, example 3).

The markup tests run everywhere; the Chromium tests (marked browser) measure where the runs are drawn.
"""

from __future__ import annotations

import lxml.html
import pytest
from django.test import Client

from teilhabe.directory.tests.helpers import make_location, make_offer

PHONE = "03984 2000"


@pytest.fixture
def offer(personas):  # type: ignore[no-untyped-def]
    personas.org_a.name = "Integrationsverein Uckermark e. V."
    personas.org_a.save()
    location = make_location(personas.org_a)
    return make_offer(
        personas.org_a,
        title="Deutschkurs am Abend",
        location=location,
        contact_phone=PHONE,
        contact_email="kurs@example.org",
        languages=["de", "ar", "fa"],
    )


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_ltr_runs_and_user_text_are_isolated(client: Client, offer, lang: str) -> None:  # type: ignore[no-untyped-def]
    page = lxml.html.fromstring(client.get(f"/{lang}/angebote/{offer.pk}/").content)
    assert page.get("dir") == "rtl"
    phone = page.xpath(f"//bdi[@dir='ltr'][normalize-space()='{PHONE}']")
    assert phone, "Telefonnummer nicht als LTR-Lauf isoliert"
    assert page.xpath("//bdi[@dir='ltr'][normalize-space()='kurs@example.org']")
    assert page.xpath("//bdi[normalize-space()='Integrationsverein Uckermark e. V.']")
    languages = page.xpath("//dd[bdi][contains(., '، ')]")
    assert languages, "Listen in RTL mit arabischem Komma"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_phone_reads_in_order_in_chromium(page, live_server, offer, lang: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/{lang}/angebote/{offer.pk}/")
    # Visual order: the left edge of "03984" must be left of "2000" (it read "2000 03984" before).
    positions = page.evaluate(
        """(phone) => {
            const bdi = [...document.querySelectorAll('bdi.ltr-run')].find(e => e.textContent.trim() === phone);
            const node = bdi.firstChild;
            const range = document.createRange();
            range.setStart(node, 0); range.setEnd(node, 5);
            const first = range.getBoundingClientRect().left;
            range.setStart(node, 6); range.setEnd(node, 10);
            return [first, range.getBoundingClientRect().left];
        }""",
        PHONE,
    )
    assert positions[0] < positions[1], positions
    name = page.evaluate(
        """() => {
            const bdi = [...document.querySelectorAll('bdi')].find(e => e.textContent.includes('e. V.'));
            const node = bdi.firstChild, text = node.textContent, range = document.createRange();
            const dot = text.lastIndexOf('.');
            range.setStart(node, dot); range.setEnd(node, dot + 1);
            const dotX = range.getBoundingClientRect().left;
            range.setStart(node, 0); range.setEnd(node, 1);
            return [range.getBoundingClientRect().left, dotX];
        }"""
    )
    assert name[0] < name[1], "„e. V.“: der Punkt steht am Ende, nicht davor"
    page.screenshot(path=str(tmp_path / f"offer-{lang}.png"), full_page=True)  # evidence on failure
