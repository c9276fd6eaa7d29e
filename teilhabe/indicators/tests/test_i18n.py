"""Catalogue texts in every public language (issue 13, example 1) and the language-purity check."""

from __future__ import annotations

import gettext
import re
from functools import cache
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml
from django.conf import settings
from django.test import Client
from django.utils import translation

from teilhabe.indicators import i18n
from teilhabe.indicators.catalogue import load_catalogue

LANGS = ["de", "en", "ar", "fa", "uk", "ru", "tr"]
OTHER = [code for code in LANGS if code != "de"]


def test_every_catalogue_entry_is_translated_into_every_public_language() -> None:
    catalogue = load_catalogue()
    missing = []
    for lang in OTHER:
        for ind in catalogue.indicators.values():
            for label, text in [
                ("name", i18n.indicator_name(ind, lang)),
                ("definition", i18n.indicator_definition(ind, lang)),
                ("unit", i18n.unit_label(ind.unit, lang)),
                ("theme", i18n.theme_name(ind.theme, lang)),
                ("migration", i18n.migration_definition_name(ind.migration_definition, lang)),
                ("caveats", i18n.indicator_caveats(ind, lang)),
                ("anchor", i18n.indicator_anchor(ind, lang)),
                *[(f"source {code}", i18n.data_source_name(code, "", lang)) for code in ind.sources],
            ]:
                if text.lang != lang:
                    missing.append(f"{ind.code} {label} {lang}")
            for category in ind.categories:
                if category.code and i18n.category_name(ind, category, lang).lang != lang:
                    missing.append(f"{ind.code} {category.code} {lang}")
    assert missing == []


def test_german_falls_back_marked_for_custom_indicators() -> None:
    class Custom:
        code = "X-99"
        name_de = "Eigener Indikator"
        name_en = ""
        definition = "Eigene Definition"

    name = i18n.indicator_name(Custom(), "ar")
    assert name.lang == "de"
    assert name.html("ar") == '<span lang="de" data-fallback="user">Eigener Indikator</span>'
    assert i18n.indicator_name(Custom(), "de").html("de") == "Eigener Indikator"


@pytest.mark.django_db
def test_caveats_translated_until_a_statistician_edits_them(catalogue: None) -> None:
    from teilhabe.indicators.models import Indicator

    indicator = Indicator.objects.get(code="DEM-01")
    caveats = i18n.indicator_caveats(indicator, "ar")
    assert caveats.lang == "ar" and "AZR" in caveats
    assert i18n.indicator_anchor(Indicator.objects.get(code="DEM-06"), "fa") == indicator_anchor_german("DEM-06")
    indicator.caveats = "Eigener Hinweis der Statistikstelle."
    edited = i18n.indicator_caveats(indicator, "ar")
    assert edited.lang == "de" and edited.user  # user content without a translation, marked as such
    assert 'data-fallback="user"' in edited.html("ar")


def indicator_anchor_german(code: str) -> str:
    return load_catalogue().indicators[code].anchor  # "IntMK A1a; NI 1-2-6, 1-2-7": codes read the same


# --- Language purity ------------------------------------------------------------------------------------


@cache
def known_texts() -> dict[str, frozenset[str]]:
    """Platform texts per language: catalogue (German source + translations) and the UI catalogues."""
    texts: dict[str, set[str]] = {lang: set() for lang in LANGS}
    catalogue = load_catalogue()
    for lang in LANGS:
        for ind in catalogue.indicators.values():
            texts[lang].add(str(i18n.indicator_name(ind, lang)))
            texts[lang].add(str(i18n.indicator_definition(ind, lang)))
            texts[lang].add(str(i18n.unit_label(ind.unit, lang)))
            texts[lang].add(str(i18n.theme_name(ind.theme, lang)))
            texts[lang].update(str(i18n.category_name(ind, c, lang)) for c in ind.categories if c.code)
            texts[lang].add(str(i18n.indicator_caveats(ind, lang)))
            texts[lang].add(str(i18n.indicator_anchor(ind, lang)))
        texts[lang].update(str(name) for name in i18n.source_names(list(catalogue.data_sources), lang))
    raw = yaml.safe_load(i18n.I18N_PATH.read_text(encoding="utf-8"))
    for entry in raw["references"].values():
        for lang, text in entry.items():
            texts[lang].add(text)
    texts["en"].update({"percent", "Share of foreign population"})  # INKAR's English codebook
    base = Path(settings.BASE_DIR)
    for lang in OTHER:
        # The global catalogue and every app's own (concept, surveys, directory, ...).
        for mo in [base / "locale", *sorted((base / "teilhabe").glob("*/locale"))]:
            path = mo / lang / "LC_MESSAGES" / "django.mo"
            if not path.exists():
                continue
            with path.open("rb") as handle:
                catalog: dict[Any, str] = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
            for msgid, msgstr in catalog.items():
                if isinstance(msgid, tuple) or not msgid or "%" in msgid or "{" in msgid:
                    continue
                texts["de"].add(msgid)
                texts[lang].add(msgstr)
    return {lang: frozenset(t for t in values if len(t) >= 8) for lang, values in texts.items()}


