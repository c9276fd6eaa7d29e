"""Weighting margins from the register statistics (``teilhabe.population``), disclosure-protected.

Target population: foreign nationals aged 18 and over at the latest committed Stichtag (the survey is a
survey of immigrants; the register tabulates age band × nationality group × sex). Margins, each one-way:

- ``altersgruppe``: 18-25, 25-65, 65+
- ``geschlecht``: m, w, x (divers/ohne Angabe)
- ``staatsangehoerigkeitsgruppe``: eu27, europa, ukraine, asyl8, sonstige
- ``gemeindegruppe``: the survey's own groups of Gemeinden (``Survey.gemeinde_groups``)

Each margin vector passes ``protect_table`` with the survey's k like a published table; a suppressed cell
raises ``WeightingError`` (categories must then be combined), so weights only ever rest on publishable
numbers.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from teilhabe.lib.disclosure import protect_table
from teilhabe.surveys.weighting import WeightingError

ADULT_BANDS = ("18-25", "25-65", "65+")
# The categories each register margin has (``gemeindegruppe``: the survey's own group codes). "x" of sex is
# optional: below k it is left out (an open margin).
CATEGORIES: dict[str, tuple[str, ...]] = {
    "altersgruppe": ADULT_BANDS,
    "geschlecht": ("m", "w", "x"),
    "staatsangehoerigkeitsgruppe": ("eu27", "europa", "ukraine", "asyl8", "sonstige"),
}
OPTIONAL_CATEGORIES = {"geschlecht": {"x"}}
MARGINS = {
    "altersgruppe": "Altersgruppe",
    "geschlecht": "Geschlecht",
    "staatsangehoerigkeitsgruppe": "Staatsangehörigkeitsgruppe",
    "gemeindegruppe": "Gemeindegruppe",
}


def register_margins(
    variables: list[str], *, k: int, gemeinde_groups: dict[str, dict[str, Any]] | None = None, year: int | None = None
) -> tuple[date, dict[str, dict[str, float]], frozenset[str]]:
    """(Stichtag, margins, open margins). An open margin leaves out a category below k ("divers/ohne
    Angabe" of sex); respondents in it are not adjusted on that margin (``weighting.rake``)."""
    from teilhabe.population import selectors

    stichtage = selectors.stichtage()
    if not stichtage:
        raise WeightingError("Es gibt noch keinen übernommenen Melderegister-Auszug für die Randverteilungen.")
    # The Stichtag of the survey year (31.12. of that year or earlier), else the latest one.
    stichtag = next((s for s in stichtage if year is not None and s.year <= year), stichtage[0])
    margins: dict[str, dict[str, float]] = {}
    open_margins: set[str] = set()
    kreis_rows = [
        row
        for row in selectors.counts(stichtag, "kreis", "alter_staatsangehoerigkeit")
        if row.category.split("|")[0] in ADULT_BANDS and row.category.split("|")[-1] != "deutsch"
    ]
    for variable in variables:
        totals: dict[str, float] = defaultdict(float)
        if variable == "altersgruppe":
            for row in kreis_rows:
                totals[row.category.split("|")[0]] += row.total
        elif variable == "geschlecht":
            for row in kreis_rows:
                totals["m"] += row.male
                totals["w"] += row.female
                totals["x"] += row.other
        elif variable == "staatsangehoerigkeitsgruppe":
            for row in kreis_rows:
                totals[row.category.split("|")[-1]] += row.total
        elif variable == "gemeindegruppe":
            group_of = {
                str(ags): code for code, group in (gemeinde_groups or {}).items() for ags in group.get("ags", [])
            }
            if not group_of:
                raise WeightingError("Für die Randverteilung Gemeindegruppe sind keine Gemeindegruppen festgelegt.")
            for row in selectors.counts(stichtag, "gemeinde", "alter_staatsangehoerigkeit"):
                band, group = row.category.split("|")[0], row.category.split("|")[-1]
                if band in ADULT_BANDS and group != "deutsch" and row.area in group_of:
                    totals[group_of[row.area]] += row.total
        else:
            raise WeightingError(f"Unbekannte Randverteilung „{variable}“.")
        categories = sorted(totals)
        if variable == "geschlecht" and 0 < totals.get("x", 0) < k:
            # "divers/ohne Angabe" below k: weight to the published m and w only (an open margin, see rake).
            categories = [c for c in categories if c != "x"]
            open_margins.add(variable)
        protected = protect_table([[int(totals[c]) for c in categories]], k)[0]
        suppressed = [c for c, cell in zip(categories, protected, strict=False) if cell.suppressed]
        if suppressed:
            raise WeightingError(
                f"Randverteilung „{MARGINS.get(variable, variable)}“: die Kategorie(n) {', '.join(suppressed)} "
                f"liegen unter der Mindestfallzahl {k} und sind gesperrt; bitte zusammenfassen."
            )
        margins[variable] = {c: float(totals[c]) for c in categories if totals[c] > 0}
    return stichtag, margins, frozenset(open_margins)
