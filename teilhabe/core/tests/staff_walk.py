"""Crawl the staff area as one user, from the start page, following links under /staff/ (GET only).

Shared by the language walk and the accessibility walk (``test_staff_walks``): ``crawl`` returns every HTML
page reached (URL → content) and the dead ends (links that answered 403/404, keyed by the page that offered
them). At most ``per_route`` addresses of one route pattern are fetched (``/staff/faelle/<int:pk>/`` for the
tenth case shows nothing the first two did not), so the page budget goes to route kinds, not instances.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlparse

from django.test import Client
from django.urls import Resolver404, resolve
from lxml import html as lxml_html

MAX_PAGES = 80
PER_ROUTE = 2  # addresses per route pattern and user, as in the GET walk
SKIP_SUFFIXES = (".csv", ".xlsx", ".pdf", ".json", ".ics", ".ttl", ".xlf", ".xliff", ".zip", ".png", ".svg")
SKIP_WORDS = ("abmelden", "logout", "export", "herunterladen", "download", "/pdf/", "druck", "status/")


@dataclass
class Crawl:
    pages: dict[str, str] = field(default_factory=dict)  # URL → HTML
    dead_ends: dict[str, list[str]] = field(default_factory=dict)  # page → messages


def links(content: str) -> list[str]:
    root = lxml_html.fromstring(content)
    return [urldefrag(a.get("href", ""))[0] for a in root.iter("a") if a.get("href", "").startswith("/staff/")]


def _route(path: str) -> str:
    try:
        return resolve(path).route
    except Resolver404:
        return path


def crawl(client: Client, start: str = "/staff/", limit: int = MAX_PAGES, per_route: int = PER_ROUTE) -> Crawl:
    result = Crawl()
    seen: set[str] = set()
    per_route_count: dict[str, int] = {}
    queue: deque[tuple[str, str]] = deque([(start, "")])
    fetched = 0
    while queue and fetched < limit:
        url, source = queue.popleft()
        path = urlparse(url).path
        if url in seen or path.endswith(SKIP_SUFFIXES) or any(word in url for word in SKIP_WORDS):
            continue
        seen.add(url)
        route = _route(path)
        if per_route_count.get(route, 0) >= per_route:
            continue
        per_route_count[route] = per_route_count.get(route, 0) + 1
        fetched += 1
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code in (403, 404) and source:
            result.dead_ends.setdefault(source, []).append(f"Link ohne Berechtigung ({response.status_code}): {url}")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        content = response.content.decode()
        result.pages[url] = content
        for link in links(content):
            if link not in seen:
                queue.append((link, url))
    return result
