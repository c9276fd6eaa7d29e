"""The catalogue's public texts in every public language.

German is the source (``catalogue.yaml`` and the database rows synced from it); the other public languages
come from ``catalogue_i18n.yaml`` (names, categories, units, short definitions, themes, migration
definitions, labels of official reference indicators). English falls back to the catalogue's ``name_en``.
Where nothing exists (e.g. an indicator a statistician added in the staff area), the German text is
returned as a :class:`Localized` string whose ``lang`` is ``"de"``, so templates mark it ``lang="de"``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from teilhabe.indicators.catalogue import MIGRATION_DEFINITIONS, THEMES

I18N_PATH = Path(__file__).resolve().parent / "catalogue_i18n.yaml"
PUBLIC_LANGUAGES = ("de", "en", "ar", "fa", "uk", "ru", "tr")


class Localized(str):
    """A text with the language it is actually written in (``lang``), e.g. ``"de"`` for a fallback."""

    lang: str
    user: bool  # written by staff (custom indicator, locally edited text), not part of the shipped catalogue

    def __new__(cls, text: str, lang: str, user: bool = False) -> Localized:
        obj = super().__new__(cls, text)
        obj.lang = lang
        obj.user = user
        return obj

    def html(self, current: str | None = None) -> SafeString:
        """Escaped text; wrapped in ``<span lang="…">`` when it is not in the page's language (with
        ``data-fallback="user"`` when it is staff-written text that has no translation yet)."""
        current = (current or get_language() or "de").split("-")[0]
        if self.lang != current:
            if self.user:
                return format_html('<span lang="{}" data-fallback="user">{}</span>', self.lang, str(self))
            return format_html('<span lang="{}">{}</span>', self.lang, str(self))
        return format_html("{}", str(self))


@functools.cache
def _data() -> dict[str, Any]:
    with I18N_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def current_language(lang: str | None = None) -> str:
    code = (lang or get_language() or "de").split("-")[0]
    return code if code in PUBLIC_LANGUAGES else "de"


def _pick(entry: dict[str, str] | None, lang: str, german: str, english: str = "", user: bool = False) -> Localized:
    entry = entry or {}
    if lang == "de":
        return Localized(entry.get("de") or german, "de")
    if entry.get(lang):
        return Localized(entry[lang], lang)
    if lang == "en" and english:
        return Localized(english, "en")
    if entry.get("de"):
        return Localized(entry["de"], "de", user)
    return Localized(german, "de", user)


def _is_custom(indicator: Any) -> bool:
    """An indicator statisticians added in the staff area (not in the shipped catalogue)."""
    from teilhabe.indicators.catalogue import load_catalogue

    return indicator.code not in load_catalogue().indicators


def _indicator_entry(code: str) -> dict[str, Any]:
    return dict(_data().get("indicators", {}).get(code) or {})


def indicator_name(indicator: Any, lang: str | None = None) -> Localized:
    """Name of an indicator (anything with ``code``, ``name_de``, ``name_en``)."""
    entry = _indicator_entry(indicator.code).get("name")
    english = getattr(indicator, "name_en", "")
    return _pick(entry, current_language(lang), indicator.name_de, english, _is_custom(indicator))


def indicator_definition(indicator: Any, lang: str | None = None) -> Localized:
    entry = _indicator_entry(indicator.code).get("definition")
    return _pick(entry, current_language(lang), indicator.definition, user=_is_custom(indicator))


def _note(indicator: Any, field: str, lang: str | None) -> Localized:
    """Caveats or anchor of ``indicator`` (``field`` is ``"caveats"`` or ``"anchor"``).

    The translation is used only while the German text is still the catalogue's: a text edited in the
    staff area has no translation yet and comes back as German (``lang="de"``). An anchor marked
    ``neutral`` consists of codes and names only and reads the same in every language.
    """
    from teilhabe.indicators.catalogue import load_catalogue

    code = current_language(lang)
    german = str(getattr(indicator, field, "") or "")
    if not german.strip():
        return Localized("", code)
    entry = (_data().get("notes") or {}).get(indicator.code, {}).get(field)
    catalogue = load_catalogue().indicators.get(indicator.code)
    if catalogue is None or getattr(catalogue, field) != german:
        return _pick(None, code, german, user=True)
    if entry == "neutral":
        return Localized(german, code)
    return _pick(entry, code, german)


def data_source_name(code: str, german: str, lang: str | None = None) -> Localized:
    """Name of data source ``code`` (catalogue ``data_sources``); ``german`` as marked fallback."""
    return _pick((_data().get("data_sources") or {}).get(code), current_language(lang), german)


def source_names(codes: list[str], lang: str | None = None) -> list[Localized]:
    from teilhabe.indicators.catalogue import load_catalogue

    names = load_catalogue().data_sources
    return [data_source_name(code, names.get(code, code), lang) for code in codes]


def indicator_caveats(indicator: Any, lang: str | None = None) -> Localized:
    """The indicator's caveats ("Hinweise") in ``lang``; German marked as fallback when edited locally."""
    return _note(indicator, "caveats", lang)


