from __future__ import annotations

import functools
import re
import weakref
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.forms import BaseForm, BaseFormSet, BoundField
from django.template.base import VariableNode
from django.template.loader_tags import BlockNode
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from teilhabe.lib import formats

register = template.Library()


@register.filter
def inline_code(line: object) -> SafeString:
    """Escape *line* and mark `backticked` technical names (commands, cookie names) as ``<code>``."""
    return mark_safe(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(line))))


_inline_code = inline_code


def _code_spans(html: str) -> str:
    """`backticked` runs of already escaped HTML as ``<code>`` (escape() leaves backticks alone)."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html)


@register.filter
def simple_markup(text: str) -> SafeString:
    """Paragraphs separated by blank lines, "## " lines as headings, `backticks` as code (technical names such
    as cookie names), everything else escaped."""
    blocks = []
    for block in str(text).replace("\r\n", "\n").split("\n\n"):
        block = block.strip()
        if not block:
            continue
        lines = block.split("\n")
        if lines[0].startswith("## "):
            blocks.append(f"<h2>{_inline_code(lines[0][3:].strip())}</h2>")
            lines = lines[1:]
        if lines:
            blocks.append("<p>" + "<br>".join(_code_spans(_isolate_addresses(line)) for line in lines) + "</p>")
    return mark_safe("\n".join(blocks))


_ADDRESS_RUN = re.compile(r"https?://[^\s,;)،]*[^\s,;)،.]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _isolate_addresses(line: str) -> str:
    """Escaped line with web and e-mail addresses as left-to-right runs (they read in order in RTL text)."""
    parts, last = [], 0
    for match in _ADDRESS_RUN.finditer(line):
        parts += [_language_parts(line[last : match.start()]), f'<bdi dir="ltr">{escape(match.group())}</bdi>']
        last = match.end()
    return "".join(parts) + _language_parts(line[last:])


_LANGUAGE_PART = re.compile(r"\[\[([a-z]{2}):(.+?)\]\]")


def _language_parts(text: str) -> str:
    """Escaped text; ``[[de:…]]`` marks a quoted part in another language (the German official name in a
    translated legal text, "Landesbeauftragte/r für den Datenschutz") so that screen readers switch language
    (WCAG 3.1.2, language of parts) and it counts as a citation, not as untranslated platform text."""
    parts, last = [], 0
    for match in _LANGUAGE_PART.finditer(text):
        language, quoted = match.groups()
        parts += [
            str(escape(text[last : match.start()])),
            f'<span lang="{language}" class="citation">{escape(quoted)}</span>',
        ]
        last = match.end()
    return "".join(parts) + str(escape(text[last:]))


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """German percent format: 4,7 %; a dash for missing values."""
    if value is None:
        return "–"
    return f"{value:.{digits}f}".replace(".", ",") + "\u202f%"


@register.filter
def de_date(value: object) -> str:
    """``30.11.2026`` (see teilhabe.lib.formats)."""
    return formats.format_date(value)  # type: ignore[arg-type]


@register.filter
def de_datetime(value: object) -> str:
    """``30.11.2026, 09:50 Uhr``."""
    return formats.format_datetime(value)  # type: ignore[arg-type]


@register.filter
def de_number(value: object, digits: int = 0) -> str:
    """``1.234,5`` with *digits* decimals."""
    return formats.format_number(value, int(digits))  # type: ignore[arg-type]


@register.filter
def de_int(value: object) -> str:
    """``117.803``."""
    return formats.format_int(value)  # type: ignore[arg-type]


@register.filter
def de_period(days: object) -> str:
    """Days as "10 Jahre" / "6 Monate" / "14 Tage"."""
    return formats.format_period_days(days)  # type: ignore[arg-type]


@register.filter
def action_label(code: str) -> str:
    """An audit action code in German: ``case.read`` → "Akte: gelesen"."""
    from teilhabe.audit.labels import action_label as label

    return label(str(code))


@register.filter
def changed_field_labels(event: Any) -> str:
    """The changed fields of an audit event in German, comma-separated."""
    from teilhabe.audit.labels import field_labels

    return ", ".join(field_labels(event.object_type, list(event.changed_fields or [])))


@register.filter
def can(user: Any, permission: str) -> bool:
    """``{% if user|can:"indicators.manage" %}``: offer a link only to those who may follow it."""
    from teilhabe.accounts.access import has_permission

    return has_permission(user, permission)


@register.filter
def can_grant_azr(user: Any) -> bool:
    """Whether the AZR authorisation page has anything for this user (DP-28)."""
    from teilhabe.registry.access import azr_grant_organisations

    return bool(azr_grant_organisations(user))


@register.filter
def edits_district_directory(user: Any) -> bool:
    """Whether the user edits the directory district-wide (e.g. the search synonyms), not only own entries."""
    from teilhabe.directory.models import _scope_filter

    return has_directory_scope(user) and _scope_filter(user, owner_path="owner", gemeinde_path=None) is None


def has_directory_scope(user: Any) -> bool:
    from teilhabe.accounts.access import has_permission

    return has_permission(user, "directory.moderate")


# --- Accessible forms (one rendering path: templates/includes/form.html) -------------------------------


def field_help_id(field: BoundField) -> str:
    """Id of a field's help text element: ``<auto_id>_helptext`` (Django's own convention)."""
    return f"{field.auto_id}_helptext"


def field_error_id(field: BoundField) -> str:
    """Id of a field's error list: ``<auto_id>_error`` (Django 5.2's own convention)."""
    return f"{field.auto_id}_error"


def field_target_id(field: BoundField) -> str:
    """Id the error summary links to: the input itself, or the first option of a radio/checkbox group."""
    if field.use_fieldset:
        return f"{field.auto_id}_0"
    return str(field.auto_id)


def field_describedby(field: BoundField) -> str:
    """Space-separated ids of the help text and the error list that are actually rendered for ``field``."""
    ids = []
    if field.help_text:
        ids.append(field_help_id(field))
    if field.errors:
        ids.append(field_error_id(field))
    return " ".join(ids)


@register.simple_tag
def field_widget(field: BoundField) -> str:
    """Render a field's widget with ``aria-describedby`` pointing at the help text and error list ids.

    The ids are the ones ``includes/form.html`` renders (``field_help_id``/``field_error_id``), so the two
    cannot drift apart again (the bug was ``id_title_error`` against ``id_title_errors``).
    """
    attrs: dict[str, str | bool] = {}
    describedby = field_describedby(field)
    if describedby and not field.use_fieldset:
        attrs["aria-describedby"] = describedby
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.simple_tag
def field_ids(field: BoundField) -> dict[str, str]:
    """``{"help": …, "error": …, "target": …, "describedby": …}`` for a template to use."""
    return {
        "help": field_help_id(field),
        "error": field_error_id(field),
        "target": field_target_id(field),
        "describedby": field_describedby(field),
    }


def forms_with_errors(context: template.Context) -> list[BaseForm]:
    """Every bound form with errors in a template context (any variable name, formsets' forms too)."""
    found: list[BaseForm] = []
    seen: set[int] = set()
    for layer in context.dicts:
        if not isinstance(layer, dict):
            continue
        for value in layer.values():
            candidates = list(value.forms) if isinstance(value, BaseFormSet) else [value]
            for form in candidates:
                if isinstance(form, BaseForm) and form.is_bound and id(form) not in seen and form.errors:
                    seen.add(id(form))
                    found.append(form)
    return found


@register.simple_tag(takes_context=True)
def error_title_prefix(context: template.Context) -> str:
    """``"Fehler: "`` (translated) when the page shows a form with errors, else ``""`` — for ``<title>``."""
    return gettext("Fehler: ") if forms_with_errors(context) else ""


# --- Language addresses (teilhabe/core/i18n_urls.py) ---------------------------------------------------


@register.simple_tag(takes_context=True)
def language_links(context: template.Context, staff: bool = False) -> list[dict[str, Any]]:
    """One entry per language for the switch and the hreflang alternates of the current page:
    ``{"code", "name", "url" (same page in that language, with the request's query string), "switch" (link that
    also stores the choice), "switch_to" (that link without ``next``), "absolute", "current", "bidi"}``. ``staff=True`` limits the list to the staff languages (de, en)."""
    from django.conf import settings
    from django.utils.translation import get_language

    request = context.get("request")
    if request is None:
        return []
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    entries = _language_entries(request.path, staff, get_language())
    # The page's selection (Stichtag, area, search words) stays when the language changes: the query string is
    # part of "the same page" (a table chosen in German opens as the same table in English).
    query = request.GET.urlencode()
    if query:
        from django.utils.http import urlencode

        entries = tuple(
            {
                **entry,
                "url": f"{entry['url']}?{query}",
                "switch": entry["switch_to"] + "?" + urlencode({"next": f"{entry['url']}?{query}"}),
            }
            for entry in entries
        )
    return [
        {**entry, "absolute": request.build_absolute_uri(entry["url"]), "current": entry["code"] == current}
        for entry in entries
    ]


@functools.lru_cache(maxsize=2048)
def _language_entries(path: str, staff: bool, active: str | None) -> tuple[dict[str, Any], ...]:
    """The request-independent part of ``language_links`` per path and active language (resolving a
    prefixed path depends on it): resolving and reversing the path once per language was a quarter of a
    stored page's time (issue 17). Bounded; the URLconf never changes while a process runs."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils.http import urlencode
    from django.utils.translation import get_language_info

    from teilhabe.core.i18n_urls import language_url

    entries = []
    for code, _name in settings.LANGUAGES:
        if staff and code not in settings.STAFF_LANGUAGES:
            continue
        info = get_language_info(code)
        url = language_url(path, code)
        switch_to = reverse("switch_language", args=[code])
        entries.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url,
                "switch": switch_to + "?" + urlencode({"next": url}),
                "switch_to": switch_to,
                "bidi": info["bidi"],
            }
        )
    return tuple(entries)


# --- Bidirectional text (right-to-left pages) -----------------------------------------------------------


@register.filter
def ltr(value: object) -> SafeString:
    """A left-to-right run (phone number, e-mail, AGS, URL, number with unit) isolated inside any page:
    ``<bdi dir="ltr" class="ltr-run">03984 2000</bdi>`` reads in order in Arabic and Persian."""
    if value in (None, ""):
        return mark_safe("")
    return mark_safe(f'<bdi dir="ltr" class="ltr-run">{escape(value)}</bdi>')


@register.filter
def isolate(value: object) -> SafeString:
    """User-supplied text (names, addresses, titles) isolated with its own direction (``<bdi>``)."""
    if value in (None, ""):
        return mark_safe("")
    return mark_safe(f"<bdi>{escape(value)}</bdi>")


@register.filter
def user_text(value: object) -> SafeString:
    """Text staff wrote in German (a decision body, a title) inside a sentence of another language:
    isolated and, on non-German pages, marked as German user content without a translation."""
    from django.utils.translation import get_language

    if value in (None, ""):
        return mark_safe("")
    if (get_language() or "de").split("-")[0] == "de":
        return mark_safe(f"<bdi>{escape(value)}</bdi>")
    return mark_safe(f'<bdi lang="de" data-fallback="user">{escape(value)}</bdi>')


@register.filter
def list_join(values: object) -> SafeString:
    """Items joined with the page language's list separator (Arabic/Persian "، "), each isolated."""
    from django.utils.translation import get_language_bidi

    separator = "، " if get_language_bidi() else ", "
    items = [f"<bdi>{escape(v)}</bdi>" for v in (values or [])]  # type: ignore[attr-defined]
    return mark_safe(separator.join(items))


@register.filter
def number_unit(value: object, unit: str) -> SafeString:
    """A number with its unit kept together and in order ("5 km", "12,5 %"), also in RTL pages."""
    if value in (None, ""):
        return mark_safe("")
    return mark_safe(f'<bdi dir="ltr" class="ltr-run">{escape(value)}\u00a0{escape(unit)}</bdi>')


# --- Parts of the page shell rendered once per language (decision 0176) -------------------------------


_ONCE_NODES: weakref.WeakSet[OncePerLanguageNode] = weakref.WeakSet()


class OncePerLanguageNode(template.Node):
    """Renders its content once per language and process, then repeats it.

    Only for content that depends on nothing but the active language and what is fixed while a process runs
    (``{% url %}`` without arguments, ``{% static %}``, ``{% translate %}``): the footer links, the style sheets.
    Every staff page repeats them; reversing and translating them per request was a third of the shell's CPU
    (issue 17). Never around a variable, a request, user or CSRF value, or data from the database.
    """

    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist
        self.rendered: dict[str, str] = {}
        _ONCE_NODES.add(self)

    def render(self, context: template.Context) -> str:
        from django.utils.translation import get_language

        language = get_language() or ""
        html = self.rendered.get(language)
        if html is None:
            html = self.nodelist.render(context)
            self.rendered[language] = html
        return html


@register.tag("once_per_language")
def once_per_language(parser: template.base.Parser, token: template.base.Token) -> OncePerLanguageNode:
    nodelist = parser.parse(("endonce_per_language",))
    parser.delete_first_token()
    # Blocks (overridden per page) and variables (per request) inside would be repeated from the first render.
    if nodelist.get_nodes_by_type(BlockNode) or nodelist.get_nodes_by_type(VariableNode):
        raise template.TemplateSyntaxError("once_per_language: no {% block %} and no {{ variable }} inside")
    return OncePerLanguageNode(nodelist)


def forget_once_per_language(**kwargs: Any) -> None:
    """Drop what the nodes rendered (a changed setting in tests: URL configuration, static files)."""
    for node in _ONCE_NODES:
        node.rendered.clear()


setting_changed.connect(forget_once_per_language, dispatch_uid="teilhabe_once_per_language")
