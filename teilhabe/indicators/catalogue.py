"""The indicator catalogue as data: load ``catalogue.yaml``, validate it, return typed definitions.

Validation errors are German, name the indicator id and carry a stable code, so a district statistician
editing the YAML sees exactly which entry is wrong. Django-free apart from the translation marker.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CATALOGUE_PATH = Path(__file__).resolve().parent / "catalogue.yaml"

# IntMK themes A–I (Länder integration monitoring).
THEMES: dict[str, str] = {
    "A": "Demografie und Bevölkerung",
    "B": "Rechtliche Integration",
    "C": "Frühkindliche Bildung und Sprache",
    "D": "Bildung",
    "E": "Arbeitsmarkt und Lebensunterhalt",
    "F": "Gesundheit",
    "G": "Wohnen",
    "H": "Kriminalität und Sicherheit",
    "I": "Interkulturelle Öffnung und Teilhabe",
}

# Which definition of "Migrationshintergrund" (or proxy) a value rests on; stored with every indicator.
MIGRATION_DEFINITIONS: dict[str, str] = {
    "staatsangehoerigkeit": "Staatsangehörigkeit (Ausländer/Deutsche)",
    "migrapro": "Migrationshintergrund nach MigraPro (Melderegister)",
    "zensus_eingewanderte": "Eingewanderte (Zensus 2022: Geburtsstaat Ausland)",
    "mikrozensus": "Mikrozensus (Person oder ein Elternteil nicht durch Geburt deutsch)",
    "kjh_herkunft": "Kita-Statistik (mindestens ein Elternteil ausländischer Herkunft)",
    "familiensprache": "Vorrangig nichtdeutsche Familiensprache",
    "aufenthaltsstatus": "Aufenthaltsrechtlicher Status",
    "selbstauskunft": "Selbstauskunft in einer Befragung",
    "keine": "Kein Migrationsmerkmal",
}

KINDS = ("rate", "count", "dissimilarity", "magnitude")
DISAGGREGATION_CODES = ("S", "A", "N", "G")
DISAGGREGATION_VALUES = ("ja", "eingeschraenkt", "nein")
PROVIDERS = ("register", "agency", "zensus", "survey", "case_management")
LEVELS = ("gemeinde", "kreis", "planungsraum")
DISCLOSURE_METHODS = ("suppress", "round")


class CatalogueError(ValueError):
    """All problems found in one pass, each as (indicator id, code, German message)."""

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{ident} [{code}]: {message}" for ident, code, message in problems))


@dataclass(frozen=True)
class Term:
    """A source key with a sign: ``-key`` in the YAML subtracts the key (e.g. arrivals − departures)."""

    key: str
    sign: int = 1

    @classmethod
    def parse(cls, text: str) -> Term:
        text = str(text).strip()
        return cls(text[1:], -1) if text.startswith("-") else cls(text, 1)

    def __str__(self) -> str:
        return ("-" if self.sign < 0 else "") + self.key


@dataclass(frozen=True)
class SourceKey:
    key: str
    label: str
    providers: tuple[str, ...]
    levels: tuple[str, ...]
    kind: str = "count"  # "count" (additive) or "magnitude" (not additive)


@dataclass(frozen=True)
class Category:
    code: str
    name_de: str
    name_en: str
    numerator: tuple[Term, ...]
    denominator: tuple[Term, ...]


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    name_de: str
    name_en: str
    theme: str
    kind: str
    unit: str
    multiplier: float
    definition: str
    sources: tuple[str, ...]
    disaggregations: dict[str, str]
    migration_definition: str
    anchor: str
    caveats: str
    categories: tuple[Category, ...]  # always ≥ 1; a plain indicator has one category with code ""
    denominator_lag: int = 0
    disclosure_method: str = "suppress"
    min_count: int | None = None  # None: settings.DISCLOSURE_MIN_COUNT
    rounding_base: int = 5
    kreis_from_gemeinden: bool = True
    categories_additive: bool = True
    value_key: str = ""
    count_key: str = ""
    references: tuple[tuple[str, str], ...] = ()

    @property
    def keys(self) -> set[str]:
        keys = {t.key for c in self.categories for t in (*c.numerator, *c.denominator)}
        return keys | {k for k in (self.value_key, self.count_key) if k}


@dataclass
class Catalogue:
    data_sources: dict[str, str]
    source_keys: dict[str, SourceKey]
    indicators: dict[str, IndicatorDef] = field(default_factory=dict)


def _terms(raw: Any) -> tuple[Term, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    return tuple(Term.parse(item) for item in raw)


SOURCE_KEY_FIELDS = {"label", "providers", "levels", "kind"}


def parse_catalogue(data: Any) -> Catalogue:
    """Validate the parsed YAML; raise ``CatalogueError`` listing every problem."""
    problems: list[tuple[str, str, str]] = []

    def fail(ident: str, code: str, message: str) -> None:
        problems.append((ident, code, message))

    if not isinstance(data, dict):
        raise CatalogueError([("Katalog", "format", "Die Datei muss ein YAML-Objekt enthalten.")])
    data_sources = {str(k): str(v) for k, v in (data.get("data_sources") or {}).items()}
    source_keys: dict[str, SourceKey] = {}
    for key, spec in (data.get("source_keys") or {}).items():
        if not isinstance(spec, dict) or not spec.get("label"):
            fail(str(key), "source_key_label", "Quellschlüssel braucht eine Bezeichnung (label).")
            continue
        unknown = set(spec) - SOURCE_KEY_FIELDS
        if unknown:
            # A comma inside an unquoted flow-mapping label splits it into extra keys (the label is cut off).
            fail(
                str(key),
                "source_key_fields",
                f"Unbekannte Felder {', '.join(sorted(map(str, unknown)))} – Bezeichnung mit Komma in Anführungszeichen setzen.",
            )
        providers = tuple(spec.get("providers") or ())
        for provider in providers:
            if provider not in PROVIDERS:
                fail(
                    str(key),
                    "source_key_provider",
                    f"Unbekannte Quelle „{provider}“ (erlaubt: {', '.join(PROVIDERS)}).",
                )
        levels = tuple(spec.get("levels") or ("gemeinde", "kreis"))
        for level in levels:
            if level not in LEVELS:
                fail(str(key), "source_key_level", f"Unbekannte Ebene „{level}“.")
        source_keys[str(key)] = SourceKey(
            str(key), str(spec["label"]), providers, levels, str(spec.get("kind", "count"))
        )

    seen_labels: dict[str, str] = {}
    for key, source_key in source_keys.items():
        if source_key.label in seen_labels:
            fail(
                key,
                "source_key_label_duplicate",
                f"Bezeichnung „{source_key.label}“ auch bei {seen_labels[source_key.label]}.",
            )
        seen_labels.setdefault(source_key.label, key)
    catalogue = Catalogue(data_sources=data_sources, source_keys=source_keys)
    raw_indicators = data.get("indicators")
    if not isinstance(raw_indicators, list) or not raw_indicators:
        fail("Katalog", "indicators_missing", "Die Liste „indicators“ fehlt oder ist leer.")
        raise CatalogueError(problems)

    for index, raw in enumerate(raw_indicators, start=1):
        ident = str(raw.get("id", "")) if isinstance(raw, dict) else ""
        if not ident:
            fail(f"Eintrag {index}", "id_missing", "Die Kennung (id) fehlt.")
            continue
        before = len(problems)
        if ident in catalogue.indicators:
            fail(ident, "id_duplicate", "Die Kennung kommt mehrfach vor.")
        for required in (
            "name",
            "theme",
            "kind",
            "unit",
            "definition",
            "sources",
            "disaggregations",
            "migration_definition",
            "anchor",
            "caveats",
        ):
            if not raw.get(required):
                fail(ident, "field_missing", f"Pflichtfeld „{required}“ fehlt.")
        if len(problems) > before:
            continue
        name = raw["name"]
        if not isinstance(name, dict) or not name.get("de") or not name.get("en"):
            fail(
                ident,
                "name_languages",
                "Der Name braucht eine deutsche (de) und eine englische (en) Fassung.",
            )
            continue
        theme = str(raw["theme"])
        if theme not in THEMES:
            fail(ident, "theme_unknown", f"Handlungsfeld „{theme}“ unbekannt (erlaubt: A–I).")
        kind = str(raw["kind"])
        if kind not in KINDS:
            fail(ident, "kind_unknown", f"Art „{kind}“ unbekannt (erlaubt: {', '.join(KINDS)}).")
        for source in raw["sources"]:
            if source not in data_sources:
                fail(
                    ident,
                    "source_unknown",
                    f"Datenquelle „{source}“ ist nicht unter data_sources beschrieben.",
                )
        disaggregations = raw["disaggregations"]
        if not isinstance(disaggregations, dict) or set(disaggregations) != set(DISAGGREGATION_CODES):
            fail(ident, "disaggregations", "Aufgliederungen brauchen genau die Schlüssel S, A, N und G.")
        elif any(v not in DISAGGREGATION_VALUES for v in disaggregations.values()):
            fail(ident, "disaggregations", "Aufgliederungen: erlaubt sind ja, eingeschraenkt, nein.")
        if raw["migration_definition"] not in MIGRATION_DEFINITIONS:
            fail(ident, "migration_definition", f"Definition „{raw['migration_definition']}“ unbekannt.")

        numerator = _terms(raw.get("numerator"))
        denominator = _terms(raw.get("denominator"))
        categories: list[Category] = []
        for cat in raw.get("categories") or ():
            cat_name = cat.get("name") or {}
            if not cat.get("code") or not cat_name.get("de") or not cat_name.get("en"):
                fail(ident, "category_incomplete", "Jede Kategorie braucht code und Namen (de, en).")
                continue
            categories.append(
                Category(
                    str(cat["code"]),
                    cat_name["de"],
                    cat_name["en"],
                    _terms(cat.get("numerator")) or numerator,
                    _terms(cat.get("denominator")) or denominator,
                )
            )
        if not categories:
            categories.append(Category("", name["de"], name["en"], numerator, denominator))

        value_key = str(raw.get("value_key") or "")
        count_key = str(raw.get("count_key") or "")
        if kind == "magnitude":
            if not value_key or not count_key:
                fail(ident, "magnitude_keys", "Größenwerte brauchen value_key und count_key.")
        else:
            for cat in categories:
                if not cat.numerator:
                    fail(
                        ident,
                        "numerator_missing",
                        f"Zähler fehlt{f' (Kategorie {cat.code})' if cat.code else ''}.",
                    )
                if kind in ("rate", "dissimilarity") and not cat.denominator:
                    fail(
                        ident,
                        "denominator_missing",
                        f"Nenner fehlt{f' (Kategorie {cat.code})' if cat.code else ''}.",
                    )
        used = {t.key for c in categories for t in (*c.numerator, *c.denominator)}
        used |= {k for k in (value_key, count_key) if k}
        for key in sorted(used):
            if key not in source_keys:
                fail(
                    ident,
                    "source_key_unknown",
                    f"Quellschlüssel „{key}“ ist unter source_keys nicht definiert.",
                )

        disclosure = raw.get("disclosure") or {}
        method = str(disclosure.get("method", "suppress"))
        if method not in DISCLOSURE_METHODS:
            fail(
                ident,
                "disclosure_method",
                f"Geheimhaltungsverfahren „{method}“ unbekannt (suppress oder round).",
            )
        min_count = disclosure.get("min_count")
        if min_count is not None and (not isinstance(min_count, int) or min_count < 2):
            fail(ident, "disclosure_min_count", "min_count muss eine ganze Zahl ≥ 2 sein.")
        try:
            multiplier = float(raw.get("multiplier", 1))
        except (TypeError, ValueError):
            fail(ident, "multiplier", "multiplier muss eine Zahl sein.")
            multiplier = 1.0
        references = []
        for ref in raw.get("references") or ():
            if not isinstance(ref, dict) or not ref.get("source") or not ref.get("indicator"):
                fail(ident, "reference", "Referenzwerte brauchen source und indicator.")
                continue
            references.append((str(ref["source"]), str(ref["indicator"])))
        if len(problems) > before:
            continue
        catalogue.indicators[ident] = IndicatorDef(
            code=ident,
            name_de=name["de"],
            name_en=name["en"],
            theme=theme,
            kind=kind,
            unit=str(raw["unit"]),
            multiplier=multiplier,
            definition=str(raw["definition"]),
            sources=tuple(raw["sources"]),
            disaggregations=dict(disaggregations),
            migration_definition=str(raw["migration_definition"]),
            anchor=str(raw["anchor"]),
            caveats=str(raw["caveats"]),
            categories=tuple(categories),
            denominator_lag=int(raw.get("denominator_lag", 0)),
            disclosure_method=method,
            min_count=min_count,
            rounding_base=int(disclosure.get("base", 5)),
            kreis_from_gemeinden=bool(raw.get("kreis_from_gemeinden", True)),
            categories_additive=bool(raw.get("categories_additive", True)),
            value_key=value_key,
            count_key=count_key,
            references=tuple(references),
        )
    if problems:
        raise CatalogueError(problems)
    return catalogue


def load_catalogue_file(path: Path = CATALOGUE_PATH) -> Catalogue:
    with path.open(encoding="utf-8") as handle:
        try:
            data = yaml.safe_load(handle)
        except yaml.YAMLError as exc:
            raise CatalogueError([("Katalog", "yaml_syntax", f"YAML nicht lesbar: {exc}")]) from exc
    return parse_catalogue(data)


@functools.lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """The bundled catalogue, parsed once per process."""
    return load_catalogue_file()
