"""``{% report_url "chapter" edition slug %}``: links inside the HTML edition, public or staff preview.

The same templates render the published edition (``reports:…`` by slug) and the staff preview of an unpublished
edition (``reports_staff:preview_…`` by primary key, with ``preview=True`` in the context).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def report_url(context: Any, name: str, edition: Any, *args: Any) -> str:
    if context.get("preview"):
        return reverse(f"reports_staff:preview_{name}", args=[edition.pk, *args])
    return reverse(f"reports:{name}", args=[edition.slug, *args])
