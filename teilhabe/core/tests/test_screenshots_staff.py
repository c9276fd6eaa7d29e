"""Screenshots for issue 18 on the demo district: an import preview and a Gemeinde's own statistics page.

Runs only when ``TEILHABE_SCREENSHOTS`` names a directory, in the browser run on PostgreSQL:
``TEILHABE_SCREENSHOTS=docs/images DATABASE_URL=postgres://… pytest teilhabe/core/tests/test_screenshots_staff.py``.
Writes ``issue18-import-preview.png`` (agency values checked as ``statistik``) and
``issue18-gemeinde-statistik.png`` (``gemeinde1``, Schwedt/Oder, on ``/staff/bevoelkerung/``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from teilhabe.core.testing import login_verified

TARGET = os.environ.get("TEILHABE_SCREENSHOTS", "")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not TARGET, reason="TEILHABE_SCREENSHOTS nicht gesetzt"),
]

# Two Gemeinden of the demo district, German numbers, and a duplicated "Wert" column to show a flagged column.
AGENCY_FILE = (
    "Quellschlüssel;Ebene;AGS;Jahr;Wert;Quelldokument;Bemerkung\n"
    "sgb2_leb_auslaender;gemeinde;12073532;2024;1.234;Jobcenter Uckermark 12/2024;geprüft\n"
    "sgb2_leb_auslaender;gemeinde;12073452;2024;856;Jobcenter Uckermark 12/2024;\n"
    "sgb2_leb_auslaender;gemeinde;12073008;2024;412;Jobcenter Uckermark 12/2024;\n"
)


def _login(page: Any, live_server: Any, user: Any) -> None:
    cookie = login_verified(Client(), user).cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_issue18_screenshots(regions: None, settings: Any, live_server: Any, page: Any, tmp_path: Path) -> None:
    from teilhabe.core.demo import create_demo_district

    settings.DEMO = True
    district = create_demo_district()
    out = Path(TARGET)
    out.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 1000})

    _login(page, live_server, district.users["statistik"])
    upload = tmp_path / "jobcenter-2024.csv"
    upload.write_bytes(AGENCY_FILE.encode("cp1252"))
    page.goto(live_server.url + "/staff/monitoring/aggregate/import/")
    page.set_input_files("input[type=file]", str(upload))
    if page.locator("select[name=organisation]").count():
        page.eval_on_selector("select[name=organisation]", "s => { if (!s.value) { s.selectedIndex = 1; } }")
    page.click("button[name=dry_run]")
    page.wait_for_selector("#import-preview-title")
    assert "1.234 (deutsch, Punkt als Tausendertrennzeichen)" in page.content()
    page.locator(".import-preview").screenshot(path=str(out / "issue18-import-preview.png"))

    _login(page, live_server, district.users["gemeinde1"])
    page.goto(live_server.url + "/staff/bevoelkerung/")
    assert "Schwedt" in page.content()
    page.screenshot(path=str(out / "issue18-gemeinde-statistik.png"), full_page=True)
