"""Report content assembled from an edition and its snapshot: shared by the PDF and the HTML edition.

All numbers come from the snapshot (never from the live tables) and are formatted the German way here,
so the Typst template and the HTML templates only place strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from teilhabe.indicators import charts, i18n
from teilhabe.indicators.catalogue import THEMES
from teilhabe.indicators.dashboard import format_number, suppression_text
from teilhabe.indicators.models import Suppression
from teilhabe.lib.disclosure import SUPPRESSED_MARK
from teilhabe.lib.formats import format_date
from teilhabe.reports import markup

FONT_DIR = settings.BASE_DIR / "teilhabe" / "reports" / "fonts"
_fonts_registered = False


def register_fonts() -> None:
    """Let vl-convert measure and name the chart text in Fira Sans, the font the PDF embeds."""
    global _fonts_registered
    if not _fonts_registered:
        import vl_convert

        vl_convert.register_font_directory(str(FONT_DIR))
        _fonts_registered = True


@dataclass
class CellOut:
    text: str
    value: float | None
    suppressed: bool
    reason: str = ""


@dataclass
class Section:
    """One indicator within a chapter."""

    code: str
    name: str
    unit: str
    definition: str
    migration_definition: str
    sources: list[str]
    caveats: str
    years: list[int]
    kreis: list[CellOut]
    rows: list[tuple[str, str, list[CellOut]]]  # (ags, Gemeinde, cells per year)
    latest_year: int | None
    has_synthetic: bool
    notes: list[str]
    series_alt: str = ""
    map_alt: str = ""
    category_name: str = ""  # categorical indicators: the category every figure of the section shows
    category_code: str = ""
    migration_code: str = ""  # catalogue codes, so the HTML edition can name them in the page's language
    source_codes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        """Heading: the indicator, never one of its categories ("DEM-07: Familienstand …")."""
        return f"{self.code}: {self.name}"

    @property
    def figure_name(self) -> str:
        """Caption subject: indicator plus the category shown ("Familienstand … – ledig")."""
        return f"{self.name} – {self.category_name}" if self.category_name else self.name

    @property
    def slug(self) -> str:
        return self.code.lower()


@dataclass
class Chapter:
    theme: str
    number: int
    title: str
    commentary: list[markup.Block]
    sections: list[Section]

    @property
    def slug(self) -> str:
        return self.theme.lower()

    @property
    def commentary_html(self) -> SafeString:
        return markup.render_html(self.commentary, heading_offset=1)


@dataclass
class KeyFigure:
    code: str
    name: str
    unit: str
    year: int | None
    text: str
    previous_text: str = ""
    previous_year: int | None = None
    delta_text: str = ""
    arrow: str = ""
    change_label: str = ""  # German; the HTML edition translates it (msgids marked below)
    indicator_name: str = ""
    category_code: str = ""
    category_name: str = ""


# Change labels of key figures; German in the PDF, translated in the HTML edition.
CHANGE_LABELS = (gettext_noop("gestiegen"), gettext_noop("gesunken"), gettext_noop("unverändert"))


@dataclass
class ReportContent:
    title: str
    subtitle: str
    kreis_name: str
    kreis_ags: str
    stichtag: str
    years: list[int]
    foreword: list[markup.Block]
    summary: list[markup.Block]
    key_figures: list[KeyFigure]
    chapters: list[Chapter]
    previous_title: str
    has_synthetic: bool
    snapshot_taken_at: str
    methods: dict[str, Any] = field(default_factory=dict)

    @property
    def foreword_html(self) -> SafeString:
        return markup.render_html(self.foreword, heading_offset=1)

    @property
    def summary_html(self) -> SafeString:
        return markup.render_html(self.summary, heading_offset=1)

    def chapter(self, slug: str) -> Chapter | None:
        return next((c for c in self.chapters if c.slug == slug), None)


def _cell(entry: list[Any] | None, k: int) -> CellOut:
    if entry is None:
        return CellOut("–", None, False)
    _level, _region, _year, value, suppression, _synthetic = entry
    if suppression:
        return CellOut(SUPPRESSED_MARK, None, True, suppression_text(suppression, k))
    return CellOut(format_number(value), value, False)


def _section(ind: dict[str, Any], snapshot: dict[str, Any]) -> Section:
    entries = snapshot["values"].get(ind["code"], [])
    years = sorted({e[2] for e in entries})
    kreis_ags = snapshot["kreis"]["ags"]
    by_key = {(e[1], e[2]): e for e in entries}
    k = int(ind["k"])
    kreis = [_cell(by_key.get((kreis_ags, y)), k) for y in years]
    rows = [(ags, name, [_cell(by_key.get((ags, y)), k) for y in years]) for ags, name in snapshot["gemeinden"]]
    cells = kreis + [c for _a, _n, cs in rows for c in cs]
    section = Section(
        code=ind["code"],
        name=ind["name"],
        category_name=ind["category_name"] if ind["category"] else "",
        category_code=ind["category"] or "",
        unit=ind["unit"],
        definition=ind["definition"],
        migration_definition=snapshot["migration_definitions"].get(ind["migration_definition"], ""),
        sources=[snapshot["data_sources"].get(s, s) for s in ind["sources"]],
        migration_code=ind["migration_definition"],
        source_codes=list(ind["sources"]),
        caveats=ind["caveats"],
        years=years,
        kreis=kreis,
        rows=rows,
        latest_year=years[-1] if years else None,
        has_synthetic=any(e[5] for e in entries),
        notes=sorted({c.reason for c in cells if c.reason}),
    )
    # Alternative texts in the language of the page (the PDF is built in German): names from the catalogue.
    label = str(i18n.figure_label_by_code(section.code, section.name, section.category_code, section.category_name))
    unit = str(i18n.unit_label(section.unit))
    series = ", ".join(f"{y}: {c.text}" for y, c in zip(years, kreis, strict=True))
    section.series_alt = _("Liniendiagramm %(name)s im Zeitverlauf, %(kreis)s in %(unit)s: %(series)s.") % {
        "name": label,
        "kreis": snapshot["kreis"]["name"],
        "unit": unit,
        "series": series,
    }
    if section.latest_year is not None:
        latest = [(name, cs[-1]) for _a, name, cs in rows if cs and cs[-1].value is not None]
        extremes = ""
        if latest:
            high = max(latest, key=lambda item: item[1].value or 0)
            low = min(latest, key=lambda item: item[1].value or 0)
            extremes = " " + _("Höchster Wert %(high)s (%(high_name)s), niedrigster %(low)s (%(low_name)s).") % {
                "high": high[1].text,
                "high_name": high[0],
                "low": low[1].text,
                "low_name": low[0],
            }
        suppressed = sum(1 for _a, _n, cs in rows if cs and cs[-1].suppressed)
        section.map_alt = (
            _("Karte der Gemeinden, %(name)s %(year)s in %(unit)s.")
            % {"name": label, "year": section.latest_year, "unit": unit}
            + extremes
            + " "
            + _("%(count)s Gemeinden gesperrt (grau). Alle Werte stehen in der Tabelle.") % {"count": suppressed}
        )
    return section


def _kreis_latest(snapshot: dict[str, Any] | None) -> dict[str, tuple[int, float | None, bool]]:
    if not snapshot:
        return {}
    kreis_ags = snapshot["kreis"]["ags"]
    out: dict[str, tuple[int, float | None, bool]] = {}
    for code, entries in snapshot["values"].items():
        for e in entries:
            if e[0] == "kreis" and e[1] == kreis_ags and (code not in out or e[2] > out[code][0]):
                out[code] = (e[2], e[3], bool(e[4]))
    return out


def _key_figures(sections: list[Section], previous: dict[str, Any] | None) -> list[KeyFigure]:
    """Latest Kreis value per indicator with the change against an *earlier* year.

    The comparison is the previous edition's latest value when that is from an earlier year; otherwise the
    section's own previous year. Two values of the same year are never compared ("2024 → 2024").
    """
    before = _kreis_latest(previous)
    figures = []
    for s in sections:
        if s.latest_year is None:
            continue
        cell = s.kreis[-1]
        figure = KeyFigure(s.code, s.figure_name, s.unit, s.latest_year, cell.text)
        figure.indicator_name, figure.category_code, figure.category_name = s.name, s.category_code, s.category_name
        compare: tuple[int, float | None, bool] | None = None
        if s.code in before and before[s.code][0] < s.latest_year:
            compare = before[s.code]
        elif len(s.years) > 1:
            earlier = s.kreis[-2]
            compare = (s.years[-2], earlier.value, earlier.suppressed)
        if compare is not None:
            p_year, p_value, p_suppressed = compare
            figure.previous_year = p_year
            figure.previous_text = SUPPRESSED_MARK if p_suppressed else format_number(p_value)
            if cell.value is not None and p_value is not None and not p_suppressed:
                delta = round(cell.value - p_value, 1)
                figure.delta_text = ("+" if delta > 0 else "") + format_number(delta)
                if delta > 0:
                    figure.arrow, figure.change_label = "↑", "gestiegen"
                elif delta < 0:
                    figure.arrow, figure.change_label = "↓", "gesunken"
                else:
                    figure.arrow, figure.change_label = "→", "unverändert"
        figures.append(figure)
    return figures


def _methods(snapshot: dict[str, Any]) -> dict[str, Any]:
    k_values = sorted({int(i["k"]) for i in snapshot["indicators"]}) or [int(settings.DISCLOSURE_MIN_COUNT)]
    k = k_values[0]
    rules = [
        _(
            "Werte, die auf weniger als %(k)s Personen beruhen, werden nicht veröffentlicht (Primärsperrung);"
            " sie sind in allen Tabellen mit „%(mark)s“ gekennzeichnet."
        )
        % {"k": k, "mark": SUPPRESSED_MARK},
        suppression_text(Suppression.SECONDARY, k),
        suppression_text(Suppression.COMPLEMENT, k),
        suppression_text(Suppression.DOMINANCE, k),
        _("Kreiswerte entstehen aus den Summen der Zähler und Nenner der Gemeinden, nicht aus Mittelwerten."),
    ]
    rounded = [i["code"] for i in snapshot["indicators"] if i["disclosure_method"] == "round"]
    if rounded:
        rules.append(
            _("Gerundet statt gesperrt (auf Vielfache der Rundungsbasis): %(codes)s.") % {"codes": ", ".join(rounded)}
        )
    if len(k_values) > 1:
        higher = ", ".join(f"{i['code']} ({i['k']})" for i in snapshot["indicators"] if int(i["k"]) != k)
        rules.append(_("Einzelne Indikatoren verwenden eine höhere Mindestfallzahl: %(codes)s.") % {"codes": higher})
    return {
        "definitions": [
            {
                "code": i["code"],
                "name": i["name"],
                "definition": i["definition"],
                "unit": i["unit"],
                "migration": snapshot["migration_definitions"].get(i["migration_definition"], ""),
                "migration_code": i["migration_definition"],
                "sources": ", ".join(snapshot["data_sources"].get(s, s) for s in i["sources"]),
                "source_codes": list(i["sources"]),
                "caveats": i["caveats"],
            }
            for i in snapshot["indicators"]
        ],
        # (code, German name) pairs: the HTML edition names them in the page's language.
        "migration_definitions": list(snapshot["migration_definitions"].items()),
        "disclosure_rules": rules,
        "data_sources": list(snapshot["data_sources"].items()),
        "credits": list(snapshot["credits"]),
    }


def build_content(edition: Any, snapshot: dict[str, Any], previous: dict[str, Any] | None = None) -> ReportContent:
    sections_by_theme: dict[str, list[Section]] = {}
    all_sections: list[Section] = []
    for ind in snapshot["indicators"]:
        section = _section(ind, snapshot)
        sections_by_theme.setdefault(ind["theme"], []).append(section)
        all_sections.append(section)
    chapters = []
    for number, chapter in enumerate(edition.chapters.order_by("position", "theme"), start=1):
        chapters.append(
            Chapter(
                chapter.theme,
                number,
                chapter.title or THEMES.get(chapter.theme, chapter.theme),
                markup.parse(chapter.commentary),
                sections_by_theme.get(chapter.theme, []),
            )
        )
    return ReportContent(
        title=edition.title,
        subtitle=edition.subtitle,
        kreis_name=snapshot["kreis"]["name"],
        kreis_ags=snapshot["kreis"]["ags"],
        stichtag=format_date(edition.stichtag),
        # The years the tables actually show (cover "Berichtsjahre" must agree with them).
        years=sorted({y for section in all_sections for y in section.years}),
        foreword=markup.parse(edition.foreword),
        summary=markup.parse(edition.summary),
        key_figures=_key_figures(all_sections, previous),
        chapters=chapters,
        previous_title=edition.previous.title if edition.previous_id and previous else "",
        has_synthetic=any(s.has_synthetic for s in all_sections),
        snapshot_taken_at=format_date(snapshot["taken_at"][:10]),
        methods=_methods(snapshot),
    )


def section_charts(section: Section, kreis_name: str, geometries: dict[str, dict[str, Any]]) -> tuple[str, str]:
    """Time series and choropleth SVG from the dashboards' Vega-Lite builders (same look as the site)."""
    register_fonts()
    points = [
        (kreis_name, y, c.value) for y, c in zip(section.years, section.kreis, strict=True) if c.value is not None
    ]
    # In the page's language (German for the PDF, which is built with German active).
    label = str(i18n.figure_label_by_code(section.code, section.name, section.category_code, section.category_name))
    unit = str(i18n.unit_label(section.unit))
    series = charts.time_series_svg(points, title=_("%(t)s im Zeitverlauf") % {"t": label}, unit=unit)
    map_svg: str = ""
    if section.latest_year is not None:
        features = [
            (ags, name, geometries.get(ags) or {}, cells[-1].value if cells else None)
            for ags, name, cells in section.rows
        ]
        map_svg = charts.choropleth_svg(
            features,
            title=_("%(t)s nach Gemeinden, %(y)s") % {"t": label, "y": section.latest_year},
            unit=unit,
            outline=geometries.get(KREIS_OUTLINE),
        )
    return str(series), str(map_svg)


KREIS_OUTLINE = "kreis"  # key of the Kreis boundary in geometries_for()


def geometries_for(snapshot: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """GeoJSON geometries of the report's Gemeinden by AGS, plus the Kreis boundary under ``KREIS_OUTLINE``."""
    from teilhabe.regions.models import Gemeinde, Kreis

    ags = [a for a, _n in snapshot["gemeinden"]]
    result = {g: geom for g, geom in Gemeinde.objects.filter(ags__in=ags).values_list("ags", "geometry") if geom}
    outline = Kreis.objects.filter(ags=snapshot["kreis"]["ags"]).values_list("geometry", flat=True).first()
    if outline:
        result[KREIS_OUTLINE] = outline
    return result
