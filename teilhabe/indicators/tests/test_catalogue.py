from __future__ import annotations

import copy

import pytest
import yaml

from teilhabe.indicators.catalogue import (
    CATALOGUE_PATH,
    MIGRATION_DEFINITIONS,
    THEMES,
    CatalogueError,
    load_catalogue,
    parse_catalogue,
)

EXPECTED_IDS = [
    *(f"DEM-{i:02d}" for i in range(1, 11)),
    *(f"REC-{i:02d}" for i in range(1, 7)),
    *(f"KITA-{i:02d}" for i in range(1, 5)),
    *(f"BIL-{i:02d}" for i in range(1, 6)),
    "SPR-01",
    *(f"ARB-{i:02d}" for i in range(1, 5)),
    "SOZ-01",
    "SOZ-02",
    "WOH-01",
    "WOH-02",
    "TEI-01",
    "IKO-01",
    "BEF-01",
    "BEF-02",
    "IV-01",
    "IV-02",
]


def raw() -> dict:
    with CATALOGUE_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_all_40_indicators_present_and_valid() -> None:
    catalogue = load_catalogue()
    assert len(EXPECTED_IDS) == 40
    assert sorted(catalogue.indicators) == sorted(EXPECTED_IDS)
    for ind in catalogue.indicators.values():
        assert ind.name_de and ind.name_en
        assert ind.theme in THEMES
        assert ind.migration_definition in MIGRATION_DEFINITIONS
        assert ind.unit and ind.definition and ind.anchor and ind.caveats and ind.sources
        assert set(ind.disaggregations) == {"S", "A", "N", "G"}
        assert ind.keys <= set(catalogue.source_keys)
        if ind.kind == "rate":
            assert all(c.numerator and c.denominator for c in ind.categories)


def test_schema_errors_are_german_and_name_the_indicator() -> None:
    data = raw()
    broken = copy.deepcopy(data)
    broken["indicators"][0]["theme"] = "Z"
    del broken["indicators"][1]["unit"]
    broken["indicators"][2]["numerator"] = ["gibt_es_nicht"]
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(broken)
    problems = {(ident, code) for ident, code, _msg in info.value.problems}
    assert ("DEM-01", "theme_unknown") in problems
    assert ("DEM-02", "field_missing") in problems
    assert ("DEM-03", "source_key_unknown") in problems
    assert "Handlungsfeld „Z“ unbekannt" in str(info.value)
    assert "Pflichtfeld „unit“ fehlt" in str(info.value)


def test_duplicate_id_rejected() -> None:
    data = raw()
    data["indicators"].append(copy.deepcopy(data["indicators"][0]))
    with pytest.raises(CatalogueError, match="mehrfach"):
        parse_catalogue(data)


@pytest.mark.django_db
def test_sync_writes_all_indicators_and_keeps_publication(regions: None) -> None:
    from teilhabe.indicators.models import Indicator
    from teilhabe.indicators.services import catalogue_sync

    assert catalogue_sync() == (40, 0)
    Indicator.objects.filter(code="DEM-01").update(is_published=True)
    assert catalogue_sync() == (0, 40)
    assert Indicator.objects.get(code="DEM-01").is_published
    assert Indicator.objects.get(code="SPR-01").as_definition() == load_catalogue().indicators["SPR-01"]
