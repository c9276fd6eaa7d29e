"""The in-memory search index follows writes by patching (no full reload), and a search costs a fixed number of
queries however many offers it finds (decision 0061)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from teilhabe.directory import searchmemory, services
from teilhabe.directory.models import Offer, SearchTerm, Status
from teilhabe.directory.search import apply_filters, search, vocabulary
from teilhabe.directory.searchindex import index_offers
from teilhabe.directory.tests.helpers import make_location, make_offer

pytestmark = pytest.mark.django_db


def _rows(offer: Offer) -> list[tuple[int, str, int]]:
    return sorted(SearchTerm.objects.filter(offer=offer).values_list("id", "term", "weight"))


def test_a_write_is_searchable_at_once_and_other_offers_stay_untouched(personas) -> None:
    dance = make_offer(personas.org_a, title="Tanzgruppe für Jugendliche", offer_type="leisure")
    chess = make_offer(personas.org_a, title="Schachclub im Rathaus", offer_type="leisure")
    vocab = vocabulary()
    loads = searchmemory.full_loads()
    chess_rows = _rows(chess)

    services.offer_update(acting_user=None, offer=dance, data={"title": "Theatergruppe für Jugendliche"})
    assert search({"q": "Theatergruppe"}).ids == [dance.pk]
    assert search({"q": "Tanzgruppe"}).ids == []
    assert _rows(chess) == chess_rows  # the other offer's index rows were not rewritten
    assert search({"q": "Schachclub"}).ids == [chess.pk]

    climbing = make_offer(personas.org_a, title="Kletterkurs für Frauen", offer_type="leisure")
    assert search({"q": "Kletterkurse"}).ids == [climbing.pk]  # a word the index did not know before
    services.offer_update(acting_user=None, offer=climbing, data={"status": Status.DRAFT})
    assert search({"q": "Kletterkurs"}).ids == []

    # Patched, not reloaded: the same copy, no second read of the whole table.
    assert vocabulary() is vocab
    assert searchmemory.full_loads() == loads


def test_writes_of_another_process_arrive_by_the_change_log(personas, monkeypatch) -> None:
    offer = make_offer(personas.org_a, title="Nähcafé am Markt", offer_type="leisure")
    assert search({"q": "Nähcafé"}).ids == [offer.pk]
    loads = searchmemory.full_loads()
    # Another process changes the offer: no content-version bump reaches this one, only the log.
    Offer.objects.filter(pk=offer.pk).update(title="Fahrradwerkstatt am Markt")
    index_offers([offer.pk])
    monkeypatch.setattr(searchmemory, "RECHECK_SECONDS", 0.0)
    assert search({"q": "Fahrradwerkstatt"}).ids == [offer.pk]
    assert search({"q": "Nähcafé"}).ids == []
    assert searchmemory.full_loads() == loads
    # A full rebuild is the one write that reloads everything.
    index_offers()
    assert search({"q": "Fahrradwerkstatt"}).ids == [offer.pk]
    assert searchmemory.full_loads() == loads + 1
    # ... once: the rebuild's log entry stays in the grace window for minutes, and every later check
    # (each RECHECK_SECONDS in every worker) must not read the whole index again because of it.
    for _ in range(3):
        assert search({"q": "Fahrradwerkstatt"}).ids == [offer.pk]
    assert searchmemory.full_loads() == loads + 1


def test_filters_in_memory_match_the_sql_filters(personas) -> None:
    place = make_location(personas.org_a, wheelchair_accessible=True)
    make_offer(personas.org_a, title="Sprachcafé", is_free=True, languages=["de", "uk"], location=place)
    make_offer(personas.org_a, title="Hausaufgabenhilfe", is_free=False, languages=["ar"], target_groups=["children"])
    make_offer(personas.org_b, title="Beratung", offer_type="counselling", languages=["de", "ar", "fa"])
    vocab = vocabulary()
    published = Offer.objects.filter(status=Status.PUBLISHED)
    cases: list[dict[str, Any]] = [
        {"sprache": "ar"},
        {"sprache": "uk", "kostenlos": True},
        {"typ": "counselling"},
        {"zielgruppe": "children"},
        {"barrierefrei": True},
        {"typ": "language_course", "sprache": "ar", "kostenlos": True},
    ]
    for data in cases:
        expected = sorted(apply_filters(published, data).values_list("pk", flat=True))
        assert vocab.filtered(data).tolist() == expected, data


@pytest.mark.parametrize("language", ["de", "ar"])
def test_search_page_and_api_cost_the_same_queries_for_few_and_many_results(
    personas, django_assert_max_num_queries, language
) -> None:
    client = Client()
    with translation.override(language):
        page = reverse("directory:search") + "?q=Sprachkurs&sprache=ar"
    api = reverse("directory_api:offers") + f"?q=Sprachkurs&sprache=ar&lang={language}"
    make_offer(personas.org_a, title="Sprachkurs am Morgen")
    client.get(page)
    client.get(api)  # the index is loaded once per process
    make_offer(personas.org_a, title="Sprachkurs am Abend")
    # Fixed, whatever the number of results: patching the new offers into the index (change log, their rows,
    # new words, their filter facts, synonym check), the offers whose card or JSON is not cached yet and their
    # translations, the site's Kreis.
    with django_assert_max_num_queries(8):
        few = client.get(page).content.decode()
    with django_assert_max_num_queries(8):
        client.get(api)
    for number in range(25):
        make_offer(personas.org_b, title=f"Sprachkurs Gruppe {number}")
    with django_assert_max_num_queries(8):
        many = client.get(page).content.decode()
    with django_assert_max_num_queries(8):
        assert client.get(api).json()["count"] == 27
    assert many.count('class="directory-card"') == 20 > few.count('class="directory-card"') == 2


def test_cached_cards_and_offer_json_follow_every_write(personas) -> None:
    client = Client()
    offer = make_offer(personas.org_a, title="Elterncafé", summary="Treffen am Montag", offer_type="leisure")
    page = reverse("directory:search") + "?q=Elterncafe"
    api = reverse("directory_api:offers") + "?q=Elterncafe"
    assert "Treffen am Montag" in client.get(page).content.decode()
    confirmed = client.get(api).json()["results"][0]["last_confirmed_at"]
    services.offer_update(acting_user=None, offer=offer, data={"summary": "Treffen am Dienstag"})
    assert "Treffen am Dienstag" in client.get(page).content.decode()
    services.translation_save(acting_user=None, obj=offer, language="uk", data={"title": "Кафе для батьків"})
    assert "Кафе для батьків" in client.get("/uk" + page).content.decode()
    offer.refresh_from_db()
    services.offer_confirm(acting_user=personas.alice, offer=offer)
    assert client.get(api).json()["results"][0]["last_confirmed_at"] != confirmed


def test_remembered_page_parts_follow_the_visitor_and_the_words(personas) -> None:
    """The page shell is reused only for visitors without a session; the form only with the words put in."""
    from teilhabe.core.testing import login_verified

    make_offer(personas.org_a, title="Sprachcafé")
    page = reverse("directory:search")
    visitor = Client()
    first = visitor.get(page, {"q": "Sprach\"<b>&'", "typ": "leisure"}).content.decode()
    assert 'value="Sprach&quot;&lt;b&gt;&amp;&#x27;"' in first
    second = visitor.get(page, {"q": "Café", "typ": "leisure"}).content.decode()
    assert 'value="Café"' in second and "Sprach&quot;" not in second
    assert 'value="leisure" selected' in second
    assert "Abmelden" not in second
    staff = login_verified(Client(), personas.alice)
    assert "Abmelden" in staff.get(page, {"q": "Café"}).content.decode()
    assert "Abmelden" not in visitor.get(page, {"q": "Café"}).content.decode()
    # Without words the text box has no value at all, as before.
    assert 'name="q" maxlength="100" id="id_q"' in visitor.get(page, {"typ": "leisure"}).content.decode()
