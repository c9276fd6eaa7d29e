"""Crawl the staff area as one user, from the start page, following links under /staff/ (GET only).

Shared by the language walk and the accessibility walk: ``crawl`` returns every HTML page reached (URL →
content) and the dead ends (links that answered 403/404, keyed by the page that offered them).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlparse

from django.test import Client
from lxml import html as lxml_html

MAX_PAGES = 80
SKIP_SUFFIXES = (".csv", ".xlsx", ".pdf", ".json", ".ics", ".ttl", ".xlf", ".xliff", ".zip", ".png", ".svg")
SKIP_WORDS = ("abmelden", "logout", "export", "herunterladen", "download", "/pdf/", "druck", "status/")


@dataclass
class Crawl:
    pages: dict[str, str] = field(default_factory=dict)  # URL → HTML
    dead_ends: dict[str, list[str]] = field(default_factory=dict)  # page → messages


def links(content: str) -> list[str]:
    root = lxml_html.fromstring(content)
    return [urldefrag(a.get("href", ""))[0] for a in root.iter("a") if a.get("href", "").startswith("/staff/")]


def crawl(client: Client, start: str = "/staff/", limit: int = MAX_PAGES) -> Crawl:
    result = Crawl()
    seen: set[str] = set()
    queue: deque[tuple[str, str]] = deque([(start, "")])
    while queue and len(seen) < limit:
        url, source = queue.popleft()
        path = urlparse(url).path
        if url in seen or path.endswith(SKIP_SUFFIXES) or any(word in url for word in SKIP_WORDS):
            continue
        seen.add(url)
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
