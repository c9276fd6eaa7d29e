"""``{% worker_warning %}``: the German warning when jobs wait and no background worker is alive."""

from __future__ import annotations

from typing import Any

from django import template

from teilhabe.core.worker import worker_health

register = template.Library()


@register.inclusion_tag("includes/worker_health.html")
def worker_warning() -> dict[str, Any]:
    return {"health": worker_health()}
