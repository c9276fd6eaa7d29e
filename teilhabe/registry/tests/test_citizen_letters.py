"""Letters to the data subject read like letters (issue 10, item 9): plain German, German dates, periods in
years, no internal keys or English status words; Arabic and English where the case records the language;
the access history names the actor's own organisation or "Datenschutz"."""

from __future__ import annotations

import re

from django.urls import reverse

from teilhabe.registry import services
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.tests.conftest import World

INTERNAL = (
    "sent",
    "revoked",
    "(pii)",
    "(residence_status)",
    "residence_status",
    "aufenthalt, identitaet",
    "identitaet",
    "sprachkurs",
    "3650 Tage",
    "Tage nach Abschluss",
    "sozialdatum",
    "art9",
)
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _letter_text(html: str) -> str:
    start = html.index("<article")
    return html[start : html.index("</article>")]


def _with_history(world: World) -> None:
    kept = services.transmission_request(
        acting_user=world.p.alice,
        case=world.case,
        recipient=world.org_c,
        groups=["identitaet", "sprachkurs"],
        legal_basis=LegalBasis.SGB_X_69_1_1,
        purpose="Kursplanung",
    )
    gone = services.transmission_request(
        acting_user=world.p.alice,
        case=world.case,
        recipient=world.p.org_b,
        groups=["identitaet"],
        legal_basis=LegalBasis.AUFENTHG_87,
        purpose="Unterrichtung",
    )
    services.transmission_revoke(acting_user=world.p.alice, transmission=gone, reason="Zweck erfüllt")
    assert kept


def test_art15_report_is_plain_german(world: World) -> None:
    """Example 9: "sent", "revoked", "(pii)", "aufenthalt, identitaet", ISO timestamps, "3650 Tage"."""
    _with_history(world)
    html = world.client(world.dora).get(reverse("registry:access_report", kwargs={"pk": world.case.pk})).content
    letter = _letter_text(html.decode())
    for word in INTERNAL:
        assert word not in letter, word
    assert not ISO.search(letter)
    assert "10 Jahre" in letter and "Integrations- und Sprachkurse" in letter
    assert "widerrufen" in letter and "übermittelt" in letter
    assert re.search(r"\d{2}\.\d{2}\.\d{4}", letter)
    assert 'lang="de"' in html.decode()


def test_art15_report_in_the_persons_language(world: World) -> None:
    _with_history(world)
    services.consent_give(
        acting_user=world.p.alice,
        case=world.case,
        purpose="Kursstand an Migrationsberatung",
        data_items=["identitaet", "sprachkurs"],
        recipients=[world.org_c],
        language="ar",
        text_version="v1",
    )
    client = world.client(world.dora)
    html = client.get(reverse("registry:access_report", kwargs={"pk": world.case.pk})).content.decode()
    letter = _letter_text(html)
    assert 'lang="ar"' in letter and 'dir="rtl"' in letter
    assert "معلومات عن بياناتك" in letter and "حقوقك" in letter and "10 سنوات" in letter
    for word in INTERNAL:
        assert word not in letter, word
    english = _letter_text(
        client.get(reverse("registry:access_report", kwargs={"pk": world.case.pk}) + "?lang=en").content.decode()
    )
    assert "Information about your data" in english and "10 years" in english
    # A language without a translation falls back to German instead of showing keys.
    german = _letter_text(
        client.get(reverse("registry:access_report", kwargs={"pk": world.case.pk}) + "?lang=xx").content.decode()
    )
    assert "Auskunft über Ihre Daten" in german or "معلومات" in german


def test_access_history_names_the_actors_own_organisation_or_datenschutz(world: World) -> None:
    """Example 9: the DPO's own reads were listed under the case owner's name."""
    world.client(world.p.alice).get(reverse("registry:detail", kwargs={"pk": world.case.pk}))
    dpo = world.client(world.p.dpo)
    dpo.get(reverse("registry:history", kwargs={"pk": world.case.pk}))
    page = dpo.get(reverse("registry:history", kwargs={"pk": world.case.pk}))
    rows = {(row["e"].username, row["organisation"]) for row in page.context["rows"]}
    assert ("dsb", "Datenschutz") in rows
    assert ("alice", world.p.org_a.name) in rows
    assert not any(user == "dsb" and org == world.p.org_a.name for user, org in rows)
