"""Public pages, legal texts, accessibility feedback, security headers and the production configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from teilhabe.audit.models import AuditEvent
from teilhabe.core.models import AccessibilityFeedback, LegalPage
from teilhabe.core.testing import Personas, login_verified

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def test_start_page_shows_the_district_and_a_map_of_its_gemeinden(client: Client, regions: None) -> None:
    page = client.get("/").content.decode()
    assert "Uckermark" in page and 'class="region-map"' in page and "Angermünde" in page
    assert 'lang="de"' in page and 'href="#inhalt"' in page


def test_footer_links_the_legal_pages_and_licences(client: Client, regions: None) -> None:
    page = client.get("/").content.decode()
    for slug in ("impressum", "datenschutz", "barrierefreiheit"):
        assert reverse("core:legal", args=[slug]) in page
        assert client.get(reverse("core:legal", args=[slug])).status_code == 200
    assert "GeoBasis-DE / BKG" in page and "Datenlizenz Deutschland" in page


def test_arabic_pages_are_right_to_left(client: Client, regions: None) -> None:
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="ar"' in page and 'dir="rtl"' in page


def test_staff_pages_fall_back_to_german_for_public_only_languages(client: Client, personas: Personas) -> None:
    login_verified(client, personas.alice)
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    assert 'dir="rtl"' in client.get("/").content.decode()
    page = client.get(reverse("staff:home")).content.decode()
    assert 'lang="de"' in page and 'dir="ltr"' in page


def test_english_ui(client: Client, regions: None) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="en"' in page and "Skip to content" in page


def test_accessibility_feedback_reaches_the_district(client: Client, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("core:accessibility_feedback"),
            {"page_url": "/gemeinden/", "message": "Karte ohne Tastatur", "website": ""},
        )
    assert response.status_code == 302
    assert AccessibilityFeedback.objects.get().message == "Karte ohne Tastatur"
    assert mail.outbox and "Karte ohne Tastatur" in mail.outbox[0].body


def test_feedback_honeypot_and_rate_limit(client: Client) -> None:
    cache.clear()
    response = client.post(reverse("core:accessibility_feedback"), {"message": "Spam", "website": "http://spam"})
    assert response.status_code == 200 and not AccessibilityFeedback.objects.exists()
    cache.clear()
    for _ in range(5):
        client.post(reverse("core:accessibility_feedback"), {"message": "Meldung"})
    client.post(reverse("core:accessibility_feedback"), {"message": "zu viel"})
    assert AccessibilityFeedback.objects.count() == 5


def test_district_admin_edits_the_impressum_with_audit(client: Client, personas: Personas) -> None:
    login_verified(client, personas.kreisadmin)
    response = client.post(
        reverse("staff:legal_edit", args=["impressum"]), {"title": "Impressum", "body": "## Herausgeber\nLandkreis"}
    )
    assert response.status_code == 302
    assert LegalPage.objects.get(slug="impressum").updated_by == personas.kreisadmin
    assert AuditEvent.objects.filter(action="update", object_type="core.legalpage").exists()
    assert "<h2>Herausgeber</h2>" in Client().get(reverse("core:legal", args=["impressum"])).content.decode()


def test_security_headers_on_public_pages(client: Client) -> None:
    response = client.get(reverse("core:sources"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Request-ID"]


def test_staff_pages_are_never_cached(client: Client, personas: Personas) -> None:
    login_verified(client, personas.alice)
    assert "no-store" in client.get(reverse("staff:home"))["Cache-Control"]


def test_csrf_is_enforced_on_the_login_form(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "x"})
    assert response.status_code == 403


def test_error_pages_are_generic(client: Client) -> None:
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Seite nicht gefunden" in body and "Traceback" not in body and "Django" not in body


def test_check_deploy_passes_with_production_settings() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "TEILHABE_SECRET_KEY": "a" * 20 + "-production-like-secret-key-with-enough-entropy-" + "x9Q!" * 5,
        "TEILHABE_PSEUDONYM_KEY": "pseudonym-key-production",
        "TEILHABE_DEBUG": "0",
        "TEILHABE_DEMO": "0",
        "TEILHABE_TLS": "1",
        "TEILHABE_ALLOWED_HOSTS": "teilhabe.example.de",
        "DATABASE_URL": "sqlite:///:memory:",
        # A public site must name its operator (teilhabe.E101/E102, issue 13).
        "TEILHABE_OPERATOR_NAME": "Landkreis Uckermark",
        "TEILHABE_OPERATOR_ADDRESS": "Karl-Marx-Straße 1, 17291 Prenzlau",
        "TEILHABE_CONTACT_EMAIL": "integration@uckermark.example.de",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"TEILHABE_SECRET_KEY", "TEILHABE_DEBUG", "TEILHABE_DEMO"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "TEILHABE_SECRET_KEY" in result.stderr


def test_demo_accounts_exist_only_with_the_demo_flag(regions: None, settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ImproperlyConfigured

    from teilhabe.core.demo import create_demo_district

    settings.DEMO = False
    with pytest.raises(ImproperlyConfigured):
        create_demo_district()
    settings.DEMO = True
    district = create_demo_district(only=())
    assert {"admin", "datenschutz", "abh.sachbearbeitung", "jc.fallmanagement", "mbe.beratung", "verein"} <= set(
        district.users
    )
    assert len(district.organisations) == 8
    assert all(len(codes) == 5 for codes in district.codes.values())
