"""Public monitoring site (published indicators only) and the rendering shared with the staff view."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from teilhabe.indicators import charts, dashboard
from teilhabe.indicators.catalogue import THEMES
from teilhabe.indicators.exports import table_response
from teilhabe.indicators.models import Indicator
from teilhabe.lib.disclosure import SUPPRESSED_MARK
from teilhabe.regions.models import Gemeinde, ReferenceValue

EXPORT_FORMATS = ("csv", "xlsx")


def _export_format(request: HttpRequest) -> str:
    fmt = request.GET.get("format", "")
    return fmt if fmt in EXPORT_FORMATS else ""


def _kreis_or_404() -> Any:
    kreis = dashboard.kreis()
    if kreis is None:
        raise Http404
    return kreis


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def render_index(request: HttpRequest, indicators: Any, *, staff: bool) -> HttpResponse:
    kreis = _kreis_or_404()
    items = dashboard.overview(indicators, kreis)
    fmt = _export_format(request)
    if fmt:
        header, rows = dashboard.export_rows_overview(items)
        return table_response(header, rows, filename=f"monitoring-{kreis.ags}", fmt=fmt)
    themes: dict[str, list[tuple[Indicator, Any]]] = {}
    for ind, cell in items:
        themes.setdefault(ind.theme, []).append((ind, cell))
    return render(
        request,
        "indicators/index.html",
        {
            "kreis": kreis,
            "themes": [(code, THEMES[code], themes[code]) for code in THEMES if code in themes],
            "staff": staff,
            "base_template": "staff/base.html" if staff else "base.html",
            "has_synthetic": any(cell and cell.is_synthetic for _i, cell in items),
            "gemeinden": sorted(dashboard.gemeinde_names(kreis).values(), key=lambda g: g.name),
            "mark": SUPPRESSED_MARK,
        },
    )


def render_indicator(request: HttpRequest, indicator: Indicator, *, staff: bool) -> HttpResponse:
    kreis = _kreis_or_404()
    view = dashboard.indicator_view(
        indicator, kreis, category=request.GET.get("kategorie"), year=_int(request.GET.get("jahr"))
    )
    fmt = _export_format(request)
    if fmt:
        header, rows = dashboard.export_rows_indicator(view)
        return table_response(
            header,
            rows,
            filename=f"{indicator.code}-{kreis.ags}",
            fmt=fmt,
            note=_("• = gesperrt (statistische Geheimhaltung)"),
        )
    gemeinden = dashboard.gemeinde_names(kreis)
    title = view.category_name if view.category else indicator.name_de
    points = [(kreis.name, c.year, c.value) for c in view.kreis_series if c.value is not None]
    for ref in view.references:
        series = (
            ReferenceValue.objects.filter(
                source=ref["source"], indicator=ref["indicator"], level="kreis", ags=kreis.ags
            )
            .order_by("year")
            .values_list("year", "value")
        )
        label = _("%(kreis)s (amtlich, %(source)s)") % {"kreis": kreis.name, "source": ref["source"].upper()}
        points += [(label, y, v) for y, v in series if not view.years or y >= min(view.years) - 5]
    by_ags = {c.region: c for c in view.ranking}
    features = [
        (ags, g.name, g.geometry, by_ags[ags].value if ags in by_ags else None)
        for ags, g in gemeinden.items()
        if g.geometry
    ]
    comparisons = [
        (ref, charts.comparison_svg(ref["rows"], title=f"{ref['label']} ({ref['year']})", unit=ref["unit"]))
        for ref in view.references
    ]
    return render(
        request,
        "indicators/detail.html",
        {
            "kreis": kreis,
            "view": view,
            "indicator": indicator,
            "staff": staff,
            "base_template": "staff/base.html" if staff else "base.html",
            "categories": indicator.category_list(),
            "series_chart": charts.time_series_svg(
                points, title=_("%(t)s im Zeitverlauf") % {"t": title}, unit=indicator.unit
            ),
            "series_points": points,
            "map_chart": charts.choropleth_svg(
                features,
                title=_("%(t)s nach Gemeinden, %(y)s") % {"t": title, "y": view.year or ""},
                unit=indicator.unit,
            )
            if view.year
            else "",
            "comparisons": comparisons,
            "mark": SUPPRESSED_MARK,
            "export_query": urlencode({"kategorie": view.category, "jahr": view.year or ""}),
        },
    )


def render_profile(request: HttpRequest, gemeinde: Gemeinde, indicators: Any, *, staff: bool) -> HttpResponse:
    rows = dashboard.gemeinde_profile(gemeinde, indicators)
    fmt = _export_format(request)
    if fmt:
        header, data = dashboard.export_rows_profile(gemeinde, rows)
        return table_response(
            header,
            data,
            filename=f"profil-{gemeinde.ags}",
            fmt=fmt,
            note=_("• = gesperrt (statistische Geheimhaltung)"),
        )
    return render(
        request,
        "indicators/profile.html",
        {
            "gemeinde": gemeinde,
            "rows": rows,
            "staff": staff,
            "base_template": "staff/base.html" if staff else "base.html",
            "has_synthetic": any(r.gemeinde.is_synthetic for r in rows),
            "notes": sorted({r.gemeinde.explanation for r in rows if r.gemeinde.explanation}),
            "mark": SUPPRESSED_MARK,
        },
    )


def gemeinde_in_kreis_or_404(ags: str) -> Gemeinde:
    gemeinde = (
        Gemeinde.objects.filter(ags=ags, kreis_id=settings.TEILHABE_KREIS).select_related("kreis").first()
    )
    if gemeinde is None:
        raise Http404
    return gemeinde


def index(request: HttpRequest) -> HttpResponse:
    return render_index(request, dashboard.indicators_for(staff=False), staff=False)


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = Indicator.objects.published().filter(code=code).first()
    if indicator is None:
        raise Http404
    return render_indicator(request, indicator, staff=False)


def gemeinde_profile(request: HttpRequest, ags: str) -> HttpResponse:
    return render_profile(
        request, gemeinde_in_kreis_or_404(ags), dashboard.indicators_for(staff=False), staff=False
    )
