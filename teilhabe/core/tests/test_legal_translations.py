"""Legal pages in every public language (issue 13: "legal pages — all in every public language").

The shipped starting texts have real translations; the district maintains a translation per language
(status like the directory's); German stays binding and a fallback to it is marked ``lang="de"``.
"""

from __future__ import annotations

import re

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from teilhabe.audit.models import AuditEvent
from teilhabe.core.legal_defaults import TEXTS, TRANSLATED_LANGUAGES, _translations
from teilhabe.core.models import LegalPage, LegalPageTranslation
from teilhabe.core.testing import Personas, login_verified

pytestmark = pytest.mark.django_db
SLUGS = [str(slug) for slug in LegalPage.Slug]


def _body(client: Client, lang: str, slug: str) -> lxml.html.HtmlElement:
    prefix = "" if lang == "de" else f"/{lang}"
    page = lxml.html.fromstring(client.get(f"{prefix}/rechtliches/{slug}/").content)
    return page.xpath("//article[contains(@class,'legal-text')]")[0]


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_fresh_installation_shows_translated_legal_pages(client: Client, regions: None, lang: str) -> None:
    for slug in SLUGS:
        article = _body(client, lang, slug)
        body = article.xpath("./div[@lang]")[0]
        assert body.get("lang") == lang, slug
        # nothing falls back to German; quoted German official names are citations, not fallbacks
        assert not article.xpath(".//*[@lang='de'][not(contains(@class, 'citation'))]"), slug
        assert _translations(lang)["pages"][slug]["title"] in article.findtext("h1")
        # The note that German is binding, with a way to the German text.
        assert article.xpath(".//p[@role='note']/a[@hreflang='de']"), slug


def test_translations_keep_the_german_structure_and_placeholders() -> None:
    for slug, (_, german) in TEXTS.items():
        headings = german.count("\n## ") + german.startswith("## ")
        placeholders = set(re.findall(r"\{(\w+)\}", german))
        for lang in TRANSLATED_LANGUAGES:
            text = _translations(lang)["pages"][str(slug)]["body"]
            assert text.count("\n## ") + text.startswith("## ") == headings, (slug, lang)
            assert set(re.findall(r"\{(\w+)\}", text)) == placeholders, (slug, lang)
            assert "Schlichtungsstelle" not in german or "schlichtungsstelle-bgg.de" in text


def test_rtl_legal_text_keeps_addresses_in_order(client: Client, regions: None) -> None:
    article = _body(client, "ar", "barrierefreiheit")
    body = article.xpath("./div[@lang='ar']")[0]
    assert body.get("dir") == "rtl"
    runs = [b.text for b in body.iter("bdi") if b.get("dir") == "ltr"]
    assert "https://www.schlichtungsstelle-bgg.de" in runs and "info@schlichtungsstelle-bgg.de" in runs


def test_district_edits_a_translation_with_audit(client: Client, personas: Personas, regions: None) -> None:
    login_verified(client, personas.kreisadmin)
    url = reverse("staff:legal_translation", args=["impressum", "tr"])
    form = client.get(url)
    assert form.status_code == 200 and "Künye" in form.content.decode()  # starts from the shipped text
    response = client.post(url, {"title": "Künye", "body": "## Yayımlayan\nİlçe", "status": "current"})
    assert response.status_code == 302
    row = LegalPageTranslation.objects.get(slug="impressum", language="tr")
    assert row.updated_by == personas.kreisadmin
    assert AuditEvent.objects.filter(action="create", object_type="core.legalpagetranslation").exists()
    assert "<h2>Yayımlayan</h2>" in Client().get("/tr/rechtliches/impressum/").content.decode()
    assert client.get(reverse("staff:legal_pages")).status_code == 200


def test_german_edit_marks_translations_outdated_and_missing_falls_back_marked(
    client: Client, personas: Personas, regions: None
) -> None:
    login_verified(client, personas.kreisadmin)
    client.post(
        reverse("staff:legal_edit", args=["impressum"]), {"title": "Impressum", "body": "## Herausgeber\nKreis"}
    )
    rows = LegalPageTranslation.objects.filter(slug="impressum")
    assert sorted(rows.values_list("language", flat=True)) == sorted(TRANSLATED_LANGUAGES)
    assert set(rows.values_list("status", flat=True)) == {"outdated"}
    assert AuditEvent.objects.filter(action="update", object_type="core.legalpagetranslation").count() == 6
    html = Client().get("/uk/rechtliches/impressum/").content.decode()
    with translation.override("uk"):
        outdated = translation.gettext(
            "Die Übersetzung ist möglicherweise nicht mehr aktuell. Maßgeblich ist der deutsche Text."
        )
    assert "Вихідні дані" in html and outdated in html
    rows.filter(language="ar").update(status="missing")
    article = _body(Client(), "ar", "impressum")
    body = article.xpath("./div[@lang]")[0]
    assert body.get("lang") == "de" and body.get("data-fallback") == "user" and body.get("dir") == "ltr"
    assert "Kreis" in body.text_content()


def test_a_quoted_german_name_in_a_translation_is_marked_german() -> None:
    """The translated starting texts quote the German official names ("Landesbeauftragte/r für den
    Datenschutz"): marked ``lang="de"`` (WCAG 3.1.2) as a citation, escaped like the rest of the text."""
    from teilhabe.core.templatetags.teilhabe import simple_markup

    html = str(simple_markup("the State Commissioner ([[de:Landesbeauftragte/r für den Datenschutz]]) <b>"))
    assert '<span lang="de" class="citation">Landesbeauftragte/r für den Datenschutz</span>' in html
    assert "&lt;b&gt;" in html and "[[" not in html
