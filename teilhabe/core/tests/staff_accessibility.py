"""Staff pages as accessible as the public ones (issue 18): axe WCAG 2.1 A/AA and a keyboard walk in Chromium
on one page of every staff page type (route) that the demo roles reach; run by ``test_staff_walks``."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.test import Client
from django.urls import Resolver404, resolve
from playwright.sync_api import Page

from teilhabe.core.tests.staff_walk import Crawl
from teilhabe.core.tests.test_browser import _axe_violations


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


ACCESSIBILITY_USERS = ("koordination", "statistik", "datenschutz", "admin", "abh.leitung", "redaktion", "gemeinde1")


def accessibility_walk(
    page: Page, base_url: str, crawls: dict[str, tuple[Client, Crawl]]
) -> tuple[list[str], set[str]]:
    """axe and the keyboard walk on one page per route, taken from the crawls of ``ACCESSIBILITY_USERS``
    (username → logged-in client and its crawl); the browser carries each client's session cookie. Returns
    the findings ("<user> <url>: …") and the view names visited."""
    visited: set[str] = set()
    report: list[str] = []
    for username in ACCESSIBILITY_USERS:
        client, result = crawls[username]
        routes = _one_url_per_route(list(result.pages))
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": django_settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                    "url": base_url,
                }
            ]
        )
        for name, url in routes.items():
            if name in visited:
                continue
            visited.add(name)
            page.goto(f"{base_url}{url}")
            violations = _axe_violations(page)
            if violations:
                report.append(f"{username} {url}: {'; '.join(violations)}")
            keyboard = _keyboard_walk(page)
            if keyboard:
                report.append(f"{username} {url} (Tastatur): {'; '.join(keyboard)}")
    return report, visited
