"""kill -9 of the process committing an offer import: no offer, location or search entry of it stays, the run
is still "checked" and commits completely afterwards (PostgreSQL, a second process)."""

from __future__ import annotations

import os
from typing import Any

import pytest

from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import kill_9_while_writing
from teilhabe.directory import services
from teilhabe.directory.models import ImportStatus, Location, Offer

pytestmark = [
    pytest.mark.usefixtures("regions"),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="zweiter Prozess: PostgreSQL-Lauf"
    ),
    pytest.mark.django_db(transaction=True),
]
HEADER = "titel;beschreibung;art;gemeinde;adresse;sprachen;zielgruppen;kosten;kontakt;internetseite\n"


def test_kill_9_during_an_offer_import_leaves_no_offer_and_the_run_can_be_committed(personas: Any) -> None:
    rows = "".join(
        f"Sprachcafé {n};Wir üben gemeinsam Deutsch im Gespräch, Runde {n}.;Sprachkurs;Prenzlau;"
        f"Markt {n}, 17291 Prenzlau;Deutsch, Arabisch;Erwachsene;kostenlos;cafe{n}@example.org;\n"
        for n in range(1, 401)
    )
    run = services.offer_import_check(
        acting_user=personas.alice, owner=personas.org_a, data=(HEADER + rows).encode(), file_name="angebote.csv"
    )
    assert run.problems == [] and len(run.rows) == 400
    code = (
        "from teilhabe.directory import services; from teilhabe.directory.models import OfferImport; "
        "from teilhabe.accounts.models import User; "
        f"services.offer_import_commit(acting_user=User.objects.get(pk={personas.alice.pk}), "
        f"run=OfferImport.objects.get(pk={run.pk}))"
    )
    kill_9_while_writing(code, "directory_offer")
    run.refresh_from_db()
    assert run.status == ImportStatus.CHECKED and run.offers_created == 0
    assert not Offer.objects.exists() and not Location.objects.exists()
    assert not AuditEvent.objects.filter(action=services.ACTION_OFFER_IMPORT).exists()

    offers = services.offer_import_commit(acting_user=personas.alice, run=run)
    run.refresh_from_db()
    assert run.status == ImportStatus.COMMITTED and len(offers) == 400 == Offer.objects.count()
    assert AuditEvent.objects.filter(action=services.ACTION_OFFER_IMPORT).count() == 1
