"""German formatting for pages, PDFs and letters: one place for dates, numbers and periods.

Dates ``TT.MM.JJJJ`` (DIN 5008), numbers with a full stop as thousands separator and a decimal comma,
percentages with a narrow no-break space, periods in words ("10 Jahre", "6 Monate"). Templates use the
filters ``de_date``, ``de_datetime``, ``de_number``, ``de_int``, ``de_period`` from ``{% load teilhabe %}``.
Missing values render as an en dash.
"""

from __future__ import annotations

import datetime as dt
import math

from django.utils import timezone

MISSING = "–"


def format_date(value: dt.date | dt.datetime | str | None) -> str:
    """``2026-11-30`` → ``30.11.2026``; datetimes are shown in the installation's time zone."""
    if value in (None, ""):
        return MISSING
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def format_datetime(value: dt.datetime | None) -> str:
    """``30.11.2026, 09:50 Uhr`` in the installation's time zone."""
    if value is None:
        return MISSING
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{format_date(value)}, {value:%H:%M} Uhr"


def format_number(value: float | int | None, digits: int = 0) -> str:
    """``1234567.891, 1`` → ``1.234.567,9``; ``None``/NaN → en dash."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return MISSING
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def format_int(value: int | float | None) -> str:
    """Counts with grouping: ``117803`` → ``117.803``."""
    return format_number(value, 0)


def format_percent(value: float | None, digits: int = 1) -> str:
    """``4.7`` → ``4,7 %`` (value already in percent)."""
    if value is None:
        return MISSING
    return format_number(value, digits) + "\u202f%"


def format_period_days(days: int | None) -> str:
    """A retention or storage period in words: 3650 → "10 Jahre", 180 → "6 Monate", 14 → "14 Tage"."""
    if days is None:
        return MISSING
    if days >= 365 and days % 365 in (0, 1, 2, 3):
        years = round(days / 365.25)
        return "1 Jahr" if years == 1 else f"{years} Jahre"
    if days >= 28 and days % 30 in (0, 1):
        months = round(days / 30.4)
        return "1 Monat" if months == 1 else f"{months} Monate"
    return "1 Tag" if days == 1 else f"{days} Tage"
