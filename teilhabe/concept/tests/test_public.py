"""Public pages: only the adopted public version, public responsibilities and published reports; every
public language (RTL for ar/fa); the organigram has a text equivalent and keyboard-reachable nodes."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from teilhabe.concept import network_services as net
from teilhabe.concept import services
from teilhabe.concept.models import Responsibility

from .conftest import World, put

pytestmark = pytest.mark.django_db

PUBLIC_LANGUAGES = ["de", "en", "ar", "fa", "uk", "ru", "tr"]
HEADINGS = {
    "de": "Integrationskonzept",
    "en": "Integration concept",
    "ar": "مفهوم الاندماج",
    "fa": "طرح جامع ادغام",
    "uk": "Концепція інтеграції",
    "ru": "Концепция интеграции",
    "tr": "Entegrasyon konsepti",
}


def _adopt(world: World) -> None:
    services.version_adopt(
        acting_user=world.office_user,
        version=world.concept.versions.get(),
        body="Kreistag",
        decision_date=date(2025, 3, 12),
        drucksache="DS 2025/041",
    )


def _organigram(world: World) -> tuple[Responsibility, Responsibility, Responsibility]:
    office = world.p.landkreis
    kai = net.contact_save(
        acting_user=world.office_user, owner=office, changes={"name": "Kai Koordination", "email": "kai@lk.example"}
    )
    root = net.responsibility_save(
        acting_user=world.office_user,
        changes={
            "owner": office,
            "role_title": "Integrationsbeauftragte des Kreises",
            "contact": kai,
            "is_public": True,
        },
    )
    child = net.responsibility_save(
        acting_user=world.office_user,
        changes={
            "owner": world.gemeinde_a,
            "parent": root,
            "role_title": "Ansprechperson Gemeinde A",
            "is_public": True,
        },
    )
    hidden = net.responsibility_save(
        acting_user=world.office_user,
        changes={"owner": world.gemeinde_b, "parent": root, "role_title": "Interne Vertretung B", "is_public": False},
    )
    return root, child, hidden


def test_nothing_is_public_before_adoption(world: World, client: Client) -> None:
    page = client.get(reverse("concept:index")).content.decode()
    assert "Mehr Beschäftigung" not in page
    assert client.get(reverse("concept:goal", args=[world.goal.pk])).status_code == 404


@pytest.mark.parametrize("lang", PUBLIC_LANGUAGES)
def test_the_adopted_concept_is_public_in_every_language(world: World, client: Client, lang: str) -> None:
    put(world.indicator, "kreis", settings.TEILHABE_KREIS, 2020, 40.0)
    put(world.indicator, "kreis", settings.TEILHABE_KREIS, 2022, 44.0)
    _adopt(world)
    _organigram(world)
    # Every public language has its own address (/ar/konzept/ …); German has none.
    with translation.override(lang):
        urls = [reverse("concept:index"), reverse("concept:goal", args=[world.goal.pk]), reverse("concept:organigram")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        direction = "rtl" if lang in ("ar", "fa") else "ltr"
        assert f'<html lang="{lang}" dir="{direction}">' in html, url
        if url == urls[0]:
            assert HEADINGS[lang] in html and "Mehr Beschäftigung" in html and "DS 2025/041" in html


def test_the_public_goal_shows_computed_progress_without_suppressed_values(world: World, client: Client) -> None:
    put(world.indicator, "kreis", settings.TEILHABE_KREIS, 2020, 40.0)
    put(world.indicator, "kreis", settings.TEILHABE_KREIS, 2022, 44.0)
    put(world.indicator, "kreis", settings.TEILHABE_KREIS, 2023, 77.7, suppression="primary")
    _adopt(world)
    html = client.get(reverse("concept:goal", args=[world.goal.pk])).content.decode()
    assert "44,0" in html and "auf Kurs" in html and "<svg" in html
    assert "77,7" not in html and "77.7" not in html
    assert "2023" in html  # named as suppressed, value not shown


def test_the_public_organigram_shows_only_public_entries_with_a_text_equivalent(world: World, client: Client) -> None:
    _root, child, _hidden = _organigram(world)
    html = client.get(reverse("concept:organigram")).content.decode()
    assert "Integrationsbeauftragte des Kreises" in html and "Ansprechperson Gemeinde A" in html
    assert "Interne Vertretung B" not in html
    # Each SVG node is a link to its list entry; the list is the text equivalent.
    assert f'href="#zustaendigkeit-{child.pk}"' in html and f'id="zustaendigkeit-{child.pk}"' in html
    assert 'role="group"' in html and "<title" in html
    assert html.count('class="organigram-node"') == 2


def test_staff_organigram_shows_everything_and_gemeinden_edit_only_their_own(world: World) -> None:
    from teilhabe.core.testing import login_verified

    root, child, hidden = _organigram(world)
    gero = login_verified(Client(), world.gero_a)
    html = gero.get(reverse("concept_staff:responsibilities")).content.decode()
    assert "Interne Vertretung B" in html
    assert gero.get(reverse("concept_staff:responsibility_edit", args=[child.pk])).status_code == 200
    assert gero.get(reverse("concept_staff:responsibility_edit", args=[hidden.pk])).status_code == 404
    assert gero.get(reverse("concept_staff:responsibility_edit", args=[root.pk])).status_code == 404
    response = gero.post(
        reverse("concept_staff:responsibility_edit", args=[child.pk]),
        {
            "owner": world.gemeinde_a.pk,
            "parent": root.pk,
            "role_title": "Integrationslotsin Gemeinde A",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.role_title == "Integrationslotsin Gemeinde A"


def test_a_responsibility_cannot_report_to_itself(world: World) -> None:
    root, child, _hidden = _organigram(world)
    with pytest.raises(services.ConceptError):
        net.responsibility_save(acting_user=world.office_user, changes={"parent": child}, responsibility=root)
