"""Audit viewer for the data-protection officer role only (DP-31, DP-32)."""

from __future__ import annotations

from datetime import datetime, time

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.accounts.access import AuthenticatedHttpRequest, staff_required
from teilhabe.audit.checkpoint import verify_all
from teilhabe.audit.labels import action_label
from teilhabe.audit.models import AuditEvent
from teilhabe.audit.services import record


def _parse_date(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


@staff_required("audit.view")
def events(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Events filtered by user, action, object and period; every look at the log is itself logged."""
    queryset = AuditEvent.objects.order_by("-id")
    filters = {
        key: request.GET.get(key, "").strip()
        for key in ("username", "action", "object_type", "object_id", "date_from", "date_to")
    }
    if filters["username"]:
        queryset = queryset.filter(username=filters["username"])
    if filters["action"]:
        queryset = queryset.filter(action__startswith=filters["action"])
    if filters["object_type"]:
        queryset = queryset.filter(object_type=filters["object_type"])
    if filters["object_id"]:
        queryset = queryset.filter(object_id=filters["object_id"])
    start = _parse_date(filters["date_from"])
    if start:
        queryset = queryset.filter(created_at__gte=timezone.make_aware(datetime.combine(start.date(), time.min)))
    end = _parse_date(filters["date_to"])
    if end:
        queryset = queryset.filter(created_at__lte=timezone.make_aware(datetime.combine(end.date(), time.max)))
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    record(
        "audit.read",
        actor=request.user,
        object_type="audit.auditevent",
        extra={key: value for key, value in filters.items() if value},
    )
    actions = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/events.html",
        {
            "page": page,
            "filters": filters,
            "actions": sorted(((a, action_label(a)) for a in set(actions)), key=lambda item: item[1]),
            "query": query.urlencode(),
        },
    )


@staff_required("audit.view")
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    count, problems, _notes = verify_all()
    record(
        "audit.verify",
        actor=request.user,
        object_type="audit.auditevent",
        extra={"checked": count, "problems": len(problems)},
    )
    return render(
        request,
        "audit/verify.html",
        {"count": count, "problems": problems, "ok_message": _("Die Prüfkette ist vollständig und unverändert.")},
    )
