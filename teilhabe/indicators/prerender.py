"""Render the public monitoring and report pages of every language into the fragment store.

Runs after every write that changes what a public page shows (``schedule``: a recomputation that wrote
values, publishing or withdrawing an indicator, a register import's published tables, a report edition
published), as a job on the task worker, so the first view of a page after new data reads stored HTML and
never builds a chart or checks disclosure (issue 17). Fragments that are still current are skipped, so a
change to one indicator renders only that indicator's pages, the overview and the Gemeinde profiles.

``prerender_public(languages=None) -> dict`` returns counts ``{"rendered": n, "current": m, "seconds": s}``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation

log = logging.getLogger(__name__)


def _request(path: str) -> HttpRequest:
    from django.test import RequestFactory

    request = RequestFactory().get(path, HTTP_HOST=(settings.ALLOWED_HOSTS or ["localhost"])[0])
    request.user = AnonymousUser()
    return request


def _jobs() -> list[tuple[str, Callable[[], Any]]]:
    """(description, call) for every public page body; each call stores its fragments when missing."""
    from teilhabe.indicators import views
    from teilhabe.indicators.models import Indicator
    from teilhabe.regions.models import Gemeinde

    jobs: list[tuple[str, Callable[[], Any]]] = [("index", lambda: views.index(_request("/monitoring/")))]
    for indicator in Indicator.objects.published():
        jobs.append(
            (
                f"indicator {indicator.code}",
                partial(views.render_indicator, _request("/monitoring/"), indicator, staff=False),
            )
        )
    gemeinden = Gemeinde.objects.filter(kreis_id=settings.TEILHABE_KREIS, is_gemeinde=True).values_list(
        "ags", flat=True
    )
    for ags in gemeinden:
        jobs.append((f"gemeinde {ags}", partial(_profile, ags)))
    if _reports_installed():
        from teilhabe.reports.views import prerender_jobs

        jobs += prerender_jobs(_request)
    return jobs


def _profile(ags: str) -> Any:
    from teilhabe.indicators import dashboard, views

    gemeinde = views.gemeinde_in_kreis_or_404(ags)
    return views.render_profile(_request("/monitoring/"), gemeinde, dashboard.indicators_for(staff=False), staff=False)


def _reports_installed() -> bool:
    from django.apps import apps

    return apps.is_installed("teilhabe.reports")


def prerender_public(languages: Iterable[str] | None = None) -> dict[str, float]:
    started = time.perf_counter()
    codes = list(languages) if languages is not None else [code for code, _name in settings.LANGUAGES]
    count = 0
    for code in codes:
        with translation.override(code):
            for description, call in _jobs():
                try:
                    call()
                except Exception:  # one broken page must not keep the others unrendered
                    log.exception("prerender failed: %s (%s)", description, code)
                count += 1
    return {"pages": count, "seconds": round(time.perf_counter() - started, 1)}


def _enqueue() -> None:
    if settings.TEILHABE_PRERENDER == "inline":
        prerender_public()
        return
    try:
        from teilhabe.indicators.tasks import prerender_task

        prerender_task.enqueue()
    except Exception:
        log.exception("prerender could not be queued; pages are rendered on first view")


def schedule() -> None:
    """After the current transaction commits, queue ``prerender_task`` (once per transaction).

    ``settings.TEILHABE_PRERENDER``: "task" (default), "inline" (render before returning; demo set-up and
    benchmarks) or "off" (tests: pages are then rendered and stored on their first view).
    """
    if settings.TEILHABE_PRERENDER == "off":
        return
    connection = transaction.get_connection()
    if any(entry[1] is _enqueue for entry in connection.run_on_commit):
        return  # already queued by an earlier write of this transaction
    transaction.on_commit(_enqueue)
