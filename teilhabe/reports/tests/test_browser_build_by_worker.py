"""The demo's report build in Chromium with a real task worker: the editor clicks "Bericht erstellen", the
worker process (``manage.py run_worker``) builds it, the page updates by itself and the PDF downloads —
what `make demo` promises (issue 16). A small edition (three indicators), not the whole demo."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from teilhabe.core.testing import login_verified, start_worker_process


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_clicks_build_the_worker_builds_and_the_pdf_appears(
    edition: Any, koordination: Any, live_server: Any, page: Any
) -> None:
    page.set_default_timeout(120_000)  # the live server renders the first staff page slowly on a loaded machine
    cookie = login_verified(Client(), koordination).cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
    page.goto(f"{live_server.url}/staff/berichte/ausgaben/{edition.pk}/")
    page.get_by_role("button", name="Bericht erstellen").click()
    page.wait_for_selector(".report-progress[data-status-url]")
    worker = start_worker_process()
    try:
        # build-progress.js polls the status and reloads the page when the build is finished.
        link = page.get_by_role("link", name="Herunterladen")
        link.wait_for(timeout=240_000)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    response = page.request.get(live_server.url + str(link.get_attribute("href")))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    assert page.locator(".report-progress__label").first.inner_text().strip() == "fertig"
