"""In a real headless Chromium (Debian package): MFA login, staff start page, axe-core on public pages."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page

from teilhabe.core.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[3] / "var" / "test-artifacts"


def _current_token(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def _axe_violations(page: Page) -> list[str]:
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in results.response["violations"]]


def test_login_with_mfa_and_screenshot_of_the_staff_start_page(
    page: Page, live_server, personas: Personas, regions: None
) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/konto/anmelden/")
    page.get_by_label("Benutzername").fill("kreisadmin")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Weiter").click()
    page.wait_for_url("**/zweiter-faktor/")
    page.get_by_label("Einmalcode").fill(_current_token(TOTPDevice.objects.get(user=personas.kreisadmin)))
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/staff/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Willkommen")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "staff-start.png"), full_page=True)
    assert _axe_violations(page) == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/gemeinden/",
        "/gemeinden/12073532/",
        "/rechtliches/barrierefreiheit/",
        "/barriere-melden/",
        "/konto/anmelden/",
    ],
)
def test_public_pages_have_no_wcag_21_aa_violations(page: Page, live_server, regions: None, path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}{path}")
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Fira Sans"')
    assert _axe_violations(page) == []


def test_the_start_page_is_usable_with_the_keyboard(page: Page, live_server, regions: None) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Zum Inhalt springen" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhalt"


def test_arabic_start_page_renders_right_to_left(page: Page, live_server, regions: None) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/")
    page.click(".language-switch a[hreflang=ar]")  # a plain link, no submit button
    page.wait_for_load_state()
    assert page.url.endswith("/ar/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert _axe_violations(page) == []
