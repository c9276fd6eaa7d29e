from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from teilhabe.directory import services
from teilhabe.directory.models import Offer, Status, TranslationStatus
from teilhabe.directory.search import haversine_km
from teilhabe.directory.tests.helpers import make_location, make_offer

pytestmark = pytest.mark.django_db


def test_search_finds_published_offers_only(personas) -> None:
    make_offer(personas.org_a, title="Deutschkurs am Abend")
    make_offer(personas.org_a, title="Geheimer Entwurf", status=Status.DRAFT)
    response = Client().get(reverse("directory:search"), {"q": "deutschkurs"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Deutschkurs am Abend" in body
    assert "Geheimer Entwurf" not in body


def test_full_text_uses_stemming_on_postgresql_and_substring_on_sqlite(personas) -> None:
    make_offer(personas.org_a, title="Sprachkurse für Frauen")
    other = make_offer(personas.org_a, title="Fußballtraining", offer_type="leisure", summary="Sport")
    response = Client().get(reverse("directory:search"), {"q": "Sprachkurs"})
    assert "Sprachkurse für Frauen" in response.content.decode()
    assert other.title not in response.content.decode()


def test_filters_combine_and_urls_are_shareable(personas) -> None:
    location = make_location(personas.org_a)
    make_offer(
        personas.org_a,
        title="Kostenlose Beratung",
        offer_type="counselling",
        is_free=True,
        languages=["uk"],
        target_groups=["women"],
        location=location,
    )
    make_offer(personas.org_a, title="Teure Beratung", offer_type="counselling", is_free=False, languages=["de"])
    url = reverse("directory:search") + "?typ=counselling&kostenlos=on&sprache=uk&zielgruppe=women&barrierefrei=on"
    body = Client().get(url).content.decode()
    assert "Kostenlose Beratung" in body
    assert "Teure Beratung" not in body


def test_near_me_orders_by_distance_and_respects_radius(personas) -> None:
    near = make_location(personas.org_a, name="Nah", latitude=53.32, longitude=13.87)
    far = make_location(personas.org_a, name="Fern", latitude=53.05, longitude=14.30)
    make_offer(personas.org_a, title="Nahes Angebot", location=near)
    make_offer(personas.org_a, title="Fernes Angebot", location=far)
    body = Client().get(reverse("directory:search"), {"lat": "53.3167", "lon": "13.8667", "umkreis": "10"}).content
    assert "Nahes Angebot" in body.decode()
    assert "Fernes Angebot" not in body.decode()
    assert haversine_km(53.3167, 13.8667, 53.05, 14.30) > 30


def test_detail_falls_back_to_german_with_notice(personas) -> None:
    offer = make_offer(personas.org_a, title="Hausaufgabenhilfe")
    client = Client()
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        body = client.get(reverse("directory:offer", args=[offer.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Hausaufgabenhilfe" in body
    assert 'lang="de"' in body
    assert "directory-notice" in body


def test_detail_shows_translation_and_machine_or_outdated_notice(personas) -> None:
    offer = make_offer(personas.org_a, title="Hausaufgabenhilfe")
    services.translation_save(
        acting_user=None, obj=offer, language="ar", data={"title": "مساعدة في الواجبات"}, machine=True
    )
    client = Client()
    client.cookies["django_language"] = "ar"
    body = client.get(reverse("directory:offer", args=[offer.pk])).content.decode()
    assert "مساعدة في الواجبات" in body
    assert 'dir="rtl"' in body
    assert "directory-notice" in body
    # Changing the German text makes every existing translation 'outdated'.
    services.offer_update(acting_user=None, offer=offer, data={"title": "Hausaufgabenhilfe (neu)"})
    assert offer.translations.get(language="ar").status == TranslationStatus.OUTDATED


def test_unpublished_detail_is_404(personas) -> None:
    offer = make_offer(personas.org_a, status=Status.DRAFT)
    assert Client().get(reverse("directory:offer", args=[offer.pk])).status_code == 404


def test_search_text_contains_translations(personas) -> None:
    offer = make_offer(personas.org_a, title="Nähcafé")
    services.translation_save(acting_user=None, obj=offer, language="uk", data={"title": "Кафе шиття"})
    assert "кафе шиття" in Offer.objects.get(pk=offer.pk).search_text


def test_html_in_offer_is_escaped(personas) -> None:
    offer = make_offer(personas.org_a, title="<script>alert(1)</script>Kurs", description="<img src=x onerror=1>")
    body = Client().get(reverse("directory:offer", args=[offer.pk])).content.decode()
    assert "<script>alert(1)" not in body
    assert "<img src=x" not in body
    assert "&lt;script&gt;" in body


def test_cached_search_is_invalidated_by_writes(personas) -> None:
    client = Client()
    url = reverse("directory:search") + "?q=Tanzgruppe"
    assert "Tanzgruppe" not in client.get(url).content.decode().split("</form>")[-1]
    make_offer(personas.org_a, title="Tanzgruppe für Frauen", offer_type="leisure")
    assert "Tanzgruppe für Frauen" in client.get(url).content.decode()
