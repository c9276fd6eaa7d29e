"""Charts of goal attainment: the published Kreis series against the linear path from baseline to target.

Rendered server-side with the monitoring's chart code (Vega-Lite → SVG), so web page and PDF match.
Only published, unsuppressed values are plotted.
"""

from __future__ import annotations

from django.utils.safestring import SafeString

from teilhabe.concept.attainment import TargetAttainment
from teilhabe.indicators import charts


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
    return charts.time_series_svg(
        chart_points(attainment), title=chart_title(attainment), unit=attainment.target.indicator.unit
    )
