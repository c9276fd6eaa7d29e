"""Chromium: upload with progress bar → check report → commit → tables; axe finds no WCAG 2.1 AA violations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from teilhabe.accounts.roles import Role
from teilhabe.core.testing import login_verified, make_user
from teilhabe.population.models import RegisterImport
from teilhabe.population.tests.helpers import csv_text, valid_rows

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [f"{v['id']}: {v['help']} {[n['html'][:200] for n in v['nodes']]}" for v in results.response["violations"]]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_upload_check_commit_and_tables(
    regions: None, personas: Any, live_server: Any, page: Any, tmp_path: Path
) -> None:
    user = make_user("stefanie", personas.landkreis, Role.STATISTIK)
    client = login_verified(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + "/staff/bevoelkerung/")
    assert _axe(page) == []
    upload = tmp_path / "auszug.csv"
    upload.write_text(csv_text(*valid_rows(40)), encoding="utf-8")
    page.set_input_files("input[type=file]", str(upload))
    page.fill("input[name=stichtag]", "2025-12-31")
    page.click("form[data-upload-progress] button[type=submit]")
    page.wait_for_url("**/import/*/")
    assert "Keine Fehler gefunden" in page.content()
    assert _axe(page) == []
    page.click("form[action$='/uebernehmen/'] button[type=submit]")
    page.wait_for_url(live_server.url + "/staff/bevoelkerung/")
    assert RegisterImport.objects.get().status == RegisterImport.Status.COMMITTED
    page.goto(live_server.url + "/staff/bevoelkerung/tabellen/")
    assert page.locator("svg.population-chart rect").count() == 6
    assert _axe(page) == []
    page.goto(live_server.url + "/staff/bevoelkerung/vergleich-zensus/")
    assert _axe(page) == []
    assert [e for e in errors if "favicon" not in e and "404" not in e] == []  # no CSP or script errors