def visible_text(html: str, lang: str) -> str:
    """Text a reader of ``lang`` sees, without parts marked as another language (``lang="de"`` fallbacks,
    the language switch) and without scripts."""
    page = lxml.html.fromstring(html)
    user_texts = [" ".join(e.text_content().split()) for e in page.xpath("//body//*[@data-fallback='user']")]
    for element in list(page.iter()):
        # Attributions cite licence and source names verbatim ("Datenlizenz Deutschland", "Zensus 2022").
        if element.tag in ("script", "style") or "attribution" in (element.get("class") or "").split():
            element.drop_tree()
    for element in page.xpath("//body//*[@lang]"):
        if element.get("lang", "").split("-")[0] != lang and element.getparent() is not None:
            element.drop_tree()
    # The page title repeats user content of the heading (a survey's German title): not platform text.
    title = page.findtext(".//title") or ""
    for text in user_texts:
        title = title.replace(text, "")
    texts = [title]
    body = page.find("body")
    texts.append(body.text_content() if body is not None else "")
    for element in page.xpath("//body//*[@aria-label or @title or @alt]"):
        texts += [element.get(attr, "") for attr in ("aria-label", "title", "alt")]
    return " ".join(" ".join(texts).split())


def german_blocks(html: str, lang: str) -> list[str]:
    """German blocks (``lang="de"``) on a page in another language that are not allowed there.

    Allowed: user content without a translation (marked ``data-fallback="user"``: offers, commentary,
    concept content, legal texts the district has not translated), verbatim citations (class
    ``attribution`` for credits, ``citation`` for a quoted German name in a translation) and the language
    switch (``hreflang``). Everything else German on such a page is
    platform text that must be translated (catalogue, templates, report methods, legal starting texts).
    """
    if lang == "de":
        return []
    page = lxml.html.fromstring(html)
    found = []
    for element in page.xpath("//body//*[@lang]"):
        if element.get("lang", "").split("-")[0] != "de":
            continue
        chain = [element, *element.iterancestors()]
        if any(e.get("data-fallback") == "user" or e.get("hreflang") for e in chain):
            continue
        if any({"attribution", "citation"} & set((e.get("class") or "").split()) for e in chain):
            continue
        if any("language-switch" in (e.get("class") or "") for e in chain):
            continue
        text = " ".join(element.text_content().split())
        if text:
            found.append(f"<{element.tag} lang=de> {text[:80]}")
    return found


@cache
def _as_word(candidate: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(candidate) + r"(?!\w)")


def wrong_language(html: str, lang: str) -> list[str]:
    """Platform texts from another language found on a page in ``lang`` (empty when the page is pure)."""
    text = visible_text(html, lang)
    own = known_texts()[lang]
    found = []
    for other, candidates in known_texts().items():
        if other == lang:
            continue
        for candidate in candidates:
            # Whole words only: the English "Download" is not a finding inside the German "Downloads".
            if candidate not in own and candidate in text and _as_word(candidate).search(text):
                found.append(f"{other}: {candidate}")
    # A longer text reported once is enough; drop shorter ones contained in it.
    return sorted(f for f in found if not any(f != g and f.split(": ", 1)[1] in g for g in found))


@pytest.mark.django_db
def test_indicator_page_german_shows_no_english(client: Client, data: list[str]) -> None:
    # Example 1: "Share of foreign population (INKAR, 2022)" and "percent" on the German DEM-01 page.
    html = client.get("/monitoring/indikator/DEM-01/").content.decode()
    assert "Share of foreign" not in html and "percent" not in html
    assert wrong_language(html, "de") == []


@pytest.mark.django_db
@pytest.mark.parametrize("lang", OTHER)
def test_indicator_page_in_language(client: Client, data: list[str], lang: str) -> None:
    with translation.override(lang):
        expected = str(i18n.indicator_name(load_catalogue().indicators["DEM-01"], lang))
        year_axis = translation.gettext("Jahr")
    html = client.get(f"/{lang}/monitoring/indikator/DEM-01/").content.decode()
    assert expected in html
    assert f">{year_axis}<" in html  # the chart's axis title
    assert wrong_language(html, lang) == []


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_rtl_chart_title_is_whole_and_laid_out_ltr(client: Client, data: list[str], lang: str) -> None:
    # Example 3: the Arabic DEM-01 chart showed one letter of its title (RTL direction flipped the anchor).
    page = lxml.html.fromstring(client.get(f"/{lang}/monitoring/indikator/DEM-01/").content)
    chart = page.xpath("//svg[contains(@class,'chart-svg')]")[0]
    assert chart.get("direction") == "ltr"
    with translation.override(lang):
        name = str(i18n.indicator_name(load_catalogue().indicators["DEM-01"], lang))
    texts = [t.text_content() for t in chart.iter("text")]
    assert any(name in t for t in texts), texts[:5]


def test_purity_walk_fails_on_platform_german_but_allows_user_content() -> None:
    page = (
        '<html lang="ar"><body><dl><dd lang="de">Amtlicher Kreiswert weicht ab.</dd></dl>'
        '<div lang="de" data-fallback="user"><p>Kommentar der Redaktion</p></div>'
        '<p><span class="attribution" lang="de">Datenlizenz Deutschland</span></p>'
        '<nav class="language-switch"><a lang="de" hreflang="de">Deutsch</a></nav></body></html>'
    )
    assert german_blocks(page, "ar") == ["<dd lang=de> Amtlicher Kreiswert weicht ab."]
    assert german_blocks(page, "de") == []
