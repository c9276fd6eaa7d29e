"""kill -9 of the process writing an agency-value import: nothing of it stays (values, revisions, recomputed
indicator values, audit event), and the same file imports completely afterwards (PostgreSQL, a second
process)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import kill_9_while_writing
from teilhabe.indicators import services
from teilhabe.indicators.catalogue import load_catalogue
from teilhabe.indicators.importer import parse
from teilhabe.indicators.models import AgencyValue, AgencyValueRevision
from teilhabe.regions.models import Gemeinde

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="zweiter Prozess: PostgreSQL-Lauf"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_kill_9_during_an_agency_value_import_leaves_nothing_and_the_rerun_is_complete(
    catalogue: None, personas: Any, tmp_path: Path
) -> None:
    keys = sorted(
        key
        for key, source in load_catalogue().source_keys.items()
        if "agency" in source.providers and "gemeinde" in source.levels
    )
    gemeinden = Gemeinde.objects.filter(kreis_id=settings.TEILHABE_KREIS).values_list("ags", flat=True)
    lines = [
        f"{key};gemeinde;{ags};{year};{100 + n}"
        for n, (key, ags, year) in enumerate((k, a, y) for k in keys for a in gemeinden for y in range(2015, 2025))
    ][:800]
    data = ("quellschluessel;ebene;ags;jahr;wert\n" + "\n".join(lines) + "\n").encode()
    upload = tmp_path / "werte.csv"
    upload.write_bytes(data)
    assert parse(data, "werte.csv").ok and len(lines) == 800
    code = (
        "from pathlib import Path; from teilhabe.accounts.models import Organisation; "
        "from teilhabe.indicators import services; from teilhabe.indicators.importer import parse; "
        f"services.agency_values_import(acting_user=None, organisation=Organisation.objects.get(pk={personas.landkreis.pk}), "
        f"parsed=parse(Path({str(upload)!r}).read_bytes(), 'werte.csv'), file_name='werte.csv', dry_run=False)"
    )
    kill_9_while_writing(code, "indicators_agencyvalue")
    assert not AgencyValue.objects.exists() and not AgencyValueRevision.objects.exists()
    assert not AuditEvent.objects.filter(action=services.ACTION_IMPORT).exists()

    outcome = services.agency_values_import(
        acting_user=personas.kreisadmin,
        organisation=personas.landkreis,
        parsed=parse(data, "werte.csv"),
        file_name="werte.csv",
        dry_run=False,
    )
    assert outcome.created == len(lines) == AgencyValue.objects.count()
    assert AuditEvent.objects.filter(action=services.ACTION_IMPORT).count() == 1
