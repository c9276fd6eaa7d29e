"""KiIM staff pages in headless Chromium: axe-core WCAG 2.1 AA and the CSP (no console errors)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page

from teilhabe.core.testing import login_verified
from teilhabe.registry import services
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _axe_violations(page: Page) -> list[str]:
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in results.response["violations"]]


def test_kiim_pages_are_accessible(page: Page, live_server, world: World) -> None:  # type: ignore[no-untyped-def]
    transmission = services.transmission_request(
        acting_user=world.dora,
        case=world.case,
        recipient=world.p.org_b,
        groups=["identitaet", "beschaeftigung"],
        legal_basis=LegalBasis.SGB_X_71_2,
        purpose="Prüfung",
    )
    client = login_verified(Client(), world.dora)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    errors: list[str] = []
    # A missing favicon is not our concern; inline styles or scripts would show up as CSP violations.
    page.on(
        "console", lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None
    )
    pk = world.case.pk
    for path in (
        "/staff/kiim/?q=zyx",
        f"/staff/kiim/{pk}/",
        f"/staff/kiim/{pk}/feldgruppen/gesundheit/",
        f"/staff/kiim/{pk}/uebermitteln/",
        "/staff/kiim/uebermittlungen/",
        f"/staff/kiim/uebermittlungen/{transmission.pk}/",
        f"/staff/kiim/{pk}/betroffenenrechte/",
        f"/staff/kiim/{pk}/auskunft/",
        "/staff/kiim/neu/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        assert _axe_violations(page) == [], path
    assert errors == []


def test_issue10_pages_are_accessible_and_screenshotted(page: Page, live_server, world: World) -> None:  # type: ignore[no-untyped-def]
    """Start-page worklists, the Art. 15 letter in German and Arabic, confirmation pages. With
    TEILHABE_SCREENSHOTS=1 the pages are saved to docs/images/ for the issue note."""
    import os
    from pathlib import Path

    pending = services.transmission_request(
        acting_user=world.p.alice,
        case=world.case,
        recipient=world.p.org_b,
        groups=["identitaet", "beschaeftigung"],
        legal_basis=LegalBasis.SGB_X_71_2,
        purpose="Prüfung der Lebensunterhaltssicherung",
    )
    sent = services.transmission_request(
        acting_user=world.p.alice,
        case=world.case,
        recipient=world.org_c,
        groups=["identitaet", "sprachkurs"],
        legal_basis=LegalBasis.SGB_X_69_1_1,
        purpose="Abstimmung der Sprachförderung",
    )
    services.consent_give(
        acting_user=world.p.alice,
        case=world.case,
        purpose="Kursstand an die Migrationsberatung",
        data_items=["identitaet", "sprachkurs"],
        recipients=[world.org_c],
        language="ar",
        text_version="KiIM-Einwilligung 2026-01",
    )
    client = login_verified(Client(), world.dora)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    shots = Path(settings.BASE_DIR) / "docs" / "images" if os.environ.get("TEILHABE_SCREENSHOTS") else None
    pk = world.case.pk
    for path, name in (
        ("/staff/", "issue10-start-worklists.png"),
        (f"/staff/kiim/{pk}/auskunft/?lang=de", "issue10-art15-de.png"),
        (f"/staff/kiim/{pk}/auskunft/", "issue10-art15-ar.png"),
        (f"/staff/kiim/uebermittlungen/{pending.pk}/", ""),
        (f"/staff/kiim/uebermittlungen/{sent.pk}/widerrufen/", ""),
        (f"/staff/kiim/{pk}/loeschen/", ""),
        ("/staff/rollen-bestaetigen/", ""),
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        assert _axe_violations(page) == [], path
        if shots is not None and name:
            page.screenshot(path=str(shots / name), full_page=True)
