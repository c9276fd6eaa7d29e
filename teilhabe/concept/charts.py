"""Charts of goal attainment: the published Kreis series against the linear path from baseline to target.

Rendered server-side with the monitoring's chart code (Vega-Lite → SVG), so web page and PDF match.
Only published, unsuppressed values are plotted.
"""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from teilhabe.concept.attainment import TargetAttainment
from teilhabe.indicators import charts, i18n


def chart_points(attainment: TargetAttainment) -> list[tuple[str, int, float]]:
    target = attainment.target
    kreis = attainment.kreis
    points = [
        ("Kreis (veröffentlicht)", year, value) for year, value in kreis.series if year >= target.baseline_year - 2
    ]
    points += [
        ("Zielpfad", target.baseline_year, target.baseline_value),
        ("Zielpfad", target.target_date.year, target.target_value),
    ]
    return points


def chart_title(attainment: TargetAttainment) -> str:
    indicator = attainment.target.indicator
    return f"{indicator.code} {indicator.name_de}: Verlauf und Zielpfad"


def target_chart(attainment: TargetAttainment) -> SafeString:
    """The chart of a goal page, in the page's language (the status report keeps its German snapshot)."""
    indicator = attainment.target.indicator
    names = {"Kreis (veröffentlicht)": _("Kreis (veröffentlicht)"), "Zielpfad": _("Zielpfad")}
    points = [(names.get(series, series), year, value) for series, year, value in chart_points(attainment)]
    title = _("%(code)s %(name)s: Verlauf und Zielpfad") % {
        "code": indicator.code,
        "name": i18n.indicator_name(indicator),
    }
    return charts.time_series_svg(points, title=title, unit=str(i18n.unit_label(indicator.unit)))
