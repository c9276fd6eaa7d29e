# ruff: noqa: S608 - SQL text here interpolates only our own column names and code lists; values are parameters
"""Derived characteristics of a register extract: migration background (MigraPro rule), Eingewanderte
(Zensus 2022 concept), origin group, duration of residence, age band. Django-free, runs in DuckDB.

The rules are documented, with their MigraPro anchor and every deviation, in
``docs/population/migrationshintergrund.md``; the worked example there is executed by the tests.

Input: a pyarrow table with the normalised columns of the extract (see ``INPUT_COLUMNS``): state keys
already mapped to 3-digit Destatis keys, empty values as NULL, dates as ``date32``. The importer produces
exactly that; the synthesiser and the tests build it directly.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pyarrow as pa

from teilhabe.population import codes

INPUT_COLUMNS: dict[str, pa.DataType] = {
    "ordnungsmerkmal": pa.string(),
    "ags": pa.string(),
    "planungsraum": pa.string(),
    "wohnungsstatus": pa.string(),
    "geburtsdatum": pa.date32(),
    "geschlecht": pa.string(),
    "staatsangehoerigkeit_1": pa.string(),
    "staatsangehoerigkeit_2": pa.string(),
    "staatsangehoerigkeit_3": pa.string(),
    "art_deutsche_staatsangehoerigkeit": pa.string(),
    "geburtsstaat": pa.string(),
    "zuzug_datum": pa.date32(),
    "zuzug_herkunft_staat": pa.string(),
    "familienstand": pa.string(),
    "religion": pa.string(),
    "elternteil_1": pa.string(),
    "elternteil_2": pa.string(),
}

DERIVED_COLUMNS = [
    "alter",
    "altersgruppe",
    "geschlecht_gruppe",
    "deutsch",
    "auslaender",
    "deutsch_mit_eigenem_mh",
    "deutsch_mit_mh_ueber_eltern",
    "migrationshintergrund",
    "mh_typ",
    "eingewandert",
    "herkunftsgruppe",
    "herkunftsregion",
    "staatsangehoerigkeitsgruppe",
    "aufenthaltsdauer_jahre",
    "aufenthaltsdauer",
    "zuzug_ausland_vorjahr",
    "zaehlt",
]


def _in_list(values: frozenset[str] | set[str] | list[str]) -> str:
    # Codes are 3-digit keys from our own list, never user input, so literal SQL lists are safe.
    return "(" + ",".join(f"'{v}'" for v in sorted(values)) + ")"


def _group_case(column: str) -> str:
    """SQL CASE mapping a state key column to the nationality groups of ``codes.NATIONALITY_GROUPS``."""
    states = codes.states().values()
    eu = {s.code for s in states if s.eu27 and s.code != codes.GERMAN}
    europe = {s.code for s in states if s.continent == "Europa" and s.code not in codes.SPECIAL_KEYS}
    return (
        f"CASE WHEN {column} IS NULL THEN NULL WHEN {column} = '{codes.GERMAN}' THEN 'deutsch' "
        f"WHEN {column} = '{codes.UKRAINE}' THEN 'ukraine' "
        f"WHEN {column} IN {_in_list(codes.ASYL8)} THEN 'asyl8' "
        f"WHEN {column} IN {_in_list(eu)} THEN 'eu27' "
        f"WHEN {column} IN {_in_list(europe)} THEN 'europa' ELSE 'sonstige' END"
    )


def _band_case(column: str, bands: list[tuple[str, int, int | None, str]], null_value: str) -> str:
    parts = [f"WHEN {column} IS NULL THEN '{null_value}'"]
    for key, _low, high, _label in bands:
        parts.append(f"WHEN {column} < {high} THEN '{key}'" if high is not None else f"ELSE '{key}'")
    return "CASE " + " ".join(parts) + " END"


def _full_years(start: str, stichtag: str) -> str:
    """Completed years between two dates (age on the Stichtag), NULL if ``start`` is NULL."""
    return (
        f"(year({stichtag}) - year({start}) - CASE WHEN month({start}) * 100 + day({start}) "
        f"> month({stichtag}) * 100 + day({stichtag}) THEN 1 ELSE 0 END)"
    )


def derivation_sql(source: str = "persons") -> str:
    """The whole derivation as one SQL statement over ``source``; the Stichtag is parameter ``$stichtag``."""
    special = _in_list(codes.SPECIAL_KEYS)
    sa = [f"staatsangehoerigkeit_{i}" for i in (1, 2, 3)]

    def foreign_real(col: str) -> str:
        return f"({col} IS NOT NULL AND {col} <> '000' AND {col} NOT IN {special})"

    further = (
        f"CASE WHEN {foreign_real(sa[0])} THEN {sa[0]} WHEN {foreign_real(sa[1])} THEN {sa[1]} "
        f"WHEN {foreign_real(sa[2])} THEN {sa[2]} END"
    )
    return f"""
