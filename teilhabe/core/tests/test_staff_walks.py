"""The staff area walked on one full demo district (issues 10 and 18), built once for three walks.

Building the full demo district costs about 50 s on PostgreSQL; the three walks over it used to build it each
on their own. They run as subtests of one test, so that one xdist worker runs them on one build (worksteal
splits by test), each reported on its own:

* plain German (issue 18): every page each demo role can reach, crawled from the start page; fails on links
  its reader may not follow (403/404), raw keys ("[value_invalid]", "alter_staatsangehoerigkeit"), English
  status words ("create", "pending"), ISO dates and counts ≥ 10,000 without a thousands separator in numeric
  table cells (``teilhabe.core.staff_text_checks``);
* no state change on GET (issue 10 item 7, ``get_walk``);
* axe WCAG 2.1 A/AA and a keyboard walk in Chromium on one page of every staff route (``staff_accessibility``),
  on the pages the first walk crawled.

The live server needs committed data, so the test is transactional: Django empties the tables afterwards.
Every walk only reads (a GET that writes is itself a finding). Runs once, in the PostgreSQL run (walk marker).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from teilhabe.core.staff_text_checks import check_staff_page
from teilhabe.core.testing import login_verified
from teilhabe.core.tests.get_walk import all_routes, get_walk
from teilhabe.core.tests.staff_walk import Crawl, crawl

pytestmark = [pytest.mark.walk, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Findings of other work streams not fixed yet, by (route, kind): a ratchet, so that every *new* finding fails.
# Empty since issue 18 was finished; add nothing here without a note in the issue.
KNOWN: set[tuple[str, str]] = set()


def _key(url: str, message: str) -> tuple[str, str]:
    try:
        name = resolve(url.split("?")[0]).view_name
    except Resolver404:
        name = url
    return name, message.split(":")[0].split(" (")[0]


def _plain_german(crawls: dict[str, tuple[Client, Crawl]]) -> list[str]:
    report: list[str] = []
    for username, (_client, result) in crawls.items():
        assert len(result.pages) >= 2, username
        found = [(url, message) for url, messages in result.dead_ends.items() for message in messages]
        for url, content in result.pages.items():
            found += [(url, str(finding)) for finding in check_staff_page(content)]
        report += [f"{username} {url}: {message}" for url, message in found if _key(url, message) not in KNOWN]
    return report


def test_staff_area_on_the_full_demo_district(
    regions: None, settings: Any, live_server: Any, request: pytest.FixtureRequest, subtests: Any
) -> None:
    from teilhabe.core.demo import create_demo_district

    settings.DEMO = True
    district = create_demo_district()
    crawls: dict[str, tuple[Client, Crawl]] = {}
    for username, user in district.users.items():
        client = login_verified(Client(), user)
        crawls[username] = (client, crawl(client))

    with subtests.test(msg="Klartext: jede erreichbare Seite jeder Demo-Rolle"):
        report = _plain_german(crawls)
        assert report == [], "\n".join(report)

    with subtests.test(msg="GET ändert nichts"):
        problems, reached = get_walk(district.users)
        print(f"GET-Rundgang: {len(reached)} von {all_routes()} Routen erreicht")
        assert problems == []
        assert len(reached) >= 70  # the POST-only actions (about half of the routes) have no GET link

    with subtests.test(msg="axe und Tastatur: eine Seite je Route"):
        if not Path(CHROMIUM).exists():
            pytest.skip(f"{CHROMIUM} nicht installiert (apt-get install chromium)")
        from teilhabe.core.tests.staff_accessibility import accessibility_walk

        findings, visited = accessibility_walk(request.getfixturevalue("page"), live_server.url, crawls)
        assert len(visited) >= 20
        assert findings == [], "\n".join(findings)
