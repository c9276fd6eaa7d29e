"""The staff area in plain German (issue 18): every page each demo role can reach, crawled from the start page.

Fails on links its reader may not follow (403/404), raw keys ("[value_invalid]", "alter_staatsangehoerigkeit"), English status words ("create",
"pending"), ISO dates and counts ≥ 10,000 without a thousands separator in numeric table cells. Runs once, in
the PostgreSQL run (walk marker), on the full demo district.
"""

from __future__ import annotations

from collections import deque
from typing import Any
from urllib.parse import urldefrag, urlparse

import pytest
from django.test import Client
from lxml import html as lxml_html

from teilhabe.core.staff_text_checks import check_staff_page
from teilhabe.core.testing import login_verified

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.walk]

MAX_PAGES_PER_ROLE = 80
SKIP_SUFFIXES = (".csv", ".xlsx", ".pdf", ".json", ".ics", ".ttl", ".xlf", ".xliff", ".zip", ".png", ".svg")
SKIP_WORDS = ("abmelden", "logout", "export", "herunterladen", "download", "/pdf/", "druck", "status/")


def _links(content: str) -> list[str]:
    root = lxml_html.fromstring(content)
    return [urldefrag(a.get("href", ""))[0] for a in root.iter("a") if a.get("href", "").startswith("/staff/")]


def _crawl(client: Client) -> dict[str, list[str]]:
    seen: set[str] = set()
    queue: deque[tuple[str, str]] = deque([("/staff/", "")])
    problems: dict[str, list[str]] = {}
    while queue and len(seen) < MAX_PAGES_PER_ROLE:
        url, source = queue.popleft()
        path = urlparse(url).path
        if url in seen or path.endswith(SKIP_SUFFIXES) or any(word in url for word in SKIP_WORDS):
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code in (403, 404) and source:
            # A dead end: a page offers a link its reader may not follow.
            problems.setdefault(source, []).append(f"Link ohne Berechtigung ({response.status_code}): {url}")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        content = response.content.decode()
        findings = check_staff_page(content)
        if findings:
            problems[url] = [str(f) for f in findings[:5]]
        for link in _links(content):
            if link not in seen:
                queue.append((link, url))
    return problems


def test_every_staff_page_reads_as_plain_german(regions: None, settings: Any) -> None:
    from teilhabe.core.demo import create_demo_district

    settings.DEMO = True
    district = create_demo_district()
    report: dict[str, dict[str, list[str]]] = {}
    for username, user in district.users.items():
        client = login_verified(Client(), user)
        problems = _crawl(client)
        if problems:
            report[username] = problems
    assert report == {}, "\n".join(
        f"{user} {url}: {'; '.join(found)}" for user, pages in report.items() for url, found in pages.items()
    )
