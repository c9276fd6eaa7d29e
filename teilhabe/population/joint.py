"""One disclosure decision per published count of a Stichtag, over every register table and register-based
indicator count (docs/decisions/0105-joint-disclosure-by-canonical-keys.md). Django-free.

Every published number counts a set of persons: an area plus person attributes (``nat`` nationality group,
``sex``, ``age`` band, ``mh`` migration type, ...). Its **canonical key** is (area, attributes) with
equivalent descriptions made equal (``mh = auslaender`` is ``nat ∈ foreign groups``; a state code implies
its nationality group). The same key gets one decision everywhere: the "übriges Europa" total of the age ×
nationality table and of the nationality-group table are one key.

The decision is a fixed point (suppression only grows, so it terminates quickly):
1. primary: every key with 1 … k-1 persons;
2. each table is protected again with ``teilhabe.lib.disclosure.protect_table`` with the keys suppressed
   elsewhere forced (line rule plus exact recoverability check inside the table);
3. additive **relations** between tables and areas — a key of one table that is the sum of cells of another
   table (the foreigners total = the foreign nationality groups), a Kreis key = the sum of its Gemeinden, a
   Gemeinde key = the sum of its Planungsräume where they cover it, an indicator count = the sum of table
   cells — never keep exactly one suppressed member (the smallest positive other member is suppressed).

Shapes: ``AreaCounts`` = {dimension: {(category, sex): persons}} per (level, area); ``decide`` returns a
``Decision`` with the protected grid (margins included) of every table and the set of suppressed keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from teilhabe.lib.disclosure import Cell, needs_primary, protect_table
from teilhabe.population import codes
from teilhabe.population.tables import TABLE_ORDER, layout

Attrs = frozenset[tuple[str, frozenset[str]]]
Key = tuple[str, Attrs]  # (area, canonical attributes)
AreaId = tuple[str, str]  # (level, area)

FOREIGN = frozenset(g for g in codes.NATIONALITY_GROUPS if g != "deutsch")
MIGRANT = frozenset(m for m in codes.MH_TYPES if m != "ohne")
DOMAINS: dict[str, frozenset[str]] = {
    "nat": frozenset(codes.NATIONALITY_GROUPS),
    "sex": frozenset(codes.SEX_GROUPS),
    "mh": frozenset(codes.MH_TYPES),
    "age": frozenset(b[0] for b in codes.AGE_BANDS),
}
# dimension → (attribute of its categories, filter of the table's population)
ATTRIBUTES: dict[str, tuple[str, dict[str, frozenset[str]]]] = {
    "staatsangehoerigkeitsgruppe": ("nat", {}),
    "staatsangehoerigkeit": ("state", {"nat": FOREIGN}),
    "migrationshintergrund": ("mh", {}),
    "eingewandert": ("born", {}),
    "herkunftsregion": ("herk", {"mh": MIGRANT}),
    "geburtsstaat": ("birth", {}),
    "familienstand": ("fam", {}),
    "religion": ("rel", {}),
    "aufenthaltsdauer": ("dur", {}),
    "zuzug_ausland_vorjahr": ("nat", {"zuzug": frozenset({"ja"})}),
}


def canonical(attrs: Mapping[str, frozenset[str]]) -> Attrs:
    """Equal persons, equal key: drop unrestricted attributes and rewrite equivalent descriptions."""
    a = {name: frozenset(values) for name, values in attrs.items()}
    if a.get("mh") == frozenset({"auslaender"}):
        del a["mh"]
        a["nat"] = a.get("nat", FOREIGN) & FOREIGN
    if a.get("state") == frozenset({codes.UKRAINE}):
        del a["state"]
        a["nat"] = frozenset({"ukraine"})
    if "state" in a and "nat" in a and _state_groups(a["state"]) <= a["nat"]:
        del a["nat"]  # the state implies its group
    return frozenset((name, values) for name, values in a.items() if values != DOMAINS.get(name))


def order(key: Key) -> tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """A sort key of ``key`` that is the same in every process. Sets of strings iterate (and ``repr`` prints them)
    in an order that changes with ``PYTHONHASHSEED``; the fixed point depends on the order of the relations, so
    without this the same counts were published with different cells suppressed (26,654–26,837 of Karlsruhe's
    cells under three seeds)."""
    area, attrs = key
    return area, _attrs_order(attrs)


@lru_cache(maxsize=1 << 16)
def _attrs_order(attrs: Attrs) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(sorted((name, tuple(sorted(values))) for name, values in attrs))


def expanded(attrs: Attrs) -> dict[str, frozenset[str]]:
    """The attributes a key implies (for membership tests): a state its group, a group its migration type."""
    a = dict(attrs)
    if "state" in a:
        a["nat"] = a.get("nat", DOMAINS["nat"]) & _state_groups(a["state"])
    if "nat" in a and a["nat"] <= FOREIGN:
        a.setdefault("mh", frozenset({"auslaender"}))
    if "mh" in a and a["mh"] <= frozenset({"auslaender"}):
        a.setdefault("nat", FOREIGN)
    if "mh" in a and "auslaender" not in a["mh"]:
        a.setdefault("nat", frozenset({"deutsch"}))
    return a


def _state_groups(states: frozenset[str]) -> frozenset[str]:
    return frozenset(codes.nationality_group(code) for code in states)


@dataclass
class TableInstance:
    """One published table of one area: categories (row keys), raw grid with margins, key of every cell."""

    area: AreaId
    dimension: str
    categories: list[str]
    matrix: list[list[int]]
    keys: list[list[Key]]  # grid with margins
    shape: Shape  # what the table's keys are, whatever the area

    @property
    def cells(self) -> list[list[dict[str, frozenset[str]]]]:
        """Expanded attributes of the inner cells."""
        return self.shape.cells

    @property
    def names(self) -> frozenset[str]:
        """Attributes the inner cells resolve."""
        return self.shape.names

    @property
    def filter(self) -> dict[str, frozenset[str]]:
        return self.shape.filter

    @property
    def grid_values(self) -> list[list[int]]:
        rows = [[*row, sum(row)] for row in self.matrix]
        return [*rows, [sum(row[c] for row in rows) for c in range(len(rows[0]))]] if rows else []


@dataclass(frozen=True, eq=False)
class Shape:
    """The area-free part of a table: the canonical attributes of every grid position (margins included) and
    the expanded attributes of the inner cells. Tables of the same dimension and categories share one (the
    159 areas of Karlsruhe have a few dozen), so keys and relations are worked out once per shape."""

    attrs: list[list[Attrs]]
    cells: list[list[dict[str, frozenset[str]]]]
    names: frozenset[str]
    filter: dict[str, frozenset[str]]


@dataclass
class Decision:
    tables: dict[tuple[str, str, str], tuple[list[str], list[list[Cell]]]]  # (level, area, dimension)
    suppressed: set[Key]
    values: dict[Key, int]
    relations: list[tuple[Key, list[Key]]]  # parent = sum of children (cross-table and cross-area)
    keys: dict[tuple[str, str, str], list[list[Key]]] = field(default_factory=dict)
    rounds: int = 0
    extra: dict[str, dict[Key, int]] = field(default_factory=dict)


def _table(area: AreaId, dimension: str, counts: Mapping[tuple[str, str], int]) -> TableInstance | None:
    categories, matrix = layout(dimension, counts)
    if not matrix:
        return None
    shape = _shape(dimension, tuple(categories), _rest_categories(dimension, counts, categories))
    label = area[1]
    keys = [[(label, attrs) for attrs in row] for row in shape.attrs]
    return TableInstance(area, dimension, categories, matrix, keys, shape)


@lru_cache(maxsize=4096)
def _shape(dimension: str, categories: tuple[str, ...], rest: frozenset[str]) -> Shape:
    if dimension == "alter_staatsangehoerigkeit":
        groups = list(codes.NATIONALITY_GROUPS)
        row_attrs = [{"age": frozenset({c.split("|")[0]}), "sex": frozenset({c.split("|")[1]})} for c in categories]
        col_attrs = [{"nat": frozenset({g})} for g in groups]
        base: dict[str, frozenset[str]] = {}
        names = frozenset({"age", "sex", "nat", "mh"})
    else:
        name, base = ATTRIBUTES[dimension]
        row_attrs = [{name: rest if c == "_rest" else frozenset({c})} for c in categories]
        col_attrs = [{"sex": frozenset({s})} for s in codes.SEX_GROUPS]
        names = frozenset({name, "sex", *base, *(("nat", "mh") if name in ("state", "nat", "mh") else ())})

    def attrs(*parts: Mapping[str, frozenset[str]]) -> Attrs:
        merged: dict[str, frozenset[str]] = dict(base)
        for part in parts:
            for attr, values in part.items():
                merged[attr] = merged[attr] & values if attr in merged else values
        return canonical(merged)

    grid = [[attrs(r, c) for c in col_attrs] + [attrs(r)] for r in row_attrs]
    grid.append([attrs(c) for c in col_attrs] + [attrs()])
    cells = [[expanded(grid[i][j]) for j in range(len(col_attrs))] for i in range(len(row_attrs))]
    return Shape(grid, cells, names, base)


def _rest_categories(dimension: str, counts: Mapping[tuple[str, str], int], shown: list[str]) -> frozenset[str]:
    return frozenset(c for c, _s in counts if c not in shown) if "_rest" in shown else frozenset()


def _relation(
    parent: Key, table: TableInstance, memo: dict[tuple[Attrs, Shape], Any] | None = None
) -> list[Key] | None:
    """``parent`` as the sum of cells of ``table`` (rows or columns merged into their totals), or None.
    ``memo`` keeps the answer per attributes and table shape (it does not depend on the area)."""
    if memo is None:
        positions = _relation_positions(parent[1], table.shape)
    else:
        positions = memo.get((parent[1], table.shape), memo)
        if positions is memo:
            positions = memo[(parent[1], table.shape)] = _relation_positions(parent[1], table.shape)
    return None if positions is None else [table.keys[i][j] for i, j in positions]


def _relation_positions(parent: Attrs, shape: Shape) -> tuple[tuple[int, int], ...] | None:
    attrs = dict(parent)
    if not set(attrs) <= shape.names:
        return None
    wide = expanded(parent)
    if any(not wide.get(a, DOMAINS.get(a, frozenset())) <= values for a, values in shape.filter.items()):
        return None
    inside: list[tuple[int, int]] = []
    for i, row in enumerate(shape.cells):
        for j, cell in enumerate(row):
            state = _membership(cell, attrs)
            if state is None:
                return None
            if state:
                inside.append((i, j))
    n_rows, n_cols = len(shape.cells), len(shape.cells[0])
    by_row: dict[int, list[int]] = {}
    for i, j in inside:
        by_row.setdefault(i, []).append(j)
    children: list[tuple[int, int]] = []
    full_rows = [i for i, cols in by_row.items() if len(cols) == n_cols]
    if len(full_rows) == n_rows:
        return ((n_rows, n_cols),)
    for i, cols in by_row.items():
        if len(cols) == n_cols:
            children.append((i, n_cols))
        else:
            children += [(i, j) for j in cols]
    return tuple(children)


def _membership(cell: Mapping[str, frozenset[str]], attrs: Mapping[str, frozenset[str]]) -> bool | None:
    """True: the cell's persons all belong to the key; False: none do; None: some may (no exact relation)."""
    inside = True
    for name, values in attrs.items():
        own = cell.get(name)
        if own is None:
            return None
        if own <= values:
            continue
        if own.isdisjoint(values):
            return False
        inside = False
    return True if inside else None


