"""Destatis 3-digit state keys for nationalities (bundled in regions/data/staatsangehoerigkeiten)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

_CSV = Path(__file__).resolve().parent.parent / "regions" / "data" / "staatsangehoerigkeiten" / "staaten.csv"


@cache
def state_names() -> dict[str, str]:
    with _CSV.open(encoding="utf-8") as handle:
        return {row["destatis_code"]: row["name_de"] for row in csv.DictReader(handle)}


def nationality_choices() -> list[tuple[str, str]]:
    return sorted(state_names().items(), key=lambda item: item[1])


def label(code: str) -> str:
    return state_names().get(code, code)
