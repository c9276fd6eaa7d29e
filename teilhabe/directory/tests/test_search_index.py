"""The search index follows every write, and staff synonyms take effect at once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.roles import Role
from teilhabe.core.testing import login_verified, make_user
from teilhabe.directory import services
from teilhabe.directory.models import SearchTerm, Status, SynonymGroup
from teilhabe.directory.search import search
from teilhabe.directory.searchtext import analyze, analyze_query, fold_word
from teilhabe.directory.tests.helpers import grant_directory_roles, make_offer

pytestmark = pytest.mark.django_db


def test_index_and_query_share_one_pipeline() -> None:
    # Spelling variants that fold alike give the same forms on both sides.
    assert fold_word("Fuer") == fold_word("für") == fold_word("fur") == "fur"
    assert analyze_query("الأَلْمانِيَّة")[0].forms == analyze_query("الالمانية")[0].forms
    index_forms = analyze("دورة لغة ألمانية", "ar")[-1].forms
    assert index_forms & analyze_query("الالمانية")[0].forms
    assert analyze("Deutschkurse", "de")[0].forms & analyze_query("Deutschkurs")[0].forms
    assert analyze("курси", "uk")[0].forms & analyze_query("курс")[0].forms
    assert analyze_query("der die das und für") == []


def test_new_changed_and_unpublished_offers_reach_the_index(personas) -> None:
    offer = make_offer(personas.org_a, title="Tanzgruppe für Jugendliche", offer_type="leisure")
    assert search({"q": "Tanzgruppen"}).ids == [offer.pk]
    services.offer_update(acting_user=None, offer=offer, data={"title": "Theatergruppe für Jugendliche"})
    assert search({"q": "Tanzgruppe"}).ids == []
    assert search({"q": "Theater"}).ids == [offer.pk]
    services.translation_save(acting_user=None, obj=offer, language="uk", data={"title": "Театральна група"})
    assert search({"q": "театральна"}).ids == [offer.pk]
    services.offer_update(acting_user=None, offer=offer, data={"status": Status.DRAFT})
    assert search({"q": "Theater"}).ids == []
    assert not SearchTerm.objects.filter(offer=offer).exists()


def test_filters_apply_to_text_search(personas) -> None:
    free = make_offer(personas.org_a, title="Sprachcafé am Markt", is_free=True)
    make_offer(personas.org_a, title="Sprachcafé im Rathaus", is_free=False)
    assert search({"q": "Sprachcafe", "kostenlos": True}).ids == [free.pk]


def test_staff_synonyms_need_district_scope_and_apply_at_once(personas) -> None:
    grant_directory_roles(personas)
    offer = make_offer(personas.org_a, title="Fahrradwerkstatt", offer_type="volunteering")
    assert search({"q": "Velo"}).ids == []
    # Redaktion of one organisation may not change what the whole district's search finds.
    client = login_verified(Client(), personas.alice)
    assert client.get(reverse("directory_staff:synonyms")).status_code == 403
    client = login_verified(Client(), make_user("kreisredaktion", personas.landkreis, Role.REDAKTION))
    response = client.post(
        reverse("directory_staff:synonyms"), {"language": "de", "terms": "Velo, Fahrrad", "is_active": "on"}
    )
    assert response.status_code == 302
    assert SynonymGroup.objects.get().terms == "Velo, Fahrrad"
    assert search({"q": "Velo"}).ids == [offer.pk]
    bad = client.post(reverse("directory_staff:synonyms"), {"language": "de", "terms": "nur eins"})
    assert bad.status_code == 200 and "mindestens zwei" in bad.content.decode()
