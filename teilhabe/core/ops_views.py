"""Operations: ``/healthz`` (liveness with details), ``/readyz`` (ready to serve) and the staff page.

``/healthz`` answers 200 when the database answers, a worker is alive (or nothing waits for one) and every
store directory has at least ``TEILHABE_MIN_FREE_MB`` free; otherwise 503. The JSON names only states and
numbers — no personal data, no paths beyond the store names. ``/readyz`` answers 200 once migrations are
applied and the database answers (for the proxy / load balancer), 503 otherwise.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from teilhabe.accounts.access import staff_required
from teilhabe.core.worker import worker_health


def store_dirs() -> dict[str, Path]:
    """The file stores outside the database (also what ``manage.py backup`` saves)."""
    return {
        "population": Path(settings.POPULATION_DIR),
        "media": Path(settings.MEDIA_ROOT),
    }


def _database() -> dict[str, Any]:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}


def _disk() -> dict[str, Any]:
    minimum = settings.TEILHABE_MIN_FREE_MB
    result: dict[str, Any] = {}
    for name, path in store_dirs().items():
        probe = path
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        free_mb = shutil.disk_usage(probe).free // (1024 * 1024)
        result[name] = {"ok": free_mb >= minimum, "free_mb": free_mb}
    return result


def health_report() -> tuple[bool, dict[str, Any]]:
    database = _database()
    report: dict[str, Any] = {"database": database, "disk": _disk()}
    ok = bool(database["ok"]) and all(item["ok"] for item in report["disk"].values())
    if database["ok"]:
        health = worker_health()
        report["worker"] = {
            "ok": health.ok,
            "alive": health.alive,
            "last_heartbeat": health.last_heartbeat.isoformat() if health.last_heartbeat else None,
            "queued": health.queued,
            "running": health.running,
            "failed_last_24h": health.failed_recently,
            "scheduler_alive": health.scheduler_alive,
        }
        ok = ok and health.ok
    report["status"] = "ok" if ok else "fehler"
    return ok, report


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    ok, report = health_report()
    return JsonResponse(report, status=200 if ok else 503)


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return JsonResponse({"ready": False, "reason": exc.__class__.__name__}, status=503)
    if pending:
        return JsonResponse({"ready": False, "reason": "migrations", "pending": len(pending)}, status=503)
    return JsonResponse({"ready": True})


@staff_required("organisations.manage")
def operations(request: HttpRequest) -> HttpResponse:
    ok, report = health_report()
    return render(request, "staff/operations.html", {"ok": ok, "report": report, "health": worker_health()})
