"""The awkward-file corpus through every importer: same reader, same verdicts (see corpus/expected.py).

Run with ``-s`` to print the corpus table (file → verdict per importer).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from teilhabe.lib.tests.corpus.expected import EXPECTED, OK

CORPUS = Path(__file__).resolve().parent / "corpus"
STICHTAG = date(2025, 12, 31)
IMPORTERS = ("agency", "offers", "register")


def _verdict(problems: list[tuple[str, int]], rows: int) -> str | set[str]:
    errors = {f"{code}@{line}" for code, line in problems}
    return errors or (OK if rows else {"no rows"})


def run_agency(data: bytes, name: str, context: Any) -> tuple[str | set[str], list[Any]]:
    from teilhabe.indicators.importer import parse

    result = parse(data, name)
    return _verdict([(p.code, p.row) for p in result.problems], len(result.rows)), [
        (r.source_key, r.ags, r.year, r.value) for r in result.rows
    ]


def run_offers(data: bytes, name: str, context: Any) -> tuple[str | set[str], list[Any]]:
    from teilhabe.directory.importer import check_rows, read_rows

    raw, problems, _label = read_rows(data, name)
    if problems:
        return _verdict([(p.code, p.row) for p in problems], 0), []
    checked = check_rows(raw, owner=context.org_a, publish=False)
    return _verdict([(p.code, p.row) for p in checked.problems], len(checked.rows)), [
        (r.data["title"], r.data["description"]) for r in checked.rows
    ]


def run_register(data: bytes, name: str, context: Any) -> tuple[str | set[str], list[Any]]:
    from teilhabe.population import services
    from teilhabe.population.importer import ERROR, read_extract, validate

    result = validate(
        read_extract(data, name),
        STICHTAG,
        services.district_gemeinden("12073"),
        planungsraeume=services.district_planungsraeume("12073"),
    )
    errors = [(p.code, p.row) for p in result.problems if p.severity == ERROR]
    rows = result.normalised.to_pylist() if result.normalised is not None else []
    return _verdict(errors, len(rows)), [(r["ordnungsmerkmal"], r["planungsraum"]) for r in rows]


RUNNERS = {"agency": run_agency, "offers": run_offers, "register": run_register}


@pytest.fixture
def context(personas: Any, regions: None) -> Any:
    from teilhabe.regions.models import Planungsraum

    Planungsraum.objects.create(gemeinde_id="12073008", code="01", name="Süd", owner=personas.landkreis)
    return personas


def _show(verdict: str | set[str]) -> str:
    return verdict if isinstance(verdict, str) else ", ".join(sorted(verdict))


@pytest.mark.django_db
def test_corpus_verdicts_per_importer(context: Any, capsys: Any) -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in CORPUS.iterdir() if p.suffix != ".py" and p.is_file())
    table, mismatches = [], []
    for name, expected in EXPECTED.items():
        data = (CORPUS / name).read_bytes()
        got = {importer: RUNNERS[importer](data, name, context)[0] for importer in IMPORTERS}
        table.append(f"| {name} | " + " | ".join(_show(got[i]) for i in IMPORTERS) + " |")
        mismatches += [(name, i, got[i], expected[i]) for i in IMPORTERS if got[i] != expected[i]]
    with capsys.disabled():
        print("\n| file | " + " | ".join(IMPORTERS) + " |\n|---|---|---|---|\n" + "\n".join(table))
    assert mismatches == []


@pytest.mark.django_db
def test_corpus_text_is_never_mojibake_and_numbers_are_german(context: Any) -> None:
    """Same content in every encoding/format: same titles and values, with ü/é intact, 1.234 → 1234."""
    reference = None
    for name in [n for n, e in EXPECTED.items() if e["offers"] == OK and n[:2] <= "08"]:
        data = (CORPUS / name).read_bytes()
        titles = run_offers(data, name, context)[1]
        values = run_agency(data, name, context)[1]
        assert "Sprachcafé für Frauen" in {t for t, _d in titles}, name
        assert all("Ã" not in t + d for t, d in titles), name
        assert values[0][3] == 1234.0 and values[1][3] == 87.0, name
        reference = reference or (titles, values)
        assert (titles, values) == reference, name


@pytest.mark.django_db
def test_control_and_bidi_characters_are_removed(context: Any) -> None:
    name = "10_control_and_bidi_chars.csv"
    titles = run_offers((CORPUS / name).read_bytes(), name, context)[1]
    assert titles[0][0] == "Sprachcafé für Frauen"
    assert "\u2066" not in titles[1][1] and "\x07" not in titles[1][1]


@pytest.mark.django_db
def test_planungsraum_name_gets_did_you_mean(context: Any) -> None:
    from teilhabe.population import services
    from teilhabe.population.importer import read_extract, validate

    data = (CORPUS / "17_planungsraum_names.csv").read_bytes()
    result = validate(
        read_extract(data, "x.csv"),
        STICHTAG,
        services.district_gemeinden("12073"),
        planungsraeume=services.district_planungsraeume("12073"),
    )
    (problem,) = [p for p in result.problems if p.code == "E_PLANUNGSRAUM_UNKNOWN"]
    assert "„01“ (Süd)" in problem.message