class _Pool:
    def __init__(self, k: int) -> None:
        self.k = k
        self.values: dict[Key, int] = {}
        self.tables: list[TableInstance] = []
        self.relations: list[tuple[Key, list[Key]]] = []

    def add_table(self, table: TableInstance) -> None:
        self.tables.append(table)
        for row_keys, row_values in zip(table.keys, table.grid_values, strict=True):
            for key, value in zip(row_keys, row_values, strict=True):
                self.values.setdefault(key, value)

    def relate(self, parent: Key, children: list[Key]) -> None:
        if parent in children or not children:
            return
        if any(child not in self.values for child in children) or parent not in self.values:
            return
        if sum(self.values[c] for c in children) == self.values[parent]:  # the model must fit the numbers
            self.relations.append((parent, children))


def decide(
    areas: Mapping[AreaId, Mapping[str, Mapping[tuple[str, str], int]]],
    k: int,
    *,
    kreis: str,
    parents: Mapping[str, str] | None = None,
    extra_keys: Mapping[str, Mapping[str, frozenset[str]]] | None = None,
    forced: Iterable[Key] = (),
    max_rounds: int = 50,
) -> Decision:
    """Joint decision over all areas of one Stichtag.

    ``areas``: (level, area) → dimension → (category, sex) → persons (the stored raw counts).
    ``parents``: area → parent area (Gemeinde → Kreis, "AGS:code" → AGS); default from the area codes.
    ``extra_keys``: further published counts by name → attributes (register-based indicator inputs).
    """
    state = Joint(areas, k, kreis=kreis, parents=parents, extra_keys=extra_keys)
    return state.settle(forced, max_rounds=max_rounds)


