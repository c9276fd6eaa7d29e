"""Background work: report builds run through django-tasks (database backend, ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from teilhabe.core.worker import PRIORITY_WAITED_FOR


@task(priority=PRIORITY_WAITED_FOR)
def build_report_task(build_id: int) -> None:
    from teilhabe.reports.services import run_build

    run_build(build_id)
