"""Rules of the derivation that the worked example in the docs does not cover."""

from __future__ import annotations

from datetime import date

from teilhabe.population.derivation import derive, input_table

STICHTAG = date(2025, 12, 31)


def _derive(*persons: dict[str, object]) -> dict[str, dict[str, object]]:
    base = {
        "ags": "12073008",
        "wohnungsstatus": "A",
        "geschlecht": "m",
        "geburtsdatum": date(1990, 1, 1),
        "staatsangehoerigkeit_1": "000",
    }
    rows = [{**base, **person} for person in persons]
    return {row["ordnungsmerkmal"]: row for row in derive(input_table(rows), STICHTAG).to_pylist()}


def test_duration_of_residence_and_moves_from_abroad_last_year() -> None:
    result = _derive(
        {
            "ordnungsmerkmal": "a",
            "zuzug_datum": date(2025, 3, 1),
            "zuzug_herkunft_staat": "166",
            "staatsangehoerigkeit_1": "166",
        },
        {"ordnungsmerkmal": "b", "zuzug_datum": date(2024, 12, 31), "zuzug_herkunft_staat": "166"},
        {"ordnungsmerkmal": "c", "zuzug_datum": date(2012, 6, 1)},
        {"ordnungsmerkmal": "d"},
    )
    assert result["a"]["aufenthaltsdauer"] == "0-1" and result["a"]["zuzug_ausland_vorjahr"] is True
    assert result["b"]["aufenthaltsdauer"] == "1-3" and result["b"]["zuzug_ausland_vorjahr"] is False
    assert result["c"]["aufenthaltsdauer"] == "10-20" and result["c"]["zuzug_ausland_vorjahr"] is False
    assert result["d"]["aufenthaltsdauer"] == "ohne"
    assert result["a"]["staatsangehoerigkeitsgruppe"] == "ukraine"


def test_secondary_dwelling_is_derived_but_not_counted_and_parent_prefers_main_dwelling() -> None:
    result = _derive(
        {"ordnungsmerkmal": "p", "wohnungsstatus": "N", "staatsangehoerigkeit_1": "000"},
        {
            "ordnungsmerkmal": "p",
            "wohnungsstatus": "H",
            "staatsangehoerigkeit_1": "000",
            "staatsangehoerigkeit_2": "121",
        },
        {"ordnungsmerkmal": "k", "geburtsdatum": date(2015, 1, 1), "elternteil_1": "p"},
    )
    assert result["k"]["mh_typ"] == "deutsch_eltern" and result["k"]["herkunftsgruppe"] == "121"
    assert result["k"]["herkunftsregion"] == "europa"


def test_nationality_groups_and_counting_flag() -> None:
    result = _derive(
        {"ordnungsmerkmal": "eu", "staatsangehoerigkeit_1": "154"},
        {"ordnungsmerkmal": "as", "staatsangehoerigkeit_1": "423"},
        {"ordnungsmerkmal": "tr", "staatsangehoerigkeit_1": "163"},
        {"ordnungsmerkmal": "vn", "staatsangehoerigkeit_1": "432"},
        {"ordnungsmerkmal": "nb", "wohnungsstatus": "N", "geschlecht": "d"},
    )
    assert [result[k]["staatsangehoerigkeitsgruppe"] for k in ("eu", "as", "tr", "vn")] == [
        "eu27",
        "asyl8",
        "europa",
        "sonstige",
    ]
    assert result["nb"]["zaehlt"] is False and result["eu"]["zaehlt"] is True
    assert result["nb"]["geschlecht_gruppe"] == "x"
