"""The worked example in docs/population/migrationshintergrund.md is executed and compared here."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from teilhabe.population.derivation import derive, input_table

DOC = Path(__file__).resolve().parents[3] / "docs" / "population" / "migrationshintergrund.md"
ALIASES = {"art": "art_deutsche_staatsangehoerigkeit"}


def _example_rows() -> list[dict[str, str]]:
    text = DOC.read_text(encoding="utf-8").split("## Durchgerechnetes Beispiel", 1)[1]
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = []
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


def test_worked_example_matches_derivation() -> None:
    examples = _example_rows()
    assert len(examples) >= 15
    persons = []
    for example in examples:
        person: dict[str, object] = {"ags": "12073008", "wohnungsstatus": "A", "geschlecht": "w"}
        for key, value in example.items():
            if key.startswith("→") or key == "Fall" or value == "":
                continue
            key = ALIASES.get(key, key)
            person[key] = date.fromisoformat(value) if key == "geburtsdatum" else value
        persons.append(person)
    derived = derive(input_table(persons), date(2025, 12, 31)).to_pylist()
    result = {row["ordnungsmerkmal"]: row for row in derived}
    for example in examples:
        got = result[example["ordnungsmerkmal"]]
        expected = {
            "mh_typ": example["→ mh_typ"],
            "eingewandert": example["→ eingewandert"] == "ja",
            "herkunftsgruppe": example["→ herkunftsgruppe"] or None,
            "altersgruppe": example["→ altersgruppe"],
        }
        actual = {key: got[key] for key in expected}
        assert actual == expected, f"{example['ordnungsmerkmal']} ({example['Fall']})"
