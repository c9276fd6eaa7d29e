"""The kinds the staff language walk found (issue 18), each as a small test that failed before the fix."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from teilhabe.core.staff_text_checks import check_staff_page
from teilhabe.core.testing import login_verified

pytestmark = pytest.mark.django_db


def test_art30_record_shows_german_dates_and_protection_class_labels(personas: Any) -> None:
    html = login_verified(Client(), personas.dpo).get(reverse("privacy:art30")).content.decode()
    assert "Stand des Registers: 25.11.2026" in html
    assert "<li>personenbezogene Daten: Identität" in html
    assert [f.kind for f in check_staff_page(html)] == []


def test_organisation_page_offers_role_changes_only_where_the_viewer_may_make_them(personas: Any) -> None:
    client = login_verified(Client(), personas.kreisadmin)
    html = client.get(reverse("staff:organisation", args=[personas.org_a.pk])).content.decode()
    for link in re.findall(r'href="([^"]*/mitgliedschaften/\d+/)"', html):
        assert client.get(link).status_code == 200, link
    alice = personas.alice.memberships.get()
    assert reverse("staff:membership_edit", args=[alice.pk]) not in html  # a case role: only its own org grants it


def test_legal_text_editor_labels_the_source_and_shows_a_rendered_preview(personas: Any) -> None:
    response = login_verified(Client(), personas.kreisadmin).get(reverse("staff:legal_edit", args=["datenschutz"]))
    html = response.content.decode()
    assert "Vorschau: so erscheint der gespeicherte Text" in html
    assert "<code>django_language</code>" in html
    assert [f for f in check_staff_page(html) if f.kind == "technischer Schlüssel"] == []


def test_textarea_content_is_input_not_page_text() -> None:
    html = "<main><textarea>cookie_name 2026-11-30</textarea><p>Stand 2026-11-30</p></main>"
    assert [f.kind for f in check_staff_page(html)] == ["ISO-Datum"]


def test_case_values_and_group_dates_are_german(personas: Any) -> None:
    from teilhabe.registry.display import _display_groups

    data = {
        "groups": {
            "identitaet": {
                "family_name": "Ahmad",
                "given_names": "Sara",
                "family_name_latin": "",
                "given_names_latin": "",
                "birth_date": "1990",
                "sex": "w",
                "nationalities": [],
                "arrival_date": date(2023, 2, 1).isoformat(),
                "allocation_date": None,
                "gemeinde": "",
            },
            "wohnen": {"values": {"moved_in_on": "2023-04-03"}, "legal_basis": "", "version": 1},
        }
    }
    groups = {g["name"]: {str(label): value for label, value in g["items"]} for g in _display_groups(data)}
    assert groups["identitaet"]["Einreise"] == "01.02.2023"
    assert groups["wohnen"]["Einzug"] == "03.04.2023"
