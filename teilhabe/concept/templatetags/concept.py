"""``{% concept_overdue user %}``: the overdue action items a user owns, flagged on the staff start page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from teilhabe.concept.models import ActionItem

register = template.Library()


@register.inclusion_tag("concept/_overdue.html")
def concept_overdue(user: Any) -> dict[str, Any]:
    if not getattr(user, "is_authenticated", False):
        return {"items": []}
    today = timezone.localdate()
    items = list(
        ActionItem.objects.overdue(today)
        .filter(owner__user=user)
        .select_related("decision__meeting__body")
        .order_by("due_date")[:20]
    )
    return {"items": items, "today": today}
