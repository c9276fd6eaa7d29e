"""Read side of the monitoring: tables for dashboards, profiles, exports and the API.

Only published (disclosure-controlled) numbers leave this module; raw numerators never do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from teilhabe.indicators import i18n
from teilhabe.indicators.models import Indicator, IndicatorValue, Level, Suppression
from teilhabe.lib.collation import german_key
from teilhabe.lib.disclosure import SUPPRESSED_MARK
from teilhabe.regions.models import Gemeinde, Kreis, ReferenceIndicator, ReferenceValue


def suppression_text(reason: str, k: int) -> str:
    texts: dict[str, str] = {
        Suppression.PRIMARY: _("Weniger als %(k)s Personen: zum Schutz Einzelner nicht veröffentlicht.") % {"k": k},
        Suppression.SECONDARY: _(
            "Gesperrt, weil sich sonst ein geschützter Wert aus Summe und übrigen Werten errechnen ließe."
        ),
        Suppression.COMPLEMENT: _(
            "Gesperrt, weil die Gegenzahl (Nenner minus Zähler) weniger als %(k)s Personen umfasst."
        )
        % {"k": k},
        Suppression.DOMINANCE: _("Gesperrt nach der Dominanzregel: eine einzelne Einheit prägt den Wert."),
    }
    return texts.get(reason, "")


def format_number(value: float | None, digits: int = 1) -> str:
    """Number in the active language's format (German 1.234,5; English 1,234.5; Russian 1 234,5).

    A dash for missing values. Separators come from Django's locale formats (see ``i18n.separators``).
    """
    if value is None:
        return "–"
    decimal, thousands = i18n.separators()
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


@dataclass
class Cell:
    region: str
    name: str
    level: str
    year: int
    value: float | None
    numerator: float | None
    denominator: float | None
    suppression: str
    is_synthetic: bool
    explanation: str = ""
    interval: tuple[float, float] | None = None  # survey-based values: 95 % confidence interval

    @property
    def display(self) -> str:
        return SUPPRESSED_MARK if self.suppression else format_number(self.value)


def indicators_for(*, staff: bool, user: Any = None) -> QuerySet[Indicator]:
    qs = Indicator.objects.visible_to(user) if staff else Indicator.objects.published()
    return qs.order_by("theme", "code")


def kreis() -> Kreis | None:
    return Kreis.objects.filter(ags=settings.TEILHABE_KREIS).select_related("land").defer("geometry").first()


def gemeinde_names(kreis_obj: Kreis) -> dict[str, Gemeinde]:
    return {g.ags: g for g in Gemeinde.objects.filter(kreis=kreis_obj, is_gemeinde=True).defer("geometry")}


def _cell(row: IndicatorValue, names: dict[str, str], k: int) -> Cell:
    return Cell(
        row.region,
        names.get(row.region, row.region),
        row.level,
        row.year,
        row.published_value,
        row.published_numerator,
        row.published_denominator,
        row.suppression,
        row.is_synthetic,
        suppression_text(row.suppression, k),
        None if row.suppression else _interval(row.components),
    )


def _interval(components: dict[str, float]) -> tuple[float, float] | None:
    """The confidence interval a survey source delivered with the numerator (see ``sources.Observation``)."""
    low = next((v for k, v in components.items() if k.endswith(":ci95_low")), None)
    high = next((v for k, v in components.items() if k.endswith(":ci95_high")), None)
    return (low, high) if low is not None and high is not None else None


@dataclass
class IndicatorView:
    indicator: Indicator
    category: str
    category_name: str
    years: list[int]
    year: int | None
    kreis_series: list[Cell] = field(default_factory=list)
    ranking: list[Cell] = field(default_factory=list)
    kreis_cell: Cell | None = None
    references: list[dict[str, Any]] = field(default_factory=list)
    has_synthetic: bool = False
    suppression_notes: list[str] = field(default_factory=list)

    @property
    def theme_name(self) -> str:
        return i18n.theme_name(self.indicator.theme)

    @property
    def migration_definition_name(self) -> str:
        return i18n.migration_definition_name(self.indicator.migration_definition)


def indicator_view(
    indicator: Indicator, kreis_obj: Kreis, *, category: str | None = None, year: int | None = None
) -> IndicatorView:
    cats = indicator.category_list()
    codes = [c.code for c in cats]
    if category not in codes:
        category = codes[0] if codes else ""
    cat_name = i18n.category_name_by_code(indicator, category) or i18n.indicator_name(indicator)
    gemeinden = gemeinde_names(kreis_obj)
    names = {ags: g.name for ags, g in gemeinden.items()} | {kreis_obj.ags: kreis_obj.name}
    rows = list(
        IndicatorValue.objects.filter(indicator=indicator, category=category, level__in=[Level.GEMEINDE, Level.KREIS])
    )
    years = sorted({r.year for r in rows})
    if year not in years:
        year = years[-1] if years else None
    k = indicator.k
    view = IndicatorView(indicator, category, cat_name, years, year)
    view.kreis_series = [
        _cell(r, names, k)
        for r in sorted(rows, key=lambda r: r.year)
        if r.level == Level.KREIS and r.region == kreis_obj.ags
    ]
    view.kreis_cell = next((c for c in view.kreis_series if c.year == year), None)
    ranking = [
        _cell(r, names, k) for r in rows if r.level == Level.GEMEINDE and r.year == year and r.region in gemeinden
    ]
    ranking.sort(key=lambda c: (c.value is None, -(c.value or 0), german_key(c.name)))
    view.ranking = ranking
    view.has_synthetic = any(r.is_synthetic for r in rows)
    view.suppression_notes = sorted({c.explanation for c in [*ranking, *view.kreis_series] if c.explanation})
    view.references = reference_comparison(indicator, kreis_obj)
    return view


def reference_comparison(indicator: Indicator, kreis_obj: Kreis) -> list[dict[str, Any]]:
    """Official values: this Kreis, other Kreise of the same Land and Kreistyp, Germany where published."""
    result = []
    for source, ref_indicator in indicator.references:
        label = ReferenceIndicator.objects.filter(source=source, indicator=ref_indicator).first()
        values = ReferenceValue.objects.filter(source=source, indicator=ref_indicator, level=Level.KREIS)
        latest = values.filter(ags=kreis_obj.ags).order_by("-year").values_list("year", flat=True).first()
        if latest is None:
            continue
        peers = list(
            Kreis.objects.filter(land=kreis_obj.land, kreis_typ=kreis_obj.kreis_typ).values_list("ags", "name")
        )
        peer_values = dict(values.filter(year=latest, ags__in=[a for a, _n in peers]).values_list("ags", "value"))
        rows = [(name, peer_values[ags], ags == kreis_obj.ags) for ags, name in peers if ags in peer_values]
        rows.sort(key=lambda r: -r[1])
        bund = (
            ReferenceValue.objects.filter(source=source, indicator=ref_indicator, level="bund", year=latest)
            .values_list("value", flat=True)
            .first()
        )
        result.append(
            {
                "source": source,
                "indicator": ref_indicator,
                "year": latest,
                "label": i18n.reference_label(source, ref_indicator, label.label if label else ref_indicator),
                "unit": i18n.unit_label(label.unit if label else ""),
                "credit": label.credit if label else "",
                "rows": rows,
                "bund": bund,
                "kreis_typ": kreis_obj.kreis_typ,
                "land": kreis_obj.land.name,
            }
        )
    return result


@dataclass
class ProfileRow:
    indicator: Indicator
    category_name: str
    year: int
    gemeinde: Cell
    kreis: Cell | None


def gemeinde_profile(gemeinde: Gemeinde, indicators: QuerySet[Indicator]) -> list[ProfileRow]:
    kreis_ags = gemeinde.kreis_id or ""
    inds = {i.pk: i for i in indicators}
    rows = IndicatorValue.objects.filter(
        indicator_id__in=list(inds),
        region__in=[gemeinde.ags, kreis_ags],
        level__in=[Level.GEMEINDE, Level.KREIS],
    )
    latest: dict[tuple[int, str], int] = {}
    by_key: dict[tuple[int, str, str, int], IndicatorValue] = {}
    for row in rows:
        by_key[(row.indicator_id, row.category, row.level, row.year)] = row
        if row.level == Level.GEMEINDE:
            key = (row.indicator_id, row.category)
            latest[key] = max(latest.get(key, 0), row.year)
    names = {gemeinde.ags: gemeinde.name, kreis_ags: gemeinde.kreis.name if gemeinde.kreis else kreis_ags}
    result = []
    for (ind_id, category), year in latest.items():
        ind = inds[ind_id]
        cat_name = i18n.category_name_by_code(ind, category) or ""
        g_row = by_key[(ind_id, category, Level.GEMEINDE, year)]
        k_row = by_key.get((ind_id, category, Level.KREIS, year))
        result.append(
            ProfileRow(
                ind,
                cat_name if category else "",
                year,
                _cell(g_row, names, ind.k),
                _cell(k_row, names, ind.k) if k_row else None,
            )
        )
    result.sort(key=lambda r: (r.indicator.theme, r.indicator.code, r.category_name))
    return result


def planungsraum_values(gemeinde: Gemeinde, indicators: QuerySet[Indicator]) -> list[tuple[Indicator, str, Cell]]:
    """Latest values per Planungsraum of the Gemeinde (only where a source delivers that level)."""
    from teilhabe.regions.models import Planungsraum

    inds = {i.pk: i for i in indicators}
    rows = IndicatorValue.objects.filter(
        indicator_id__in=list(inds), level=Level.PLANUNGSRAUM, region__startswith=f"{gemeinde.ags}/"
    )
    latest: dict[tuple[int, str, str], IndicatorValue] = {}
    for row in rows:
        key = (row.indicator_id, row.category, row.region)
        if key not in latest or row.year > latest[key].year:
            latest[key] = row
    names = {
        f"{gemeinde.ags}/{code}": name
        for code, name in Planungsraum.objects.filter(gemeinde=gemeinde).values_list("code", "name")
    }
    result = []
    for (ind_id, category, region), row in sorted(latest.items()):
        ind = inds[ind_id]
        cat_name = i18n.category_name_by_code(ind, category) or ""
        cell = _cell(row, names, ind.k)
        if cell.name == region:
            cell.name = region.split("/", 1)[1]
        result.append((ind, cat_name, cell))
    return result


def overview(indicators: QuerySet[Indicator], kreis_obj: Kreis) -> list[tuple[Indicator, Cell | None]]:
    """Each indicator with the latest Kreis value of its first category."""
    latest: dict[int, IndicatorValue] = {}
    first_category = {i.pk: (i.categories[0].get("code", "") if i.categories else "") for i in indicators}
    for row in IndicatorValue.objects.filter(indicator__in=indicators, level=Level.KREIS, region=kreis_obj.ags):
        if row.category != first_category.get(row.indicator_id):
            continue
        if row.indicator_id not in latest or row.year > latest[row.indicator_id].year:
            latest[row.indicator_id] = row
    names = {kreis_obj.ags: kreis_obj.name}
    return [(i, _cell(latest[i.pk], names, i.k) if i.pk in latest else None) for i in indicators]


def export_rows_indicator(view: IndicatorView) -> tuple[list[str], list[list[Any]]]:
    header = [
        "Indikator",
        "Kategorie",
        "Ebene",
        "Gebiet",
        "AGS",
        "Jahr",
        "Wert",
        "Einheit",
        "Zähler",
        "Nenner",
        "Geheimhaltung",
        "Synthetisch",
    ]
    rows = []
    for cell in [*view.ranking, *view.kreis_series]:
        rows.append(
            [
                view.indicator.code,
                view.category_name if view.category else "",
                cell.level,
                cell.name,
                cell.region,
                cell.year,
                SUPPRESSED_MARK if cell.suppression else cell.value,
                view.indicator.unit,
                "" if cell.suppression else cell.numerator,
                "" if cell.suppression else cell.denominator,
                cell.explanation,
                "ja" if cell.is_synthetic else "nein",
            ]
        )
    return header, rows


def export_rows_profile(gemeinde: Gemeinde, rows: list[ProfileRow]) -> tuple[list[str], list[list[Any]]]:
    header = [
        "Indikator",
        "Name",
        "Kategorie",
        "Jahr",
        "Gemeinde",
        "Wert Gemeinde",
        "Wert Kreis",
        "Einheit",
        "Geheimhaltung",
        "Synthetisch",
    ]
    out = []
    for row in rows:
        out.append(
            [
                row.indicator.code,
                row.indicator.name_de,
                row.category_name,
                row.year,
                gemeinde.name,
                SUPPRESSED_MARK if row.gemeinde.suppression else row.gemeinde.value,
                (SUPPRESSED_MARK if row.kreis.suppression else row.kreis.value) if row.kreis else "",
                row.indicator.unit,
                row.gemeinde.explanation,
                "ja" if row.gemeinde.is_synthetic else "nein",
            ]
        )
    return header, out


def export_rows_overview(items: list[tuple[Indicator, Cell | None]]) -> tuple[list[str], list[list[Any]]]:
    header = [
        "Indikator",
        "Name",
        "Handlungsfeld",
        "Jahr",
        "Wert Kreis",
        "Einheit",
        "Geheimhaltung",
        "Synthetisch",
    ]
    out = []
    for ind, cell in items:
        out.append(
            [
                ind.code,
                ind.name_de,
                ind.theme,
                cell.year if cell else "",
                (SUPPRESSED_MARK if cell.suppression else cell.value) if cell else "",
                ind.unit,
                cell.explanation if cell else "",
                ("ja" if cell.is_synthetic else "nein") if cell else "",
            ]
        )
    return header, out
