"""Background work: the joint disclosure decision of a committed register import (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from teilhabe.core.worker import PRIORITY_BACKGROUND, PRIORITY_PUBLISH


@task(priority=PRIORITY_PUBLISH)
def publish_task(import_id: str) -> None:
    from teilhabe.population.models import RegisterImport
    from teilhabe.population.publication import publish

    register_import = RegisterImport.objects.filter(pk=import_id).first()
    if register_import is not None:
        publish(register_import)


@task(priority=PRIORITY_BACKGROUND)
def prerender_task(import_id: str) -> None:
    from teilhabe.population.models import RegisterImport
    from teilhabe.population.table_pages import prerender

    register_import = RegisterImport.objects.filter(pk=import_id, published_at__isnull=False).first()
    if register_import is not None:
        prerender(register_import)
