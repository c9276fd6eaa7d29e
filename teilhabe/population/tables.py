# ruff: noqa: S608 - SQL text here interpolates only our own column names and code lists; values are parameters
"""Aggregates of a derived extract and the published (disclosure-protected) tables built from them.

``aggregate`` runs one DuckDB query with grouping sets over the derived microdata and returns raw counts
per level (Kreis, Gemeinde, Planungsraum), area, dimension, category and sex. These counts are stored in
the main database. ``layout`` turns them into the rows and columns of a published table; the disclosure
decision is taken once per Stichtag over all tables (``teilhabe.population.joint``) and stored, and
``assemble`` turns a stored grid into the page's table. Django-free.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from teilhabe.lib.disclosure import SUPPRESSED_MARK, Cell, protect_table
from teilhabe.population import codes

TOP_N = 20
REST = "_rest"  # category of the "all others" row in top-N tables

# dimension key → (SQL category expression, SQL filter)
DIMENSIONS: dict[str, tuple[str, str]] = {
    "bevoelkerung": ("'insgesamt'", "true"),
    "alter_staatsangehoerigkeit": ("altersgruppe || '|' || staatsangehoerigkeitsgruppe", "true"),
    "staatsangehoerigkeitsgruppe": ("staatsangehoerigkeitsgruppe", "true"),
    "staatsangehoerigkeit": (f"coalesce(staatsangehoerigkeit_1, '{codes.UNRESOLVED}')", "auslaender"),
    "migrationshintergrund": ("mh_typ", "true"),
    "eingewandert": ("CASE WHEN eingewandert THEN 'ja' ELSE 'nein' END", "true"),
    "herkunftsregion": (f"coalesce(herkunftsregion, '{codes.UNKNOWN}')", "migrationshintergrund"),
    "geburtsstaat": (f"coalesce(geburtsstaat, '{codes.UNKNOWN}')", "true"),
    "familienstand": (f"coalesce(familienstand, '{codes.UNKNOWN}')", "true"),
    "religion": (f"coalesce(religion, '{codes.UNKNOWN}')", "true"),
    "aufenthaltsdauer": ("aufenthaltsdauer", "true"),
    "zuzug_ausland_vorjahr": ("staatsangehoerigkeitsgruppe", "zuzug_ausland_vorjahr"),
}
LEVELS = ("kreis", "gemeinde", "planungsraum")


def aggregate_sql(source: str) -> str:
    """The counting query over the derived rows in ``source`` (a table, view or ``read_parquet(…)``);
    parameter ``$kreis``. Columns: level, area, dimension, category, male, female, other."""
    unions = " UNION ALL ".join(
        f"SELECT ags, planungsraum, geschlecht_gruppe AS sex, '{key}' AS dimension, {expr} AS category "
        f"FROM counted WHERE {condition}"
        for key, (expr, condition) in DIMENSIONS.items()
    )
    return f"""
        WITH counted AS (SELECT * FROM {source} WHERE zaehlt),
        dims AS ({unions})
        SELECT CASE WHEN grouping(ags) = 1 THEN 'kreis' WHEN grouping(planungsraum) = 1 THEN 'gemeinde'
                    ELSE 'planungsraum' END AS level,
               CASE WHEN grouping(ags) = 1 THEN $kreis WHEN grouping(planungsraum) = 1 THEN ags
                    ELSE ags || ':' || planungsraum END AS area,
               dimension, category,
               count(*) FILTER (WHERE sex = 'm')::INTEGER AS male,
               count(*) FILTER (WHERE sex = 'w')::INTEGER AS female,
               count(*) FILTER (WHERE sex = 'x')::INTEGER AS other
        FROM dims
        GROUP BY GROUPING SETS ((dimension, category), (ags, dimension, category),
                                (ags, planungsraum, dimension, category))
        HAVING grouping(planungsraum) = 1 OR planungsraum IS NOT NULL
    """


COUNT_COLUMNS = ("level", "area", "dimension", "category", "male", "female", "other")


def aggregate(derived: pa.Table, kreis_ags: str, *, connection: duckdb.DuckDBPyConnection | None = None) -> pa.Table:
    """Counts of the counted rows (``zaehlt``) per level, area, dimension and category; one column per sex
    group (``male``, ``female``, ``other`` = divers/ohne Angabe)."""
    con = connection or duckdb.connect()
    con.register("derived", derived)
    try:
        return con.sql(aggregate_sql("derived"), params={"kreis": kreis_ags}).to_arrow_table()
    finally:
        con.unregister("derived")


def aggregate_rows(con: duckdb.DuckDBPyConnection, source: str, kreis_ags: str) -> list[tuple[Any, ...]]:
    """``aggregate`` over rows already in the engine (``source`` as in ``aggregate_sql``), as tuples in
    ``COUNT_COLUMNS`` order: only these tens of thousands of counts come to Python."""
    return con.execute(aggregate_sql(source), {"kreis": kreis_ags}).fetchall()


# ---------------------------------------------------------------------------------------------------------
# Published tables


@dataclass
class PublishedTable:
    dimension: str
    title: str
    definition: str
    row_header: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]]  # label, cells incl. the row total (last)
    total: list[Cell] = field(default_factory=list)  # column totals incl. grand total

    @property
    def suppressed(self) -> bool:
        return any(c.suppressed for _label, cells in self.rows for c in cells) or any(c.suppressed for c in self.total)

    def flat(self) -> list[list[str | int]]:
        """Header plus rows with SUPPRESSED_MARK for suppressed cells (for CSV/XLSX export)."""
        result: list[list[str | int]] = [[self.row_header, *self.columns, "Insgesamt"]]
        for label, cells in [*self.rows, ("Insgesamt", self.total)]:
            result.append([label, *[SUPPRESSED_MARK if c.suppressed else c.value for c in cells]])
        return result


SEX_COLUMNS = list(codes.SEX_GROUPS)


def _label_age(key: str) -> str:
    return {band[0]: band[3] for band in codes.AGE_BANDS}.get(key, key)


def _label_duration(key: str) -> str:
    labels = {band[0]: band[3] for band in codes.DURATION_BANDS}
    labels[codes.NO_MOVE_IN] = "ohne Zuzugsdatum (seit Geburt oder unbekannt)"
    return labels.get(key, key)


def _label_state(key: str) -> str:
    return "übrige" if key == REST else codes.state_name(key)


@dataclass(frozen=True)
class TableSpec:
    title: str
    definition: str
    row_header: str
    label: Callable[[str], str]
    order: list[str] | None = None  # fixed row order; None = by size (top-N with rest row)


def _labels(mapping: Mapping[str, str]) -> Callable[[str], str]:
    return lambda key: mapping.get(key, "unbekannt" if key == codes.UNKNOWN else key)


SPECS: dict[str, TableSpec] = {
    "staatsangehoerigkeitsgruppe": TableSpec(
        "Bevölkerung nach Staatsangehörigkeitsgruppe und Geschlecht",
        "Erste Staatsangehörigkeit; Deutsche mit weiterer Staatsangehörigkeit zählen als Deutsche.",
        "Staatsangehörigkeit",
        _labels(codes.NATIONALITY_GROUPS),
        list(codes.NATIONALITY_GROUPS),
    ),
    "staatsangehoerigkeit": TableSpec(
        f"Ausländer/innen nach Staatsangehörigkeit (die {TOP_N} häufigsten)",
        "Personen ohne deutsche Staatsangehörigkeit nach erster Staatsangehörigkeit.",
        "Staatsangehörigkeit",
        _label_state,
    ),
    "migrationshintergrund": TableSpec(
        "Bevölkerung nach Migrationshintergrund (MigraPro-Regel)",
        "Registerbasierte Schätzung nach MigraPro; nicht gleich Mikrozensus oder Zensus 2022.",
        "Migrationsstatus",
        _labels(codes.MH_TYPES),
        list(codes.MH_TYPES),
    ),
    "eingewandert": TableSpec(
        "Eingewanderte (im Ausland geboren, Konzept Zensus 2022)",
        "Im Ausland geborene Personen; Geburtsstaat unbekannt zählt als nicht eingewandert.",
        "im Ausland geboren",
        _labels({"ja": "ja", "nein": "nein oder unbekannt"}),
        ["ja", "nein"],
    ),
    "herkunftsregion": TableSpec(
        "Personen mit Migrationshintergrund nach Herkunftsregion",
        "Herkunftsgruppe nach MigraPro (Staatsangehörigkeit, Geburtsstaat oder Eltern), gruppiert.",
        "Herkunftsregion",
        _labels({**codes.NATIONALITY_GROUPS, codes.UNKNOWN: "unbekannt"}),
        [*[k for k in codes.NATIONALITY_GROUPS if k != "deutsch"], codes.UNKNOWN],
    ),
    "geburtsstaat": TableSpec(
        f"Bevölkerung nach Geburtsstaat (die {TOP_N} häufigsten)",
        "Geburtsstaat laut Melderegister.",
        "Geburtsstaat",
        _label_state,
    ),
    "familienstand": TableSpec(
        "Bevölkerung nach Familienstand",
        "Familienstand laut Melderegister.",
        "Familienstand",
        _labels(codes.FAMILIENSTAND),
        [*codes.FAMILIENSTAND, codes.UNKNOWN],
    ),
    "religion": TableSpec(
        "Bevölkerung nach Zugehörigkeit zu einer öffentlich-rechtlichen Religionsgesellschaft",
        "Nur die steuererhebenden öffentlich-rechtlichen Religionsgesellschaften, nicht Religion allgemein.",
        "Religionsgesellschaft",
        _labels(codes.RELIGION),
        [*codes.RELIGION, codes.UNKNOWN],
    ),
    "aufenthaltsdauer": TableSpec(
        "Bevölkerung nach Wohndauer in der Gemeinde",
        "Volle Jahre seit dem letzten Zuzug in die Gemeinde.",
        "Wohndauer",
        _label_duration,
        [*[b[0] for b in codes.DURATION_BANDS], codes.NO_MOVE_IN],
    ),
    "zuzug_ausland_vorjahr": TableSpec(
        "Zuzüge aus dem Ausland in den letzten 12 Monaten (noch wohnhaft)",
        "Personen, die im Jahr vor dem Stichtag aus dem Ausland zugezogen sind und am Stichtag hier wohnen.",
        "Staatsangehörigkeit",
        _labels(codes.NATIONALITY_GROUPS),
        list(codes.NATIONALITY_GROUPS),
    ),
}
TABLE_ORDER = ["alter_staatsangehoerigkeit", *SPECS]


def build_table(dimension: str, counts: Mapping[tuple[str, str], int], k: int) -> PublishedTable:
    """``counts``: (category, sex) → persons for one area and Stichtag. Every cell is protected here, table by
    table; published pages read the jointly decided, stored tables instead (``teilhabe.population.joint``)."""
    categories, matrix = layout(dimension, counts)
    return assemble(dimension, categories, protect_table(matrix, k) if matrix else [])


def layout(dimension: str, counts: Mapping[tuple[str, str], int]) -> tuple[list[str], list[list[int]]]:
    """Row keys and inner counts (rows × columns, no margins) of a published table.

    Row keys are categories (``_rest`` for the "all others" row of a top-N table); for the age × nationality
    table they are "<age band>|<sex>" and the columns are the nationality groups."""
    if dimension == "alter_staatsangehoerigkeit":
        groups = list(codes.NATIONALITY_GROUPS)
        row_keys = [(band[0], sex) for band in codes.AGE_BANDS for sex in SEX_COLUMNS]
        matrix = [[counts.get((f"{band}|{group}", sex), 0) for group in groups] for band, sex in row_keys]
        return [f"{band}|{sex}" for band, sex in row_keys], matrix
    spec = SPECS[dimension]
    per_category: dict[str, dict[str, int]] = {}
    for (category, sex), value in counts.items():
        per_category.setdefault(category, {})[sex] = per_category.get(category, {}).get(sex, 0) + value
    if spec.order is not None:
        categories = list(spec.order)
        merged = per_category
    else:
        ranked = sorted(per_category, key=lambda c: (-sum(per_category[c].values()), c))
        categories = ranked[:TOP_N]
        merged = {c: per_category[c] for c in categories}
        rest: dict[str, int] = {}
        for category in ranked[TOP_N:]:
            for sex, value in per_category[category].items():
                rest[sex] = rest.get(sex, 0) + value
        if rest:
            categories.append(REST)
            merged[REST] = rest
    return categories, [[merged.get(c, {}).get(sex, 0) for sex in SEX_COLUMNS] for c in categories]


def assemble(dimension: str, categories: list[str], protected: list[list[Cell]]) -> PublishedTable:
    """The page's table from protected cells (grid with margins, as ``protect_table`` returns it)."""
    if dimension == "alter_staatsangehoerigkeit":
        labels = []
        for key in categories:
            band, _sep, sex = key.partition("|")
            labels.append(f"{_label_age(band)}, {codes.SEX_GROUPS[sex]}")
        return PublishedTable(
            "alter_staatsangehoerigkeit",
            "Bevölkerung nach Altersgruppe, Geschlecht und Staatsangehörigkeitsgruppe",
            "Alter in vollen Jahren am Stichtag; Staatsangehörigkeitsgruppe nach erster Staatsangehörigkeit.",
            "Altersgruppe, Geschlecht",
            [codes.NATIONALITY_GROUPS[g] for g in codes.NATIONALITY_GROUPS],
            list(zip(labels, protected, strict=False)),
            protected[-1] if protected else [],
        )
    spec = SPECS[dimension]
    return PublishedTable(
        dimension,
        spec.title,
        spec.definition,
        spec.row_header,
        list(codes.SEX_GROUPS.values()),
        [(spec.label(c), protected[i]) for i, c in enumerate(categories)],
        protected[-1] if protected else [],
    )