class Joint:
    """The prepared decision of one Stichtag: tables, keys and relations (built once), and the fixed point,
    which can be continued with further forced keys (``settle``) instead of being decided again from scratch.
    Suppression only grows, so continuing from the previous result reaches a fixed point of the same rules."""

    def __init__(
        self,
        areas: Mapping[AreaId, Mapping[str, Mapping[tuple[str, str], int]]],
        k: int,
        *,
        kreis: str,
        parents: Mapping[str, str] | None = None,
        extra_keys: Mapping[str, Mapping[str, frozenset[str]]] | None = None,
    ) -> None:
        pool = _Pool(k)
        self.k = k
        self.pool = pool
        by_area: dict[str, list[TableInstance]] = {}
        for area, dimensions in areas.items():
            for dimension in TABLE_ORDER:
                table = _table(area, dimension, dimensions.get(dimension, {}))
                if table is not None:
                    pool.add_table(table)
                    by_area.setdefault(area[1], []).append(table)
        self.extra: dict[str, dict[Key, int]] = {}
        memo: dict[tuple[Attrs, Shape], Any] = {}
        for area_label, area_tables in by_area.items():
            own = [{key for row in table.keys for key in row} for table in area_tables]
            candidates = list(set().union(*own))
            for name, attrs in (extra_keys or {}).items():
                key = (area_label, canonical(attrs))
                for table in area_tables:
                    children = _relation(key, table, memo)
                    if children is not None and all(c in pool.values for c in children):
                        pool.values.setdefault(key, sum(pool.values[c] for c in children))
                        self.extra.setdefault(name, {})[key] = pool.values[key]
                        break
                if key in pool.values:
                    candidates.append(key)
            for parent in sorted(set(candidates), key=order):
                names = {name for name, _values in parent[1]}
                for table, keys in zip(area_tables, own, strict=True):
                    if parent in keys or not names <= table.names:
                        continue
                    children = _relation(parent, table, memo)
                    if children is not None:
                        pool.relate(parent, children)
        _area_relations(pool, by_area, kreis, parents)
        self.positions = [
            {key: (i, j) for i, row in enumerate(table.keys) for j, key in enumerate(row)} for table in pool.tables
        ]
        self.cells = [
            [(key, (i, j)) for i, row in enumerate(table.keys) for j, key in enumerate(row)] for table in pool.tables
        ]
        self.touching = _touching_all(self.positions, pool.relations)
        self.watchers: dict[Key, list[int]] = {}  # key → tables whose input changes when it is suppressed
        for index, table_positions in enumerate(self.positions):
            watched = set(table_positions).union(*(outside for _inside, outside in self.touching[index]))
            for key in watched:
                self.watchers.setdefault(key, []).append(index)
        self.dirty = set(range(len(pool.tables)))
        self.relations_of: dict[Key, list[int]] = {}
        for number, (parent, children) in enumerate(pool.relations):
            for key in {parent, *children}:
                self.relations_of.setdefault(key, []).append(number)
        self.lined: set[Key] = set()  # suppressed keys whose relations ``_line`` has seen
        self.suppressed = {key for key, value in pool.values.items() if needs_primary(value, k)}
        self.tables: dict[tuple[str, str, str], tuple[list[str], list[list[Cell]]]] = {}
        # a table is protected again only if its input (forced cells, sums known from elsewhere) changed
        self.done: dict[int, tuple[frozenset[tuple[int, int]], tuple[tuple[tuple[int, int, int], ...], ...]]] = {}
        self.rounds = 0

    def settle(self, forced: Iterable[Key] = (), *, max_rounds: int = 50) -> Decision:
        """Run the fixed point with ``forced`` keys suppressed in addition; returns the decision so far."""
        pool, k, suppressed, dirty = self.pool, self.k, self.suppressed, self.dirty
        forced = list(forced)
        suppressed.update(forced)
        self._touch(forced)
        rounds = 0
        while rounds < max_rounds:
            rounds += 1
            before = len(suppressed)
            for index, table in enumerate(pool.tables):
                if index not in dirty:
                    continue  # none of its cells nor of the sums it takes from elsewhere is newly suppressed
                dirty.discard(index)
                fixed = frozenset(position for key, position in self.cells[index] if key in suppressed)
                known = _known_sums(table, self.touching[index], suppressed)
                if self.done.get(index) == (fixed, known):
                    continue
                grid = protect_table(table.matrix, k, fixed, known)
                self.done[index] = (
                    frozenset((i, j) for i, row in enumerate(grid) for j, cell in enumerate(row) if cell.suppressed),
                    known,
                )
                self.tables[(table.area[0], table.area[1], table.dimension)] = (table.categories, grid)
                added = [
                    table.keys[i][j]
                    for i, row in enumerate(grid)
                    for j, cell in enumerate(row)
                    if cell.suppressed and table.keys[i][j] not in suppressed
                ]
                suppressed.update(added)
                self._touch(added)
            # "never exactly one suppressed member": only relations with a member suppressed since the last pass
            fresh = suppressed - self.lined
            self.lined = set(suppressed)
            for number in sorted({n for key in fresh for n in self.relations_of.get(key, ())}):
                parent, children = pool.relations[number]
                self._touch(_line(parent, children, suppressed, pool.values))
            if len(suppressed) == before:
                break
        self.rounds += rounds
        keys = {(t.area[0], t.area[1], t.dimension): t.keys for t in pool.tables}
        return Decision(dict(self.tables), set(suppressed), pool.values, pool.relations, keys, self.rounds, self.extra)

    def _touch(self, keys: Iterable[Key]) -> None:
        """Newly suppressed ``keys``: the tables holding one, or taking a known sum over one, are protected
        again (the others would get the same input and give the same result; 31,000 → 9,000 table visits)."""
        for key in keys:
            self.dirty.update(self.watchers.get(key, ()))


