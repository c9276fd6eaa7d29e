"""Legal completeness (issue 13, example 5)."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_privacy_statement_covers_every_public_processing_in_correct_german(client: Client, regions: None) -> None:
    html = client.get("/rechtliches/datenschutz/").content.decode()
    for topic in ("Vorschläge für Angebote", "Meinen Standort verwenden", "Cookies", "Server-Protokolle"):
        assert topic in html, topic
    assert "bei die" not in html
    assert "zuständigen Aufsichtsbehörde" in html


def test_accessibility_statement_follows_the_model(client: Client, regions: None) -> None:
    html = client.get("/rechtliches/barrierefreiheit/").content.decode()
    for part in (
        "teilweise vereinbar",
        "Nicht barrierefreie Inhalte",
        "erstellt und zuletzt überprüft",
        "30.11.2026",
        "Barriere melden",
        "Schlichtungsstelle",
    ):
        assert part in html, part


def _ids(**settings: str) -> set[str]:
    with override_settings(**settings):
        return {message.id for message in run_checks(include_deployment_checks=True) if message.id}


def test_check_deploy_fails_while_operator_is_unset() -> None:
    ids = _ids(OPERATOR_NAME="", OPERATOR_ADDRESS="", TEILHABE_CONTACT_EMAIL="integration@localhost")
    assert {"teilhabe.E101", "teilhabe.E102"} <= ids
    ok = _ids(
        OPERATOR_NAME="Landkreis Uckermark",
        OPERATOR_ADDRESS="Karl-Marx-Straße 1, 17291 Prenzlau",
        TEILHABE_CONTACT_EMAIL="integration@uckermark.de",
    )
    assert not {"teilhabe.E101", "teilhabe.E102"} & ok