def indicator_anchor(indicator: Any, lang: str | None = None) -> Localized:
    """Where the indicator comes from ("Bezug"), in ``lang``."""
    return _note(indicator, "anchor", lang)


def category_name(indicator: Any, category: Any, lang: str | None = None) -> Localized:
    """Name of one category (``category`` has ``code``, ``name_de``, ``name_en``) of ``indicator``."""
    entry = (_indicator_entry(indicator.code).get("categories") or {}).get(category.code)
    english = getattr(category, "name_en", "")
    return _pick(entry, current_language(lang), category.name_de, english, _is_custom(indicator))


def category_name_by_code(indicator: Any, code: str | None, lang: str | None = None) -> Localized | None:
    """Translated name of the category ``code`` of ``indicator``; ``None`` for a plain indicator."""
    if not code:
        return None
    for category in indicator.category_list():
        if category.code == code:
            return category_name(indicator, category, lang)
    return None


def unit_label(unit: str, lang: str | None = None) -> Localized:
    """A unit such as ``%`` or ``je 1 000 Einwohner`` (also the INKAR codebook's ``percent``)."""
    entry = (_data().get("units") or {}).get(unit)
    return _pick(entry, current_language(lang), unit)


def theme_name(code: str, lang: str | None = None) -> Localized:
    return _pick((_data().get("themes") or {}).get(code), current_language(lang), THEMES.get(code, code))


def migration_definition_name(code: str, lang: str | None = None) -> Localized:
    entry = (_data().get("migration_definitions") or {}).get(code)
    return _pick(entry, current_language(lang), MIGRATION_DEFINITIONS.get(code, code))


def reference_label(source: str, indicator: str, label: str, lang: str | None = None) -> Localized:
    """Label of an official reference indicator (Zensus, INKAR); the codebook's own label as last resort."""
    entry = (_data().get("references") or {}).get(f"{source}:{indicator}")
    if entry is None:
        return Localized(label, "en" if source == "inkar" else "de")
    return _pick(entry, current_language(lang), label)


def indicator_heading(indicator: Any, lang: str | None = None) -> Localized:
    """``"DEM-07: Familienstand Erwachsener …"`` — headings name the indicator, never one category."""
    name = indicator_name(indicator, lang)
    return Localized(f"{indicator.code}: {name}", name.lang, name.user)


def figure_label(indicator: Any, category_code: str | None, lang: str | None = None) -> Localized:
    """Indicator name plus the category a figure shows: ``"Familienstand … – ledig"``."""
    name = indicator_name(indicator, lang)
    category = category_name_by_code(indicator, category_code, lang)
    if category is None:
        return name
    return Localized(
        f"{name} – {category}", name.lang if name.lang == category.lang else "de", name.user or category.user
    )


def separators(lang: str | None = None) -> tuple[str, str]:
    """``(decimal, thousands)`` separators of a public language, from Django's locale formats."""
    from django.utils import formats

    code = current_language(lang)
    decimal = str(formats.get_format("DECIMAL_SEPARATOR", code, use_l10n=True))
    thousands = str(formats.get_format("THOUSAND_SEPARATOR", code, use_l10n=True))
    return decimal, thousands


def chart_locale(lang: str | None = None) -> dict[str, Any]:
    """A d3-format locale for Vega charts that matches :func:`separators` (the tables below the chart)."""
    decimal, thousands = separators(lang)
    return {"decimal": decimal, "thousands": thousands, "grouping": [3], "currency": ["", "\u00a0€"]}


def is_rtl(lang: str | None = None) -> bool:
    from django.conf import settings

    return current_language(lang) in settings.LANGUAGES_BIDI


class CatalogueRef:
    """An indicator known by id and its German texts (report snapshots store German); English names and
    category names come from the catalogue, the other languages from ``catalogue_i18n.yaml``."""

    def __init__(self, code: str, name_de: str = "", definition: str = "") -> None:
        from teilhabe.indicators.catalogue import load_catalogue

        entry = load_catalogue().indicators.get(code)
        self.code, self.name_de, self.definition = code, name_de, definition
        self.name_en = entry.name_en if entry else ""
        self._categories = list(entry.categories) if entry else []

    def category_list(self) -> list[Any]:
        return self._categories


def figure_label_by_code(code: str, german_name: str, category_code: str = "", german_category: str = "") -> Localized:
    """``figure_label`` for a snapshot entry: "Familienstand … – ledig" in the current language."""
    ref = CatalogueRef(code, german_name)
    name = indicator_name(ref)
    if not category_code:
        return name
    known = {c.code: c for c in ref.category_list()}

    class _Category:
        code = category_code
        name_de = german_category
        name_en = known[category_code].name_en if category_code in known else ""

    category = category_name(ref, _Category())
    return Localized(
        f"{name} – {category}", name.lang if name.lang == category.lang else "de", name.user or category.user
    )
