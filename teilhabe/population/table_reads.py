"""The two reads every population tables request makes, as fixed SQL statements (issue 17, decision 0176).

``committed_imports(user, scope)`` → the committed imports the user may read, newest Stichtag first, with only
the list fields and the owner's id and name loaded; the same rows as
``selectors.committed_imports(scope.imports(user)).select_related("owner").only(…)``.
``area_names(kreis_ags, planungsraeume)`` → (Gemeinde names by AGS, Planungsraum names by "AGS:code").

Both read current data on every request (no cache): a new import, a changed release or a renamed area shows on
the next request. Compiling the equivalent querysets cost more CPU than the database took to answer them.
``tests/test_table_reads.py`` compares both with the querysets for every persona.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from teilhabe.accounts.access import has_district_permission, organisation_ids_with
from teilhabe.accounts.models import Organisation
from teilhabe.core import fixed_sql
from teilhabe.population.access import PopulationScope
from teilhabe.population.models import VIEW_PERMISSION, RegisterImport

# The fields of RegisterImport the table pages read (never the large JSON: check report, disclosure record).
LIST_FIELDS = ("id", "owner_id", "kreis_ags", "stichtag", "status", "committed_at", "published_at", "created_at")


def _owner_filter(user: Any, scope: PopulationScope) -> set[int] | None:
    """The owners whose imports the user may read; None: all (``PopulationScope.imports``)."""
    if scope.full:
        if has_district_permission(user, VIEW_PERMISSION):
            return None
        return organisation_ids_with(user, VIEW_PERMISSION)
    if scope.gemeinden:
        return None  # a released Gemeinde reads the district's imports, limited to its areas by scope.allows()
    return set()


def committed_imports(user: Any, scope: PopulationScope) -> list[RegisterImport]:
    owners = _owner_filter(user, scope)
    if owners is not None and not owners:
        return []
    params: list[Any] = [RegisterImport.Status.COMMITTED]
    where = 'i."status" = %s'
    if owners is not None:
        where += ' AND i."owner_id" IN ({})'.format(", ".join("%s" for _o in owners))
        params += sorted(owners)
    sql = (
        f'SELECT {fixed_sql.columns(RegisterImport, LIST_FIELDS, "i")}, o."name" '  # noqa: S608 - no input
        'FROM "population_registerimport" i INNER JOIN "accounts_organisation" o ON o."id" = i."owner_id" '
        f'WHERE {where} ORDER BY i."stichtag" DESC'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    imports = fixed_sql.instances(RegisterImport, LIST_FIELDS, (row[:-1] for row in rows))
    owners_by_id: dict[int, Organisation] = {}
    for register_import, row in zip(imports, rows, strict=True):
        owner = owners_by_id.get(register_import.owner_id)
        if owner is None:
            owner = Organisation.from_db(connection.alias, ["id", "name"], [register_import.owner_id, row[-1]])
            owners_by_id[register_import.owner_id] = owner
        register_import.owner = owner
    return imports


_GEMEINDE_NAMES_SQL = 'SELECT \'g\', "ags", \'\', "name" FROM "regions_gemeinde" WHERE "kreis_id" = %s'
_PLANUNGSRAUM_NAMES_SQL = (
    'SELECT \'p\', "gemeinde_id", "code", "name" FROM "regions_planungsraum" WHERE "gemeinde_id" IN ({})'
)


def area_names(kreis_ags: str, planungsraeume: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Names of the Kreis's Gemeinden (by AGS) and of the given Planungsräume (by "AGS:code"), in one query."""
    ags = sorted({a.partition(":")[0] for a in planungsraeume})
    sql, params = _GEMEINDE_NAMES_SQL, [kreis_ags]
    if ags:
        sql += " UNION ALL " + _PLANUNGSRAUM_NAMES_SQL.format(", ".join("%s" for _a in ags))
        params += ags
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    gemeinden: dict[str, str] = {}
    names: dict[str, str] = {}
    for kind, gemeinde, code, name in rows:
        if kind == "g":
            gemeinden[gemeinde] = name
        else:
            names[f"{gemeinde}:{code}"] = name
    return gemeinden, names
