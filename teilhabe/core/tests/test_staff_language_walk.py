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

from teilhabe.core.staff_text_checks import check_staff_page
from teilhabe.core.testing import login_verified
from teilhabe.core.tests.staff_walk import crawl

pytestmark = [pytest.mark.django_db, pytest.mark.walk]


def test_every_staff_page_reads_as_plain_german(regions: None, settings: Any) -> None:
    from teilhabe.core.demo import create_demo_district

    settings.DEMO = True
    district = create_demo_district()
    report: list[str] = []
    for username, user in district.users.items():
        result = crawl(login_verified(Client(), user))
        assert len(result.pages) >= 2, username
        for url, messages in result.dead_ends.items():
            report.append(f"{username} {url}: {'; '.join(messages[:3])}")
        for url, content in result.pages.items():
            findings = check_staff_page(content)
            if findings:
                report.append(f"{username} {url}: {'; '.join(str(f) for f in findings[:4])}")
    assert report == [], "\n".join(report)
