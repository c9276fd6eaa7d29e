"""Login lockout keyed on username *and* client address, with a progressive cool-off (DP-22).

django-axes counts failures per (username, client address) — ``AXES_LOCKOUT_PARAMETERS`` — so an attacker
who types a known username wrongly from their own address locks only that pair: the person can still log in
from their office. The client address is ``teilhabe.core.client.client_address`` (trusted proxies), the same
function behind every rate limit. The cool-off grows with every further failure at that pair:
``base × 2^(failures − limit)`` minutes, capped at ``TEILHABE_LOGIN_COOLOFF_MAX_HOURS``.
"""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest

from teilhabe.core.client import client_address


def failures_at(request: HttpRequest | None) -> int:
    """Failures recorded for this request's (username, client address) pair, 0 when unknown."""
    if request is None:
        return 0
    username = (
        request.POST.get(getattr(settings, "AXES_USERNAME_FORM_FIELD", "username"), "")
        if request.method == "POST"
        else ""
    )
    if not username:
        return 0
    found = (
        AccessAttempt.objects.filter(username=username, ip_address=client_address(request))
        .values_list("failures_since_start", flat=True)
        .first()
    )
    return int(found or 0)


def cool_off(request: HttpRequest | None = None) -> timedelta:
    """``AXES_COOLOFF_TIME``: the base period, doubled for every failure beyond the limit."""
    base = timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)
    ceiling = timedelta(hours=settings.LOGIN_COOLOFF_MAX_HOURS)
    beyond = max(0, failures_at(request) - settings.AXES_FAILURE_LIMIT)
    return min(base * (2 ** min(beyond, 20)), ceiling)
