"""Synthetic register extracts for any real Kreis (no real register data ever enters the repository).

Calibrated per Gemeinde to the Gemeindeverzeichnis population and sex split and to the Zensus 2022
shares of foreigners (exactly, up to rounding) and of people with migration background (approximately:
the register rule is not the census concept). Families link parents and minors, so the minors rule of the
derivation matters; move-in dates and origins form plausible histories. Vectorised with numpy and
seeded, so the same seed gives the same file. Django-free: ``specs_from_files`` reads the bundled data.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from teilhabe.population import codes

COLUMNS = [
    "ordnungsmerkmal",
    "ags",
    "planungsraum",
    "wohnungsstatus",
    "geburtsdatum",
    "geschlecht",
    "staatsangehoerigkeit_1",
    "staatsangehoerigkeit_2",
    "staatsangehoerigkeit_3",
    "art_deutsche_staatsangehoerigkeit",
    "geburtsstaat",
    "zuzug_datum",
    "zuzug_herkunft_staat",
    "familienstand",
    "religion",
    "elternteil_1",
    "elternteil_2",
]
# Origins of Germans with own migration background (naturalised, Spätaussiedler), rough weights.
GERMAN_MH_ORIGINS = {
    "163": 20,
    "160": 12,
    "444": 10,
    "152": 14,
    "154": 6,
    "475": 6,
    "122": 4,
    "138": 5,
    "137": 4,
    "439": 3,
    "423": 3,
    "166": 3,
    "134": 3,
    "159": 4,
    "432": 3,
}
SPAETAUSSIEDLER_ORIGINS = {"160", "444", "152", "154", "159"}
ERROR_KINDS = ["date", "future", "state", "missing", "ags", "sex", "art", "zuzug", "duplicate"]
UNKNOWN_STATE = "777"  # not in the Destatis list


@dataclass(frozen=True)
class GemeindeSpec:
    ags: str
    population: int
    male: int
    share_foreign: float  # percent, Zensus 2022
    share_migration_bg: float  # percent, Zensus 2022
    east: bool = False  # religion shares differ strongly between the old and the new Länder


def specs_from_files(kreis_ags: str) -> list[GemeindeSpec]:
    gemeinden = codes.DATA_DIR / "gemeindeverzeichnis" / "gemeinden.csv"
    zensus_path = codes.DATA_DIR / "zensus2022" / "gemeinden_zensus2022.csv"
    zensus: dict[str, tuple[float, float]] = {}
    with zensus_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["kreis_ags"] == kreis_ags:
                zensus[row["ags"]] = (_percent(row["share_foreign"]), _percent(row["share_migration_bg"]))
    specs = []
    with gemeinden.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["kreis_ags"] != kreis_ags or row["ist_gemeinde"] != "True" or not row["bevoelkerung"]:
                continue
            foreign, migration = zensus.get(row["ags"], (0.0, 0.0))
            specs.append(
                GemeindeSpec(
                    row["ags"],
                    int(row["bevoelkerung"]),
                    int(row["maennlich"] or 0),
                    foreign,
                    migration,
                    row["land_code"] >= "11",
                )
            )
    return specs


def specs_from_db(kreis_ags: str) -> list[GemeindeSpec]:
    """Specs from the loaded regions (Gemeindeverzeichnis in ``regions.Gemeinde``, Zensus 2022 shares in
    ``regions.ReferenceValue``); falls back to the bundled files when the Kreis is not loaded."""
    from teilhabe.regions.models import Gemeinde, ReferenceValue

    gemeinden = list(Gemeinde.objects.filter(kreis_id=kreis_ags, is_gemeinde=True, population__gt=0))
    if not gemeinden:
        return specs_from_files(kreis_ags)
    shares = {
        (ags, indicator): value
        for ags, indicator, value in ReferenceValue.objects.filter(
            source="zensus2022",
            level="gemeinde",
            ags__in=[g.ags for g in gemeinden],
            indicator__in=["share_foreign", "share_migration_bg"],
        ).values_list("ags", "indicator", "value")
    }
    return [
        GemeindeSpec(
            g.ags,
            g.population or 0,
            g.population_male or 0,
            shares.get((g.ags, "share_foreign"), 0.0),
            shares.get((g.ags, "share_migration_bg"), 0.0),
            g.land_id >= "11",
        )
        for g in gemeinden
    ]


def _percent(value: str) -> float:
    return float(value) if value not in ("", "NA") else 0.0


def _choice(rng: np.random.Generator, mapping: Mapping[str, float] | list[tuple[str, int]], size: int) -> np.ndarray:
    items: list[tuple[str, float]] = (
        [(k, float(v)) for k, v in mapping.items()]
        if isinstance(mapping, Mapping)
        else [(k, float(v)) for k, v in mapping]
    )
    keys = np.array([k for k, _v in items])
    weights = np.array([v for _k, v in items], dtype=float)
    return keys[rng.choice(len(keys), size=size, p=weights / weights.sum())]


def _adult_ages(rng: np.random.Generator, size: int) -> np.ndarray:
    # Piecewise-uniform age distribution of adults, loosely after the German age structure.
    bands = np.array([[18, 25, 8], [25, 40, 20], [40, 55, 22], [55, 67, 22], [67, 80, 18], [80, 100, 10]], float)
    pick = rng.choice(len(bands), size=size, p=bands[:, 2] / bands[:, 2].sum())
    return bands[pick, 0] + rng.random(size) * (bands[pick, 1] - bands[pick, 0])


class _Builder:
    """Column arrays of one Gemeinde; every person is appended as part of a vectorised block."""

    def __init__(self) -> None:
        self.parts: dict[str, list[np.ndarray]] = {name: [] for name in [*COLUMNS, "age", "moved_years", "foreign"]}

    def add(self, **columns: np.ndarray) -> None:
        size = len(columns["age"])
        for name, parts in self.parts.items():
            parts.append(columns.get(name, np.full(size, "", dtype=object)))

    def column(self, name: str) -> np.ndarray:
        return np.concatenate(self.parts[name]) if self.parts[name] else np.array([], dtype=object)


def synthesise(specs: list[GemeindeSpec], stichtag: date, *, seed: int = 1, error_rate: float = 0.0) -> pa.Table:
    """All rows of the extract as a table of strings (empty string = no value), in CSV column order."""
    rng = np.random.default_rng(seed)
    foreign_mix = [(code, count) for code, count in codes.national_foreign_mix() if code != codes.GERMAN]
    names = [*COLUMNS, "age", "moved_years"]
    columns: dict[str, list[np.ndarray]] = {name: [] for name in names}
    offset = 0
    for spec in specs:
        block = _gemeinde(rng, spec, foreign_mix, offset)
        offset += len(block["ags"])
        for name in names:
            columns[name].append(block[name])
    data = {name: np.concatenate(parts) if parts else np.array([], dtype=object) for name, parts in columns.items()}
    _dates(data, stichtag, rng)
    if error_rate > 0:
        _inject_errors(data, rng, error_rate, stichtag)
    return pa.table({name: pa.array(data[name].astype(str), type=pa.string()) for name in COLUMNS})


def _gemeinde(
    rng: np.random.Generator, spec: GemeindeSpec, foreign_mix: list[tuple[str, int]], offset: int
) -> dict[str, np.ndarray]:
    n = spec.population
    f, m = spec.share_foreign / 100, max(spec.share_migration_bg, spec.share_foreign) / 100
    # Families with minors: about 16.5 % of residents are minors, 1.76 children per family.
    n_fam = max(0, round(n * 0.165 / 1.76))
    kids_per = rng.choice([1, 2, 3, 4], size=n_fam, p=[0.45, 0.38, 0.13, 0.04])
    two_parents = rng.random(n_fam) < 0.78
    # Budget: families must not exceed the population of tiny Gemeinden.
    while n_fam and (kids_per.sum() + n_fam + two_parents.sum()) > n * 0.6:
        n_fam -= 1
        kids_per, two_parents = kids_per[:n_fam], two_parents[:n_fam]
    kind = rng.choice(4, size=n_fam, p=_family_kinds(f, m))  # 0 foreign, 1 German MH, 2 mixed, 3 none
    kind[(kind == 2) & ~two_parents] = 0
    origin = np.where(kind == 1, _choice(rng, GERMAN_MH_ORIGINS, n_fam), _choice(rng, foreign_mix, n_fam))
    moved = rng.exponential(8.0, n_fam)  # years since the family moved into the Gemeinde
    n_pr = min(20, n // 4000 + 1) if n >= 5000 else 0
    fam_pr = rng.integers(1, n_pr + 1, n_fam) if n_pr else np.zeros(n_fam, int)

    oldest = rng.random(n_fam) * 18
    mother_age = oldest + 22 + rng.random(n_fam) * 16
    father_age = mother_age + rng.normal(2.5, 3, n_fam).clip(-5, 15)

    b = _Builder()
    # Mothers (or the single parent), then fathers / second parents.
    mothers = np.arange(n_fam)
    single_father = ~two_parents & (rng.random(n_fam) < 0.15)
    fathers = np.flatnonzero(two_parents)
    father_idx = offset + n_fam + np.arange(len(fathers))
    p1_sex = np.where(single_father, "m", "w")
    _add_adults(
        b,
        rng,
        spec,
        kind[mothers],
        origin[mothers],
        mother_age,
        moved,
        fam_pr,
        p1_sex,
        np.where(two_parents, "VH", "GS"),
        role="mother",
    )
    _add_adults(
        b,
        rng,
        spec,
        kind[fathers],
        origin[fathers],
        father_age[fathers],
        moved[fathers],
        fam_pr[fathers],
        np.full(len(fathers), "m"),
        np.full(len(fathers), "VH"),
        role="father",
    )
    # Children: the i-th child is 0–4 years younger than the previous one.
    fam_of_kid = np.repeat(np.arange(n_fam), kids_per)
    order = np.concatenate([np.arange(k) for k in kids_per]) if n_fam else np.array([], int)
    kid_age = (oldest[fam_of_kid] - order * (1 + rng.random(len(fam_of_kid)) * 3)).clip(0.01, 17.99)
    second = np.full(n_fam, "", dtype=object)
    second[fathers] = father_idx
    kid_n = len(fam_of_kid)
    kk = kind[fam_of_kid]
    ko = origin[fam_of_kid]
    born_before_move = kid_age > moved[fam_of_kid]
    sa1 = np.where(kk == 0, ko, "000").astype(object)
    sa2 = np.full(kid_n, "", dtype=object)
    art = np.where(kk == 0, "", "G").astype(object)
    born = np.where(born_before_move & (kk == 0), ko, "000").astype(object)
    ius_soli = (kk == 0) & ~born_before_move & (rng.random(kid_n) < 0.35)
    sa1[ius_soli], sa2[ius_soli], art[ius_soli] = "000", ko[ius_soli], "O"
    dual = ((kk == 2) & (rng.random(kid_n) < 0.4)) | ((kk == 1) & (rng.random(kid_n) < 0.15))
    sa2[dual] = ko[dual]
    kid_moved = np.where(born_before_move, moved[fam_of_kid], -1.0)
    herkunft = np.where(born_before_move & (kk == 0), ko, "").astype(object)
    b.add(
        age=kid_age,
        moved_years=kid_moved,
        staatsangehoerigkeit_1=sa1,
        staatsangehoerigkeit_2=sa2,
        art_deutsche_staatsangehoerigkeit=art,
        geburtsstaat=born,
        zuzug_herkunft_staat=herkunft,
        geschlecht=np.where(rng.random(kid_n) < 0.513, "m", "w").astype(object),
        familienstand=np.full(kid_n, "LD", dtype=object),
        elternteil_1=(offset + fam_of_kid).astype(object),
        elternteil_2=second[fam_of_kid],
        planungsraum=fam_pr[fam_of_kid],
        foreign=(sa1 != "000"),
    )
    # Everyone else: adults without linked minors, calibrated to the foreign share and the sex split.
    sizes = [len(p) for p in b.parts["age"]]
    n_family = sum(sizes)
    n_rest = max(0, n - n_family)
    foreign_so_far = int(sum(p.sum() for p in b.parts["foreign"]))
    # Persons with MH in families: all members of foreign and German-MH families, in mixed families the
    # foreign mother and the children (the father is German without MH).
    with_mh = np.isin(kind, [0, 1, 2])
    mh_so_far = int((kids_per[with_mh]).sum() + with_mh.sum() + (two_parents & np.isin(kind, [0, 1])).sum())
    need_foreign = int(np.clip(round(n * f) - foreign_so_far, 0, n_rest))
    need_mh = int(np.clip(round(n * m) - mh_so_far - need_foreign, 0, n_rest - need_foreign))
    rest_kind = np.full(n_rest, 3)
    perm = rng.permutation(n_rest)
    rest_kind[perm[:need_foreign]] = 0
    rest_kind[perm[need_foreign : need_foreign + need_mh]] = 1
    rest_origin = np.where(rest_kind == 1, _choice(rng, GERMAN_MH_ORIGINS, n_rest), _choice(rng, foreign_mix, n_rest))
    rest_age = _adult_ages(rng, n_rest)
    males_so_far = int(sum((p == "m").sum() for p in b.parts["geschlecht"]))
    need_male = int(np.clip(spec.male - males_so_far, 0, n_rest))
    rest_sex = np.full(n_rest, "w", dtype=object)
    rest_sex[rng.permutation(n_rest)[:need_male]] = "m"
    status = _marital(rng, rest_age)
    rest_pr = rng.integers(1, n_pr + 1, n_rest) if n_pr else np.zeros(n_rest, int)
    _add_adults(
        b,
        rng,
        spec,
        rest_kind,
        rest_origin,
        rest_age,
        rng.exponential(12.0, n_rest),
        rest_pr,
        rest_sex,
        status,
        role="single",
    )
    block = {name: b.column(name) for name in [*COLUMNS, "age", "moved_years"]}
    total = len(block["age"])
    # Persons are written in index order: mothers, fathers, children, others (ids were assigned that way).
    block["ordnungsmerkmal"] = np.arange(offset, offset + total)
    block["ags"] = np.full(total, spec.ags, dtype=object)
    block["wohnungsstatus"] = np.where(rng.random(total) < 0.93, "A", "H").astype(object)
    block["religion"] = _religion(rng, spec, block["staatsangehoerigkeit_1"])
    rare = rng.random(total) < 0.0004
    block["geschlecht"] = block["geschlecht"].astype(object)
    block["geschlecht"][rare] = np.where(rng.random(int(rare.sum())) < 0.5, "d", "x")
    block["planungsraum"] = np.array([f"{int(p):02d}" if int(p) else "" for p in block["planungsraum"]], dtype=object)
    return block


def _family_kinds(f: float, m: float) -> list[float]:
    foreign = 0.8 * f
    german_mh = max(0.0, m - f) * 0.45
    mixed = min(0.05, f * 0.3)
    rest = max(0.0, 1 - foreign - german_mh - mixed)
    total = foreign + german_mh + mixed + rest
    return [foreign / total, german_mh / total, mixed / total, rest / total]


def _marital(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    r = rng.random(len(age))
    young = np.where(r < 0.9, "LD", "VH")
    middle = np.select([r < 0.36, r < 0.8, r < 0.97], ["LD", "VH", "GS"], "VW")
    old = np.select([r < 0.1, r < 0.6, r < 0.7], ["LD", "VH", "GS"], "VW")
    result = np.where(age < 30, young, np.where(age < 65, middle, old)).astype(object)
    special = rng.random(len(age))
    result[special < 0.003] = "LP"
    result[(special >= 0.003) & (special < 0.008)] = "NB"
    result[special > 0.995] = ""
    return result


def _religion(rng: np.random.Generator, spec: GemeindeSpec, sa1: np.ndarray) -> np.ndarray:
    german = sa1 == "000"
    r = rng.random(len(sa1))
    ev, rk = (0.15, 0.04) if spec.east else (0.28, 0.30)
    german_rel = np.select([r < ev, r < ev + rk, r < ev + rk + 0.01], ["ev", "rk", "sonstige"], "keine")
    foreign_rel = np.select([r < 0.03, r < 0.18, r < 0.23], ["ev", "rk", "sonstige"], "keine")
    return np.where(german, german_rel, foreign_rel).astype(object)


def _add_adults(
    b: _Builder,
    rng: np.random.Generator,
    spec: GemeindeSpec,
    kind: np.ndarray,
    origin: np.ndarray,
    age: np.ndarray,
    moved: np.ndarray,
    pr: np.ndarray,
    sex: np.ndarray,
    status: np.ndarray,
    *,
    role: str,
) -> None:
    size = len(kind)
    if role == "father":
        # In mixed families the foreign parent is the mother; the father is German without MH.
        kind = np.where(kind == 2, 3, kind)
    foreign = (kind == 0) | (kind == 2)
    german_mh = kind == 1
    born_abroad = (foreign & (rng.random(size) < 0.9)) | german_mh
    sa1 = np.where(foreign, origin, "000").astype(object)
    sa2 = np.where(german_mh & (rng.random(size) < 0.3), origin, "").astype(object)
    sa3 = np.full(size, "", dtype=object)
    spaet = german_mh & np.isin(origin, list(SPAETAUSSIEDLER_ORIGINS)) & (rng.random(size) < 0.6)
    art = np.where(foreign, "", np.where(spaet, "S", np.where(german_mh, "E", "G"))).astype(object)
    unknown_art = ~foreign & (rng.random(size) < 0.03)
    art[unknown_art] = ""
    born = np.where(born_abroad, origin, "000").astype(object)
    born[rng.random(size) < 0.01] = ""  # birth country missing, as often in real registers
    moved_years = np.minimum(moved, age - 0.01)
    from_abroad = born_abroad & (rng.random(size) < np.where(foreign, 0.7, 0.25))
    herkunft = np.where(from_abroad, origin, "").astype(object)
    # A quarter of the Germans without MH live in their Gemeinde since birth (no move-in date).
    since_birth = (kind == 3) & (rng.random(size) < 0.25)
    moved_years = np.where(since_birth, -1.0, moved_years)
    b.add(
        age=age,
        moved_years=moved_years,
        staatsangehoerigkeit_1=sa1,
        staatsangehoerigkeit_2=sa2,
        staatsangehoerigkeit_3=sa3,
        art_deutsche_staatsangehoerigkeit=art,
        geburtsstaat=born,
        zuzug_herkunft_staat=herkunft,
        geschlecht=sex.astype(object),
        familienstand=status.astype(object),
        planungsraum=pr,
        foreign=foreign,
        elternteil_1=np.full(size, "", dtype=object),
        elternteil_2=np.full(size, "", dtype=object),
    )


def _key(index: np.ndarray, seed: int) -> np.ndarray:
    """A bijective scramble of the running number: unique, stable per seed, not sequential."""
    scrambled = (index.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(seed * 7919)) % np.uint64(2**48)
    return np.array([f"{v:012x}" for v in scrambled.tolist()], dtype=object)


def _dates(data: dict[str, np.ndarray], stichtag: date, rng: np.random.Generator) -> None:
    age = data.pop("age").astype(float)
    moved = data.pop("moved_years").astype(float)
    end = np.datetime64(stichtag, "D")
    birth = end - np.ceil(age * 365.25).astype("timedelta64[D]")
    move = end - np.floor(np.maximum(moved, 0) * 365.25).astype("timedelta64[D]")
    move = np.maximum(move, birth)
    data["geburtsdatum"] = birth.astype(str).astype(object)
    zuzug = move.astype(str).astype(object)
    zuzug[moved < 0] = ""
    data["zuzug_datum"] = zuzug
    seed = int(rng.integers(1, 10_000))
    ids = data["ordnungsmerkmal"].astype(np.int64)
    data["ordnungsmerkmal"] = _key(ids, seed)
    for parent in ("elternteil_1", "elternteil_2"):
        values = data[parent]
        linked = values != ""
        keys = np.full(len(values), "", dtype=object)
        if linked.any():
            keys[linked] = _key(values[linked].astype(np.int64), seed)
        data[parent] = keys
    # About 1.5 % extra rows: secondary dwellings of people whose main dwelling is elsewhere.
    n = len(ids)
    extra = rng.choice(n, size=int(n * 0.015), replace=False) if n else np.array([], int)
    for name in list(data):
        data[name] = np.concatenate([data[name], data[name][extra]])
    status = data["wohnungsstatus"]
    status[n:] = "N"
    data["ordnungsmerkmal"][n:] = _key(np.arange(n, n + len(extra)) + 10**9, seed)
    data["elternteil_1"][n:] = ""
    data["elternteil_2"][n:] = ""


def _inject_errors(data: dict[str, np.ndarray], rng: np.random.Generator, rate: float, stichtag: date) -> None:
    n = len(data["ags"])
    count = min(n, max(1, round(n * rate)))
    rows = rng.choice(n, size=count, replace=False)
    kinds = rng.choice(len(ERROR_KINDS), size=count)
    future = (stichtag + timedelta(days=90)).isoformat()
    for row, kind_index in zip(rows.tolist(), kinds.tolist(), strict=True):
        kind = ERROR_KINDS[kind_index]
        if kind == "date":
            data["geburtsdatum"][row] = "31.02.1990" if row % 2 else "1990-13-01"
        elif kind == "future":
            data["geburtsdatum"][row] = future
        elif kind == "state":
            data["staatsangehoerigkeit_1"][row] = UNKNOWN_STATE
        elif kind == "missing":
            data["geschlecht" if row % 2 else "geburtsdatum"][row] = ""
        elif kind == "ags":
            data["ags"][row] = "99999999"
        elif kind == "sex":
            data["geschlecht"][row] = "q"
        elif kind == "art":
            data["staatsangehoerigkeit_1"][row] = "475"
            data["staatsangehoerigkeit_2"][row] = ""
            data["staatsangehoerigkeit_3"][row] = ""
            data["art_deutsche_staatsangehoerigkeit"][row] = "E"
        elif kind == "zuzug":
            data["zuzug_datum"][row] = future
        elif kind == "duplicate" and row > 0:
            data["ordnungsmerkmal"][row] = data["ordnungsmerkmal"][row - 1]
            data["wohnungsstatus"][row] = data["wohnungsstatus"][row - 1]


def write_csv(table: pa.Table, path: Path, *, delimiter: str = ";") -> None:
    pacsv.write_csv(table, str(path), write_options=pacsv.WriteOptions(delimiter=delimiter, quoting_style="needed"))
