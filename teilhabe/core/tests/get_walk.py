"""No state change on GET, anywhere (issue 10 item 7); run by ``test_staff_walks`` on the full demo district.

A walk over every route as logged-in demo personas: every route without parameters is requested directly,
routes with parameters through the links the pages themselves offer (so they point at real objects). A GET
may write only audit events that record a read (``read``, ``search``, ``export``, ``*.read``, …) and the
session row itself; it must never log the user out.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from typing import Any
from urllib.parse import urldefrag, urlparse

from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from teilhabe.accounts.models import User
from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import login_verified

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b[^\"]*?\"?(?:INTO|FROM)?\s*\"?([a-z0-9_]+)", re.IGNORECASE)
# The session row is rewritten on every request (sliding idle timeout, SESSION_SAVE_EVERY_REQUEST).
# The fragment store is a cache of rendered pages (decision 0130): filling it on a first view changes no data.
ALLOWED_TABLES = {"django_session", "core_storedfragment"}
READ_ACTIONS = re.compile(r"(^|[._])(read|search|export|print|view|verify|download|list|report|duplicates_report)$")
PERSONAS = ["admin", "datenschutz", "abh.leitung", "jc.admin", "gemeinde1"]
MAX_PAGES_PER_PERSONA = 300
# Paths per route pattern and persona: two offers already show the kind; more only slows the walk down.
PER_ROUTE = 2
SKIP_PREFIXES = ("/static/", "/media/")


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def plain_routes() -> list[str]:
    """Every route without parameters, as a path."""
    paths = []
    for route, _pattern in _walk(get_resolver().url_patterns):
        if "<" in route or route.startswith("^") or "(?P" in route:
            continue
        paths.append("/" + route.lstrip("/"))
    return sorted(set(paths))


class WriteRecorder:
    def __init__(self) -> None:
        self.writes: list[str] = []

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        match = WRITE.match(sql)
        if match:
            table = re.search(r"(?:INTO|UPDATE|FROM)\s+\"?([A-Za-z0-9_]+)", sql, re.IGNORECASE)
            name = table.group(1) if table else "?"
            if name not in ALLOWED_TABLES and name != "audit_auditevent":
                self.writes.append(f"{match.group(1).upper()} {name}")
        return execute(sql, params, many, context)


def _links(html: str) -> list[str]:
    return re.findall(r'href="(/[^"#]*)', html)


def get_walk(users: dict[str, User]) -> tuple[list[str], set[str]]:
    """GET every route reachable as each of ``PERSONAS`` (usernames in ``users``); returns the problems
    ("<user> GET <path>: <writes> <actions>" or "…: abgemeldet") and the route patterns reached."""
    problems: list[str] = []
    reached: set[str] = set()
    for username in PERSONAS:
        client = login_verified(Client(), users[username])
        queue = deque(plain_routes())
        seen: set[str] = set()
        per_route: dict[str, int] = {}
        while queue and len(seen) < MAX_PAGES_PER_PERSONA:
            path = urldefrag(queue.popleft())[0]
            if path in seen or path.startswith(SKIP_PREFIXES) or "abmelden" in path:
                continue
            seen.add(path)
            try:
                match = resolve(urlparse(path).path)
            except Resolver404:
                continue
            if per_route.get(match.route, 0) >= PER_ROUTE:
                continue
            per_route[match.route] = per_route.get(match.route, 0) + 1
            reached.add(match.route)
            before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
            recorder = WriteRecorder()
            with connection.execute_wrapper(recorder):
                response = client.get(path)
            actions = list(AuditEvent.objects.filter(id__gt=before).values_list("action", flat=True))
            bad_actions = [action for action in actions if not READ_ACTIONS.search(action)]
            if recorder.writes or bad_actions:
                problems.append(f"{username} GET {path}: {sorted(set(recorder.writes))} {bad_actions}")
            if SESSION_KEY not in client.session:
                problems.append(f"{username} GET {path}: abgemeldet")
                client = login_verified(Client(), users[username])
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                queue.extend(link for link in _links(response.content.decode()) if link not in seen)
    return problems, reached


def all_routes() -> int:
    return len({route for route, _p in _walk(get_resolver().url_patterns)})
