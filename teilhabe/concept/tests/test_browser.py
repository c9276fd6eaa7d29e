"""The organigram in Chromium: axe-clean (also RTL) and walkable with the keyboard alone.

Set ``TEILHABE_SCREENSHOTS=docs/images`` to write the screenshots used in docs/concept/README.md.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from teilhabe.concept import network_services as net
from teilhabe.concept import services

from .conftest import World, put

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SHOTS = os.environ.get("TEILHABE_SCREENSHOTS", "")


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def _setup(world: World) -> list[int]:
    kreis = settings.TEILHABE_KREIS
    for year, value in ((2020, 40.0), (2021, 41.5), (2022, 44.0)):
        put(world.indicator, "kreis", kreis, year, value)
    services.version_adopt(
        acting_user=world.office_user,
        version=world.concept.versions.get(),
        body="Kreistag",
        decision_date=date(2025, 3, 12),
        drucksache="DS 2025/041",
    )
    office = world.p.landkreis
    kai = net.contact_save(acting_user=world.office_user, owner=office, changes={"name": "Kai Koordination"})
    root = net.responsibility_save(
        acting_user=world.office_user,
        changes={"owner": office, "role_title": "Integrationsbeauftragter", "contact": kai, "is_public": True},
    )
    ids = [root.pk]
    for org, title in ((world.gemeinde_a, "Ansprechperson A"), (world.gemeinde_b, "Ansprechperson B")):
        ids.append(
            net.responsibility_save(
                acting_user=world.office_user,
                changes={"owner": org, "parent": root, "role_title": title, "is_public": True},
            ).pk
        )
    return ids


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_organigram_is_axe_clean_and_keyboard_walkable(world: World, live_server: Any, page: Any) -> None:
    ids = _setup(world)
    axe = Axe()
    for lang in ("de", "fa"):
        page.set_extra_http_headers({"Accept-Language": lang})
        for path in ("/konzept/", "/konzept/organigramm/", f"/konzept/ziel/{world.goal.pk}/"):
            page.goto(live_server.url + path)
            results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
            assert results.violations_count == 0, (lang, path, results.generate_report())
    page.set_extra_http_headers({"Accept-Language": "de"})
    page.goto(live_server.url + "/konzept/organigramm/")
    _shot(page, "concept-organigram.png")
    # Tab from the top of the page: every node of the graphic is reached, in tree order.
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if href.startswith("#zustaendigkeit-"):
            reached.append(int(href.rsplit("-", 1)[1]))
        if len(reached) == len(ids):
            break
    assert reached == ids
    # Enter on a node moves to its entry in the text list.
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == f"#zustaendigkeit-{ids[-1]}"
    assert page.locator(f"#zustaendigkeit-{ids[-1]}").is_visible()
    focused_ring = page.evaluate(
        "getComputedStyle(document.querySelector('.organigram-node rect')).getPropertyValue('stroke')"
    )
    assert focused_ring  # the boxes are drawn with a visible stroke
    if SHOTS:
        page.goto(live_server.url + "/konzept/")
        _shot(page, "concept-overview.png")
        page.goto(live_server.url + f"/konzept/ziel/{world.goal.pk}/")
        _shot(page, "concept-goal.png")
