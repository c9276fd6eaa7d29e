from __future__ import annotations

from django import template

from teilhabe.indicators.dashboard import format_number

register = template.Library()


@register.filter
def de_number(value: float | None, digits: int = 1) -> str:
    """German number format (1.234,5); a dash for missing values."""
    return format_number(value, int(digits))


@register.filter
def de_count(value: float | None) -> str:
    return format_number(value, 0)
