from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from teilhabe.lib import formats

register = template.Library()


@register.filter
def simple_markup(text: str) -> SafeString:
    """Paragraphs separated by blank lines, "## " lines as headings, everything else escaped."""
    blocks = []
    for block in str(text).replace("\r\n", "\n").split("\n\n"):
        block = block.strip()
        if not block:
            continue
        lines = block.split("\n")
        if lines[0].startswith("## "):
            blocks.append(f"<h2>{escape(lines[0][3:].strip())}</h2>")
            lines = lines[1:]
        if lines:
            blocks.append("<p>" + "<br>".join(escape(line) for line in lines) + "</p>")
    return mark_safe("\n".join(blocks))


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