WITH base AS NOT MATERIALIZED (
    SELECT *,
        coalesce({sa[0]} = '000', false) OR coalesce({sa[1]} = '000', false)
            OR coalesce({sa[2]} = '000', false) AS deutsch,
        {further} AS weitere_staatsangehoerigkeit,
        coalesce(geburtsstaat <> '000', false) AS im_ausland_geboren,
        coalesce(zuzug_herkunft_staat <> '000', false) AS zuzug_aus_ausland,
        {_full_years("geburtsdatum", "$stichtag")} AS alter
    FROM {source}
),
own AS NOT MATERIALIZED (
    SELECT *,
        NOT deutsch AS auslaender,
        deutsch AND (weitere_staatsangehoerigkeit IS NOT NULL
                     OR coalesce(art_deutsche_staatsangehoerigkeit IN ('E', 'O', 'S'), false)
                     OR (im_ausland_geboren AND zuzug_aus_ausland)) AS deutsch_mit_eigenem_mh
    FROM base
),
own2 AS NOT MATERIALIZED (
    SELECT *,
        auslaender OR deutsch_mit_eigenem_mh AS eigener_mh,
        CASE WHEN auslaender THEN coalesce({sa[0]}, '{codes.UNRESOLVED}')
             WHEN deutsch_mit_eigenem_mh THEN coalesce(weitere_staatsangehoerigkeit,
                  CASE WHEN im_ausland_geboren THEN geburtsstaat END)
        END AS eigene_herkunft
    FROM own
),
-- One row per person for the parent lookup; a person with two dwellings prefers the main one. Only persons
-- someone names as a parent are ranked (Karlsruhe: a quarter of the rows; same result, 0.2 s less CPU).
parents AS (
    SELECT ordnungsmerkmal, eigener_mh, eigene_herkunft FROM own2
    WHERE ordnungsmerkmal IN (SELECT elternteil_1 FROM {source} UNION SELECT elternteil_2 FROM {source})
    QUALIFY row_number() OVER (PARTITION BY ordnungsmerkmal
                               ORDER BY CASE wohnungsstatus WHEN 'N' THEN 1 ELSE 0 END) = 1
),
linked AS (
    SELECT o.*,
        coalesce(p1.eigener_mh, false) OR coalesce(p2.eigener_mh, false) AS elternteil_mit_mh,
        coalesce(CASE WHEN p1.eigener_mh THEN p1.eigene_herkunft END,
                 CASE WHEN p2.eigener_mh THEN p2.eigene_herkunft END) AS eltern_herkunft
    FROM own2 o
    LEFT JOIN parents p1 ON p1.ordnungsmerkmal = o.elternteil_1
    LEFT JOIN parents p2 ON p2.ordnungsmerkmal = o.elternteil_2
),
derived AS (
    SELECT *,
        deutsch AND NOT deutsch_mit_eigenem_mh AND alter < 18 AND elternteil_mit_mh
            AS deutsch_mit_mh_ueber_eltern
    FROM linked
),
final AS (
    SELECT *,
        auslaender OR deutsch_mit_eigenem_mh OR deutsch_mit_mh_ueber_eltern AS migrationshintergrund,
        CASE WHEN auslaender THEN 'auslaender' WHEN deutsch_mit_eigenem_mh THEN 'deutsch_eigen'
             WHEN deutsch_mit_mh_ueber_eltern THEN 'deutsch_eltern' ELSE 'ohne' END AS mh_typ,
        im_ausland_geboren AS eingewandert,
        CASE WHEN auslaender OR deutsch_mit_eigenem_mh THEN coalesce(eigene_herkunft, eltern_herkunft)
             WHEN deutsch_mit_mh_ueber_eltern THEN eltern_herkunft END AS herkunftsgruppe,
        {_full_years("zuzug_datum", "$stichtag")} AS aufenthaltsdauer_jahre,
        zuzug_aus_ausland AND zuzug_datum > ($stichtag - INTERVAL 1 YEAR) AND zuzug_datum <= $stichtag
            AS zuzug_ausland_vorjahr
    FROM derived
)
SELECT * EXCLUDE (weitere_staatsangehoerigkeit, im_ausland_geboren, zuzug_aus_ausland, eigener_mh,
                  eigene_herkunft, elternteil_mit_mh, eltern_herkunft),
    {_band_case("alter", codes.AGE_BANDS, codes.UNKNOWN)} AS altersgruppe,
    CASE WHEN geschlecht IN ('m', 'w') THEN geschlecht ELSE 'x' END AS geschlecht_gruppe,
    {_group_case("herkunftsgruppe")} AS herkunftsregion,
    CASE WHEN deutsch THEN 'deutsch' ELSE coalesce({_group_case(sa[0])}, 'sonstige') END
        AS staatsangehoerigkeitsgruppe,
    {_band_case("aufenthaltsdauer_jahre", codes.DURATION_BANDS, codes.NO_MOVE_IN)} AS aufenthaltsdauer,
    wohnungsstatus IN ('H', 'A') AS zaehlt
FROM final
"""


def derive(persons: pa.Table, stichtag: date, *, connection: duckdb.DuckDBPyConnection | None = None) -> pa.Table:
    """Add the derived characteristics to every row of ``persons`` (all dwelling statuses are kept;
    ``zaehlt`` marks the rows counted in the statistics, H and A)."""
    con = connection or duckdb.connect()
    con.register("persons", persons)
    try:
        return con.sql(derivation_sql("persons"), params={"stichtag": stichtag}).to_arrow_table()
    finally:
        con.unregister("persons")


def empty_input() -> pa.Table:
    return pa.table({name: pa.array([], type=kind) for name, kind in INPUT_COLUMNS.items()})


def input_table(rows: list[dict[str, object]]) -> pa.Table:
    """Build a normalised input table from dicts (tests, docs); missing keys become NULL."""
    return pa.table(
        {name: pa.array([row.get(name) for row in rows], type=kind) for name, kind in INPUT_COLUMNS.items()}
    )
