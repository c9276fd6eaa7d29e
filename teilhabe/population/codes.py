"""Code lists of the register extract: state keys, category codes and the labels of derived categories.

Django-free (the derivation, the synthesiser and the benchmark use it without a database). State keys come
from the bundled Destatis list in ``teilhabe/regions/data/staatsangehoerigkeiten/``.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "regions" / "data"
STATES_CSV = DATA_DIR / "staatsangehoerigkeiten" / "staaten.csv"
STATUS_CSV = DATA_DIR / "staatsangehoerigkeiten" / "staaten_zusatz.csv"
AZR_CSV = DATA_DIR / "staatsangehoerigkeiten" / "auslaender_nach_staatsangehoerigkeit.csv"

GERMAN = "000"
STATELESS = "997"
UNRESOLVED = "998"
NOT_STATED = "999"
# Special keys that name no state: they never count as a "further nationality" of a German.
SPECIAL_KEYS = frozenset({"910", STATELESS, UNRESOLVED, NOT_STATED})
UKRAINE = "166"
# The eight main non-European asylum countries of origin used by the Bundesagentur für Arbeit and BAMF
# reporting ("Asylherkunftsländer"): Afghanistan, Eritrea, Irak, Iran, Nigeria, Pakistan, Somalia, Syrien.
ASYL8 = frozenset({"423", "224", "438", "439", "232", "461", "273", "475"})

WOHNUNGSSTATUS = {"H": "Hauptwohnung", "N": "Nebenwohnung", "A": "alleinige Wohnung"}
COUNTED_WOHNUNGSSTATUS = ("H", "A")
GESCHLECHT = {"m": "männlich", "w": "weiblich", "d": "divers", "x": "ohne Angabe"}
ART_DEUTSCH = {
    "G": "durch Geburt/Abstammung",
    "E": "Einbürgerung",
    "O": "Geburt im Inland (§ 4 Abs. 3 StAG)",
    "S": "Spätaussiedler (§ 7 StAG)",
}
FAMILIENSTAND = {
    "LD": "ledig",
    "VH": "verheiratet",
    "VW": "verwitwet",
    "GS": "geschieden",
    "LP": "eingetragene Lebenspartnerschaft",
    "NB": "nicht bekannt",
}
RELIGION = {
    "ev": "evangelisch",
    "rk": "römisch-katholisch",
    "sonstige": "sonstige öffentlich-rechtliche",
    "keine": "keine öffentlich-rechtliche Religionsgesellschaft",
}

# Sex in published tables: "d" and "x" are combined because each alone is almost always below k.
SEX_GROUPS = {"m": "männlich", "w": "weiblich", "x": "divers/ohne Angabe"}

AGE_BANDS: list[tuple[str, int, int | None, str]] = [
    ("00-03", 0, 3, "0 bis unter 3"),
    ("03-06", 3, 6, "3 bis unter 6"),
    ("06-15", 6, 15, "6 bis unter 15"),
    ("15-18", 15, 18, "15 bis unter 18"),
    ("18-25", 18, 25, "18 bis unter 25"),
    ("25-65", 25, 65, "25 bis unter 65"),
    ("65+", 65, None, "65 und älter"),
]
DURATION_BANDS: list[tuple[str, int, int | None, str]] = [
    ("0-1", 0, 1, "unter 1 Jahr"),
    ("1-3", 1, 3, "1 bis unter 3 Jahre"),
    ("3-5", 3, 5, "3 bis unter 5 Jahre"),
    ("5-10", 5, 10, "5 bis unter 10 Jahre"),
    ("10-20", 10, 20, "10 bis unter 20 Jahre"),
    ("20+", 20, None, "20 Jahre und länger"),
]
NO_MOVE_IN = "ohne"  # no move-in date: living in the Gemeinde since birth or date unknown

NATIONALITY_GROUPS = {
    "deutsch": "Deutsche",
    "eu27": "EU-27 (ohne Deutschland)",
    "europa": "übriges Europa (ohne Ukraine)",
    "ukraine": "Ukraine",
    "asyl8": "8 Hauptherkunftsländer Asyl",
    "sonstige": "übrige Staaten, staatenlos, ungeklärt",
}
MH_TYPES = {
    "auslaender": "Ausländer/innen",
    "deutsch_eigen": "Deutsche mit eigenem Migrationshintergrund",
    "deutsch_eltern": "Deutsche mit Migrationshintergrund über die Eltern",
    "ohne": "ohne Migrationshintergrund",
}
UNKNOWN = "unbekannt"


@dataclass(frozen=True)
class State:
    code: str
    name: str
    iso2: str
    iso3: str
    continent: str
    eu27: bool
    status: str


@functools.cache
def states() -> dict[str, State]:
    status: dict[str, str] = {}
    with STATUS_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            status[row["destatis_code"]] = row["status"]
    result: dict[str, State] = {}
    with STATES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["destatis_code"]
            result[code] = State(
                code,
                row["name_de"],
                row["iso2"],
                row["iso3"],
                row["gruppe"],
                row["eu27"] == "1",
                status.get(code, "aktuell"),
            )
    return result


@functools.cache
def state_aliases() -> dict[str, str]:
    """Every accepted spelling (3-digit key, ISO alpha-2/-3, upper case) → 3-digit key.

    ISO codes shared by a historical and a current key map to the current one.
    """
    aliases: dict[str, str] = {}
    ordered = sorted(states().values(), key=lambda s: s.status != "aktuell")
    for state in ordered:
        aliases[state.code] = state.code
        for iso in (state.iso2, state.iso3):
            if iso and iso.upper() not in aliases:
                aliases[iso.upper()] = state.code
    return aliases


def nationality_group(code: str | None) -> str:
    """Group of a (first) nationality key for published tables; see NATIONALITY_GROUPS."""
    if code == GERMAN:
        return "deutsch"
    state = states().get(code or "")
    if code == UKRAINE:
        return "ukraine"
    if code in ASYL8:
        return "asyl8"
    if state is not None and state.eu27:
        return "eu27"
    if state is not None and state.continent == "Europa" and code not in SPECIAL_KEYS:
        return "europa"
    return "sonstige"


def state_name(code: str) -> str:
    if code == UNKNOWN:
        return "unbekannt"
    state = states().get(code)
    return state.name if state else code


@functools.cache
def national_foreign_mix(stichtag: str = "2024-12-31") -> list[tuple[str, int]]:
    """(key, persons) of foreign nationals in Germany (AZR), the row without key counted as 998."""
    result: list[tuple[str, int]] = []
    with AZR_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["stichtag"] == stichtag:
                result.append((row["destatis_code"] or UNRESOLVED, int(row["insgesamt"])))
    return result