Touching = list[tuple[tuple[tuple[int, int, int], ...], list[Key]]]  # (signed cells inside, keys outside)


def _touching_all(
    positions: list[dict[Key, tuple[int, int]]], relations: list[tuple[Key, list[Key]]]
) -> list[Touching]:
    """Per table: the relations with members both in this table and elsewhere (in relation order). Only the
    tables holding a member of a relation are visited (an index key → tables), not every table."""
    holders: dict[Key, list[int]] = {}
    for index, table_positions in enumerate(positions):
        for key in table_positions:
            holders.setdefault(key, []).append(index)
    result: list[Touching] = [[] for _ in positions]
    for parent, children in relations:
        members = [(parent, -1), *((child, 1) for child in children)]
        tables = sorted({index for key, _sign in members for index in holders.get(key, ())})
        for index in tables:
            table_positions = positions[index]
            inside = tuple((*table_positions[key], sign) for key, sign in members if key in table_positions)
            if len(inside) >= 2 and len(inside) < len(members):  # one member alone: ``_line`` handles it
                result[index].append((inside, [key for key, _sign in members if key not in table_positions]))
    return result


def _known_sums(
    table: TableInstance, touching: Touching, suppressed: set[Key]
) -> tuple[tuple[tuple[int, int, int], ...], ...]:
    """Signed sums of this table's cells that follow from a relation whose other members are all published
    (only those involving a suppressed cell of the table matter)."""
    known = set()
    for inside, outside in touching:
        if any(key in suppressed for key in outside):
            continue
        if any(table.keys[i][j] in suppressed for i, j, _sign in inside):
            known.add(inside)
    return tuple(sorted(known))


