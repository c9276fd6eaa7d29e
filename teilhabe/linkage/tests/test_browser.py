"""Review queue, merge and unmerge in headless Chromium (Fallaufsicht), with axe-core WCAG 2.1 AA."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from teilhabe.core.testing import login_verified
from teilhabe.linkage.models import CandidateStatus, LinkCandidate, Merge
from teilhabe.registry import services as registry
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import Case
from teilhabe.registry.tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _axe(page: Page) -> list[str]:
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in results.response["violations"]]


def test_review_merge_and_unmerge_in_the_browser(page: Page, live_server, world: World) -> None:  # type: ignore[no-untyped-def]
    data = {"legal_basis": LegalBasis.ART6_1_E, "birth_year": 1991, "sex": "m", "nationalities": ["475"]}
    first = registry.case_create(
        acting_user=world.p.alice,
        owner=world.p.org_a,
        data={
            **data,
            "family_name": "الأحمد",
            "given_names": "محمد",
            "family_name_latin": "Al-Ahmad",
            "given_names_latin": "Mohammed",
            "reference": "JC-1",
        },
    )
    second = registry.case_create(
        acting_user=world.p.alice,
        owner=world.p.org_a,
        data={**data, "family_name": "Alahmad", "given_names": "Muhammad", "reference": "JC-2"},
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
    page.goto(f"{live_server.url}/staff/abgleich/")
    page.get_by_role("button", name="Dublettensuche für Jobcenter A starten").click()
    page.get_by_role("link", name="JC-1").click()
    expect(page.locator("#side-by-side")).to_contain_text("Al-Ahmad")
    expect(page.locator("#side-by-side")).to_contain_text("Alahmad")
    assert _axe(page) == []
    page.get_by_label("dieselbe Person").check()
    page.locator("#decision-form").get_by_label("Begründung").fill("Passkopien verglichen")
    page.get_by_role("button", name="Entscheidung speichern").click()
    expect(page.locator("#candidate-status")).to_have_text("dieselbe Person")
    page.locator("#merge-form").get_by_label("Führende Akte (bleibt bestehen)").select_option(label="JC-1")
    page.locator("#merge-form").get_by_label("Begründung der Zusammenführung").fill("Dublette aus Altbestand")
    page.get_by_role("button", name="Zusammenführen").click()
    expect(page.get_by_role("cell", name="Dublette aus Altbestand")).to_be_visible()
    assert _axe(page) == []
    merge = Merge.objects.get()
    assert merge.survivor == first and merge.absorbed == second and merge.undone_at is None
    page.get_by_label("Begründung der Trennung").fill("verschiedene Geburtsurkunden")
    page.get_by_role("button", name="Trennen").click()
    expect(page.get_by_role("cell", name="verschiedene Geburtsurkunden", exact=False)).to_be_visible()
    merge.refresh_from_db()
    assert merge.undone_at is not None
    assert LinkCandidate.objects.get(left=first, right=second).status == CandidateStatus.SAME
    assert Case.objects.get(pk=second.pk).family_name == "Alahmad"
