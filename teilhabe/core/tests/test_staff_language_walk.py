"""The staff area in plain German and without dead ends (issue 18): every page each demo role can reach.

Crawled from the start page as each demo account; fails on links its reader may not follow (403/404), raw
keys ("[value_invalid]", "alter_staatsangehoerigkeit"), English status words ("create", "pending"), ISO
dates and counts ≥ 10,000 without a thousands separator in numeric table cells. Runs once, in the PostgreSQL
run (walk marker), on the full demo district.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from teilhabe.core.staff_text_checks import check_staff_page
from teilhabe.core.testing import login_verified
from teilhabe.core.tests.staff_walk import crawl

pytestmark = [pytest.mark.django_db, pytest.mark.walk]


# Findings of other work streams not fixed yet, by (route, kind): a ratchet, so that every *new* finding fails.
# Empty since issue 18 was finished; add nothing here without a note in the issue.
KNOWN: set[tuple[str, str]] = set()


def _key(url: str, message: str) -> tuple[str, str]:
    try:
        name = resolve(url.split("?")[0]).view_name
    except Resolver404:
        name = url
    return name, message.split(":")[0].split(" (")[0]


def test_every_staff_page_reads_as_plain_german(regions: None, settings: Any) -> None:
    from teilhabe.core.demo import create_demo_district

    settings.DEMO = True
    district = create_demo_district()
    report: list[str] = []
    for username, user in district.users.items():
        result = crawl(login_verified(Client(), user))
        assert len(result.pages) >= 2, username
        found = [(url, message) for url, messages in result.dead_ends.items() for message in messages]
        for url, content in result.pages.items():
            found += [(url, str(finding)) for finding in check_staff_page(content)]
        for url, message in found:
            key = _key(url, message)
            if key not in KNOWN:
                report.append(f"{username} {url}: {message}")
    assert report == [], "\n".join(report)
