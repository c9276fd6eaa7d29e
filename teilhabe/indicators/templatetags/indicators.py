from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

from teilhabe.indicators import i18n
from teilhabe.indicators.dashboard import format_number

register = template.Library()


@register.filter
def de_number(value: float | None, digits: int = 1) -> str:
    """German number format (1.234,5); a dash for missing values."""
    return format_number(value, int(digits))


@register.filter
def de_count(value: float | None) -> str:
    return format_number(value, 0)


# --- Catalogue texts in the page's language (teilhabe/indicators/i18n.py) ------------------------------


@register.filter
def ind_name(indicator: Any) -> SafeString:
    """Indicator name in the current language; a German fallback is wrapped in ``<span lang="de">``."""
    return i18n.indicator_name(indicator).html()


@register.filter
def ind_name_text(indicator: Any) -> str:
    """Indicator name as plain text (for ``<title>``, attributes, chart titles)."""
    return str(i18n.indicator_name(indicator))


@register.filter
def ind_definition(indicator: Any) -> SafeString:
    return i18n.indicator_definition(indicator).html()


@register.filter
def ind_caveats(indicator: Any) -> SafeString:
    """Caveats in the current language (a dash when there are none)."""
    text = i18n.indicator_caveats(indicator)
    return text.html() if text else format_html("–")


@register.filter
def ind_anchor(indicator: Any) -> SafeString:
    text = i18n.indicator_anchor(indicator)
    return text.html() if text else format_html("–")


@register.filter
def ind_sources(codes: list[str]) -> SafeString:
    """Data source names (catalogue codes) in the current language, joined with "; "."""
    return format_html_join("; ", "{}", ((name.html(),) for name in i18n.source_names(list(codes or []))))


@register.simple_tag
def catalogue_source(code: str, german: str) -> SafeString:
    """Name of data source ``code`` from a report snapshot (German) in the current language."""
    return i18n.data_source_name(code, german).html()


@register.simple_tag
def catalogue_caveats(code: str, german: str) -> SafeString:
    """Caveats of indicator ``code`` from a report snapshot (German) in the current language."""
    return i18n.indicator_caveats(_Note(code, german)).html()


class _Note:
    def __init__(self, code: str, caveats: str) -> None:
        self.code, self.caveats = code, caveats


@register.filter
def ind_unit(unit: str) -> SafeString:
    return i18n.unit_label(unit or "").html()


@register.filter
def ind_theme(code: str) -> SafeString:
    return i18n.theme_name(code).html()


@register.filter
def ind_migration(code: str) -> SafeString:
    return i18n.migration_definition_name(code).html()


@register.simple_tag
def ind_category(indicator: Any, category: Any) -> SafeString:
    """Name of one category of ``indicator`` in the current language."""
    return i18n.category_name(indicator, category).html()


@register.filter
def localized(text: Any) -> SafeString:
    """A :class:`~teilhabe.indicators.i18n.Localized` string (or plain text) with its ``lang`` marked."""
    if isinstance(text, i18n.Localized):
        return text.html()
    return conditional_escape(text)


@register.simple_tag
def first_category(indicator: Any) -> i18n.Localized | None:
    """Name of the category the overview shows for a categorical indicator (its first), else ``None``."""
    categories = indicator.category_list()
    if len(categories) < 2 and not (categories and categories[0].code):
        return None
    return i18n.category_name(indicator, categories[0])


_ByCode = i18n.CatalogueRef


@register.simple_tag
def catalogue_name(code: str, german: str) -> SafeString:
    """Name of indicator ``code`` in the current language; ``german`` (from a snapshot) as marked fallback."""
    return i18n.indicator_name(_ByCode(code, german)).html()


@register.simple_tag
def catalogue_definition(code: str, german: str) -> SafeString:
    return i18n.indicator_definition(_ByCode(code, "", german)).html()


@register.simple_tag
def catalogue_figure(code: str, german_name: str, category_code: str, german_category: str) -> SafeString:
    """ "Indicator – category" in the current language (the category a figure shows)."""
    return i18n.figure_label_by_code(code, german_name, category_code, german_category).html()


@register.simple_tag
def theme_title(theme: str, title: str) -> SafeString:
    """Chapter title: the field of action in the current language unless the editors gave their own title."""
    from teilhabe.indicators.catalogue import THEMES

    if title and title != THEMES.get(theme):
        return (
            format_html('<span lang="de" data-fallback="user">{}</span>', title)
            if i18n.current_language() != "de"
            else format_html("{}", title)
        )
    return i18n.theme_name(theme).html()
