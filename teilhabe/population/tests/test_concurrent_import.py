"""Two commits of the same Stichtag at once: one wins, the other is refused with a clear message."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from django.db import connection

from teilhabe.core.locks import exclusive
from teilhabe.population import services
from teilhabe.population.models import RegisterImport
from teilhabe.population.tests.helpers import csv_text, valid_rows

pytestmark = [pytest.mark.usefixtures("regions"), pytest.mark.django_db(transaction=True)]
STICHTAG = date(2025, 12, 31)


def _check(personas: Any) -> RegisterImport:
    return services.register_import_check(
        acting_user=personas.kreisadmin,
        owner=personas.landkreis,
        data=csv_text(*valid_rows()).encode(),
        filename="auszug.csv",
        stichtag=STICHTAG,
    )


def _in_thread(function: Any) -> Any:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = function()
        except Exception as exc:
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    return outcome


def test_a_second_commit_of_the_same_stichtag_during_the_first_is_refused(personas: Any) -> None:
    first, second = _check(personas), _check(personas)
    name = f"population-import:{first.owner_id}:{first.kreis_ags}:{STICHTAG}"
    with exclusive(name):  # the first commit is running (held by this connection)
        outcome = _in_thread(
            lambda: services.register_import_commit(acting_user=personas.kreisadmin, register_import=second)
        )
    error = outcome.get("error")
    assert isinstance(error, services.ImportRejected)
    assert "Ein anderer Import zum Stichtag 31.12.2025 wird gerade übernommen" in str(error)
    second.refresh_from_db()
    assert second.status == RegisterImport.Status.CHECKED  # nothing half-done, can be committed later
    services.register_import_commit(acting_user=personas.kreisadmin, register_import=first)
    assert RegisterImport.objects.filter(stichtag=STICHTAG, status=RegisterImport.Status.COMMITTED).count() == 1


def test_a_commit_already_taken_over_by_another_process_is_not_done_twice(personas: Any) -> None:
    first = _check(personas)
    stale = RegisterImport.objects.get(pk=first.pk)
    services.register_import_commit(acting_user=personas.kreisadmin, register_import=first)
    with pytest.raises(services.ImportRejected, match="bereits übernommen"):
        services.register_import_commit(acting_user=personas.kreisadmin, register_import=stale)
