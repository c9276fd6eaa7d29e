"""Register source: the population-register statistics (app ``teilhabe.population``) as indicator inputs.

Reads the raw counts (``PopulationCount``) of committed register imports and maps their dimensions and
categories onto the catalogue's source keys. Counts are unprotected here; disclosure control happens on
publication in ``compute.protect_rows``. Keys the register statistics do not tabulate yet (second
nationality, marital status of foreign adults, migration background by age) simply stay with the
agency source.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterator

from django.conf import settings

from teilhabe.indicators.sources import Observation

FOREIGN_GROUPS = ("eu27", "europa", "ukraine", "asyl8", "sonstige")
GROUP_KEYS = {
    "eu27": "ew_auslaender_eu",
    "europa": "ew_auslaender_europa_dritt",
    "ukraine": "ew_auslaender_ukraine",
    "asyl8": "ew_auslaender_asyl8",
    "sonstige": "ew_auslaender_sonstige",
}
AGE_KEYS = {
    "ew_auslaender_alter_0_6": ("00-03", "03-06"),
    "ew_auslaender_alter_6_18": ("06-15", "15-18"),
    "ew_auslaender_alter_18_25": ("18-25",),
    "ew_auslaender_alter_25_65": ("25-65",),
    "ew_auslaender_alter_65plus": ("65+",),
    "ew_auslaender_15_65": ("15-18", "18-25", "25-65"),
    "ew_auslaender_18plus": ("18-25", "25-65", "65+"),
}
RELIGION_KEYS = {
    "ew_religion_evangelisch": ("ev",),
    "ew_religion_katholisch": ("rk",),
    "ew_religion_sonstige_oer": ("sonstige",),
    "ew_religion_keine": ("keine", "unbekannt"),
}


def _within(categories: tuple[str, ...]) -> Callable[[str], bool]:
    return lambda category: category in categories


def _foreign_in_bands(bands: tuple[str, ...]) -> Callable[[str], bool]:
    # Categories of "alter_staatsangehoerigkeit" are "<age band>|<nationality group>".
    return lambda category: category.split("|")[0] in bands and category.split("|")[-1] != "deutsch"


def _rules() -> dict[str, tuple[str, Callable[[str], bool]]]:
    """source key → (dimension, which categories to sum)."""
    rules: dict[str, tuple[str, Callable[[str], bool]]] = {
        "ew_gesamt": ("bevoelkerung", lambda c: True),
        "ew_auslaender": ("staatsangehoerigkeitsgruppe", lambda c: c != "deutsch"),
        "ew_migrationshintergrund": ("migrationshintergrund", lambda c: c != "ohne"),
        "ew_geburtsland_ausland": ("eingewandert", lambda c: c == "ja"),
    }
    for group, key in GROUP_KEYS.items():
        rules[key] = ("staatsangehoerigkeitsgruppe", _within((group,)))
    for key, bands in AGE_KEYS.items():
        rules[key] = ("alter_staatsangehoerigkeit", _foreign_in_bands(bands))
    for key, categories in RELIGION_KEYS.items():
        rules[key] = ("religion", _within(categories))
    return rules


def input_attributes() -> dict[str, dict[str, frozenset[str]]]:
    """Every register source key as the person attributes it counts (``teilhabe.population.joint``), so the
    joint disclosure decision treats an indicator input and a table cell of the same persons as one count."""
    foreign = frozenset(FOREIGN_GROUPS)
    attributes: dict[str, dict[str, frozenset[str]]] = {
        "ew_gesamt": {},
        "ew_auslaender": {"nat": foreign},
        "ew_migrationshintergrund": {"mh": frozenset({"auslaender", "deutsch_eigen", "deutsch_eltern"})},
        "ew_geburtsland_ausland": {"born": frozenset({"ja"})},
    }
    for group, key in GROUP_KEYS.items():
        attributes[key] = {"nat": frozenset({group})}
    for key, bands in AGE_KEYS.items():
        attributes[key] = {"age": frozenset(bands), "nat": foreign}
    for key, categories in RELIGION_KEYS.items():
        attributes[key] = {"rel": frozenset(categories)}
    return attributes


class RegisterSource:
    name = "register"
    priority = 30

    def suppressed(self, years: Collection[int]) -> set[tuple[str, str, str, int]]:
        """(key, level, region, year) of register inputs the joint decision of their Stichtag suppressed."""
        from teilhabe.population.models import RegisterImport

        result: set[tuple[str, str, str, int]] = set()
        imports = RegisterImport.objects.filter(status=RegisterImport.Status.COMMITTED, stichtag__year__in=list(years))
        for stichtag, disclosure in imports.values_list("stichtag", "disclosure"):
            for key, level, region in (disclosure or {}).get("suppressed_inputs", []):
                result.add((key, level, region.replace(":", "/"), stichtag.year))
        return result

    def observations(
        self, *, keys: Collection[str], years: Collection[int] | None, regions: Collection[str] | None
    ) -> Iterator[Observation]:
        from teilhabe.population.models import PopulationCount, RegisterImport

        rules = {k: v for k, v in _rules().items() if k in keys}
        if not rules:
            return
        dimensions = {dimension for dimension, _test in rules.values()}
        rows = PopulationCount.objects.filter(
            register_import__status=RegisterImport.Status.COMMITTED, dimension__in=dimensions
        )
        if years is not None:
            rows = rows.filter(stichtag__year__in=list(years))
        synthetic_files: dict[str, bool] = {}
        totals: dict[tuple[str, str, str, int], float] = defaultdict(float)
        synthetic: dict[tuple[str, str, str, int], bool] = {}
        for import_id, stichtag, level, area, dimension, category, male, female, other in rows.values_list(
            "register_import_id", "stichtag", "level", "area", "dimension", "category", "male", "female", "other"
        ).iterator(chunk_size=5000):
            region = area.replace(":", "/")  # Planungsraum: "AGS/code" as in IndicatorValue.region
            if regions is not None and region not in regions and region[:8] not in regions:
                continue
            key_import = str(import_id)
            if key_import not in synthetic_files:
                name = RegisterImport.objects.filter(pk=import_id).values_list("original_filename", flat=True).first()
                # Demo installations hold only synthetic extracts; uploads named so are marked too.
                synthetic_files[key_import] = bool(settings.DEMO or (name or "").startswith("synthetisch"))
            for key, (rule_dimension, test) in rules.items():
                if dimension == rule_dimension and test(category):
                    cell = (key, level, region, stichtag.year)
                    totals[cell] += male + female + other
                    synthetic[cell] = synthetic.get(cell, False) or synthetic_files[key_import]
        for (key, level, region, year), value in totals.items():
            yield Observation(key, level, region, year, value, self.name, synthetic[(key, level, region, year)])