def _area_relations(
    pool: _Pool, by_area: Mapping[str, list[TableInstance]], kreis: str, parents: Mapping[str, str] | None
) -> None:
    """Kreis = Σ Gemeinden, Gemeinde = Σ Planungsräume (only where the Planungsräume cover the Gemeinde)."""
    children_of: dict[str, list[str]] = {}
    for area in by_area:
        if area == kreis:
            continue
        parent = (parents or {}).get(area) or (area.split(":")[0] if ":" in area else kreis)
        children_of.setdefault(parent, []).append(area)
    attrs_of: dict[str, set[Attrs]] = {}
    for area, attrs in pool.values:
        attrs_of.setdefault(area, set()).add(attrs)
    for parent, children in children_of.items():
        if parent not in by_area:
            continue
        if sum(pool.values.get((c, frozenset()), 0) for c in children) != pool.values.get((parent, frozenset())):
            continue  # persons without a Planungsraum: no exact relation
        attrs_sets = attrs_of.get(parent, set())
        for attrs in sorted(attrs_sets, key=lambda attrs: order((parent, attrs))):
            child_keys = [(c, attrs) for c in children]
            pool.relate((parent, attrs), child_keys)


def _line(parent: Key, children: list[Key], suppressed: set[Key], values: Mapping[Key, int]) -> list[Key]:
    """Never exactly one suppressed member in an additive relation: suppress the smallest positive child
    (or, if none is left, the parent). Returns what it suppressed."""
    members = [parent, *children]
    if sum(1 for m in members if m in suppressed) != 1:
        return []
    open_children = [c for c in children if c not in suppressed]
    if open_children:
        chosen = min(open_children, key=lambda c: (values[c] == 0, values[c]))
    elif parent not in suppressed:
        chosen = parent
    else:
        return []
    suppressed.add(chosen)
    return [chosen]


def suppressed_extra(decision: Decision) -> set[tuple[str, str]]:
    """(name, area) of the extra keys (indicator inputs) that are suppressed."""
    return {(name, key[0]) for name, keys in decision.extra.items() for key in keys if key in decision.suppressed}


def relation_members(decision: Decision) -> Iterable[Key]:
    for parent, children in decision.relations:
        yield parent
        yield from children
