"""Staff pages as accessible as the public ones (issue 18): axe WCAG 2.1 A/AA and a keyboard walk in Chromium
on one page of every staff page type (route) that the demo roles reach."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import Resolver404, resolve
from playwright.sync_api import Page

from teilhabe.core.testing import login_verified
from teilhabe.core.tests.staff_walk import crawl
from teilhabe.core.tests.test_browser import _axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _one_url_per_route(urls: list[str]) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for url in urls:
        try:
            name = resolve(url.split("?")[0]).view_name
        except Resolver404:
            continue
        chosen.setdefault(name, url)
    return chosen


def _keyboard_walk(page: Page, presses: int = 12) -> list[str]:
    """Tab through the page: focus must leave the body, move on each press and land on visible elements."""
    problems: list[str] = []
    previous = ""
    for index in range(presses):
        page.keyboard.press("Tab")
        info = page.evaluate(
            "() => { const e = document.activeElement; if (!e || e === document.body) return null;"
            " const r = e.getBoundingClientRect();"
            " if (!e.dataset.walk) { window.__walk = (window.__walk || 0) + 1; e.dataset.walk = String(window.__walk); }"
            " return {tag: e.tagName, id: e.dataset.walk, visible: r.width > 0 && r.height > 0,"
            " key: e.outerHTML.slice(0, 80)}; }"
        )
        if info is None:
            if index == 0:
                problems.append("Tab erreicht kein Element")
            break
        if not info["visible"]:
            problems.append(f"unsichtbares Element im Fokus: {info['key']}")
        if info["id"] == previous:  # the same element (not merely alike) keeps the focus
            problems.append(f"Fokus bleibt hängen: {info['key']}")
            break
        previous = info["id"]
    return problems


def test_every_staff_page_type_is_axe_clean_and_keyboard_usable(
    regions: None, settings: Any, live_server: Any, page: Page
) -> None:
    from teilhabe.core.demo import create_demo_district

    settings.DEMO = True
    district = create_demo_district()
    visited: set[str] = set()
    report: list[str] = []
    for username in ("koordination", "statistik", "datenschutz", "admin", "abh.leitung", "redaktion", "gemeinde1"):
        client = login_verified(Client(), district.users[username])
        routes = _one_url_per_route(list(crawl(client).pages))
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": django_settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        for name, url in routes.items():
            if name in visited:
                continue
            visited.add(name)
            page.goto(f"{live_server.url}{url}")
            violations = _axe_violations(page)
            if violations:
                report.append(f"{username} {url}: {'; '.join(violations)}")
            keyboard = _keyboard_walk(page)
            if keyboard:
                report.append(f"{username} {url} (Tastatur): {'; '.join(keyboard)}")
    assert len(visited) >= 20
    assert report == [], "\n".join(report)
