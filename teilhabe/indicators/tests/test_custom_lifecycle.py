"""Own indicators can be corrected: edited as new versions, withdrawn, deleted while never published (issue 18);
the installation's minimum count is a floor no own indicator can lower (issue 17)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import login_verified
from teilhabe.indicators.catalogue import CatalogueError, load_catalogue, parse_catalogue
from teilhabe.indicators.models import Indicator, IndicatorValue
from teilhabe.indicators.tests.conftest import CUSTOM_INDICATOR_FORM
from teilhabe.indicators.tests.test_views import KREIS
from teilhabe.indicators.tests.test_views import data as _data_fixture

data = _data_fixture  # the monitoring test data: 40 employed of 100 foreigners per Gemeinde, 2024

FORM = CUSTOM_INDICATOR_FORM


def _create(client: Client, personas: Any, **changes: Any) -> Any:
    return client.post("/staff/monitoring/indikator/neu/", {"organisation": personas.landkreis.pk, **FORM, **changes})


def test_unit_follows_the_factor(data: list[str], personas: Any, statistik: Any, client: Client) -> None:
    login_verified(client, statistik)
    assert _create(client, personas).status_code == 302
    indicator = Indicator.objects.get(code="KR-01")
    assert indicator.unit == "je 1.000"  # never "je 100" next to a factor of 1 000
    assert IndicatorValue.objects.get(indicator=indicator, region=KREIS, year=2024).value == pytest.approx(400.0)


def test_edit_makes_a_new_version_and_keeps_the_old(
    data: list[str], personas: Any, statistik: Any, client: Client
) -> None:
    login_verified(client, statistik)
    _create(client, personas)
    form = client.get("/staff/monitoring/indikator/KR-01/bearbeiten/")
    assert form.status_code == 200 and "Beschäftigte je Ausländer" in form.content.decode()
    response = client.post(
        "/staff/monitoring/indikator/KR-01/bearbeiten/", {**FORM, "multiplier": "100", "name_de": "Beschäftigtenquote"}
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="KR-01")
    assert (indicator.version, indicator.unit, indicator.name_de) == (2, "%", "Beschäftigtenquote")
    assert indicator.versions.get(version=1).definition["unit"] == "je 1.000"
    assert IndicatorValue.objects.get(indicator=indicator, region=KREIS, year=2024).value == pytest.approx(40.0)
    event = AuditEvent.objects.get(object_type="indicators.indicator", action="update")
    assert "multiplier" in event.changed_fields and "name_de" in event.changed_fields


def test_delete_only_while_never_published(data: list[str], personas: Any, statistik: Any, client: Client) -> None:
    login_verified(client, statistik)
    _create(client, personas)
    _create(client, personas, code="KR-02")
    assert client.get("/staff/monitoring/indikator/KR-01/loeschen/").status_code == 200
    assert client.post("/staff/monitoring/indikator/KR-01/loeschen/").status_code == 302
    assert not Indicator.objects.filter(code="KR-01").exists()
    assert not IndicatorValue.objects.filter(indicator__code="KR-01").exists()
    client.post("/staff/monitoring/indikator/KR-02/veroeffentlichung/", {"publish": "1"})
    client.post("/staff/monitoring/indikator/KR-02/veroeffentlichung/", {"publish": "0"})  # withdrawn
    client.post("/staff/monitoring/indikator/KR-02/loeschen/")
    assert Indicator.objects.filter(code="KR-02", is_published=False).exists()


def test_catalogue_indicators_cannot_be_edited_here(data: list[str], statistik: Any, client: Client) -> None:
    login_verified(client, statistik)
    assert client.get("/staff/monitoring/indikator/ARB-01/bearbeiten/").status_code == 404


def test_min_count_below_the_installation_floor_is_refused(
    data: list[str], personas: Any, statistik: Any, client: Client, settings: Any
) -> None:
    login_verified(client, statistik)
    response = _create(client, personas, min_count="2")
    assert response.status_code == 200 and not Indicator.objects.filter(code="KR-01").exists()
    # Even an indicator stored with a lower value (older release, direct data) publishes with the floor.
    _create(client, personas)
    Indicator.objects.filter(code="KR-01").update(min_count=2)
    assert Indicator.objects.get(code="KR-01").k == settings.DISCLOSURE_MIN_COUNT


def test_source_key_labels_are_complete_and_unique() -> None:
    labels = {key: spec.label for key, spec in load_catalogue().source_keys.items()}
    assert labels["ew_gesamt"] == "Einwohner insgesamt (Hauptwohnsitz, 31.12.)"
    assert len(set(labels.values())) == len(labels)
    with pytest.raises(CatalogueError):
        parse_catalogue(
            {"source_keys": {"x": {"label": "A", "31.12.)": None}}, "indicators": []},
        )


def test_sources_are_named_not_coded(data: list[str], personas: Any, statistik: Any, client: Client) -> None:
    login_verified(client, statistik)
    _create(client, personas)
    page = client.get("/staff/monitoring/indikator/KR-01/").content.decode()
    assert "AGENCY" not in page and "Behördenaggregate" in page
