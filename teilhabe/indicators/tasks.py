"""Background work of the monitoring: storing the rendered public pages after their data changed."""

from __future__ import annotations

from django_tasks import task

from teilhabe.core.worker import PRIORITY_BACKGROUND


@task(priority=PRIORITY_BACKGROUND)
def prerender_task() -> None:
    from teilhabe.indicators.prerender import prerender_public

    prerender_public()
