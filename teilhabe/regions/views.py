from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from teilhabe.lib.collation import german_sorted
from teilhabe.regions.maps import gemeinde_map_svg
from teilhabe.regions.models import Gemeinde, Kreis, ReferenceValue


def _zensus(level: str, ags: str) -> dict[str, float]:
    rows = ReferenceValue.objects.filter(source="zensus2022", level=level, ags=ags).values_list("indicator", "value")
    return dict(rows)


def kreis_overview(request: HttpRequest) -> HttpResponse:
    kreis = Kreis.objects.filter(ags=settings.TEILHABE_KREIS).select_related("land").first()
    if kreis is None:
        raise Http404
    gemeinden = german_sorted(Gemeinde.objects.filter(kreis=kreis), key=lambda g: g.name)
    zensus = {
        (ags, indicator): value
        for ags, indicator, value in ReferenceValue.objects.filter(
            source="zensus2022", level="gemeinde", ags__in=[g.ags for g in gemeinden]
        ).values_list("ags", "indicator", "value")
    }
    rows = [(g, zensus.get((g.ags, "share_foreign")), zensus.get((g.ags, "share_migration_bg"))) for g in gemeinden]
    return render(
        request,
        "regions/kreis.html",
        {
            "kreis": kreis,
            "rows": rows,
            "kreis_zensus": _zensus("kreis", kreis.ags),
            "bund_zensus": _zensus("bund", "0"),
            "map_svg": gemeinde_map_svg(gemeinden, title=_("Karte der Gemeinden des Kreises")),
        },
    )


def _gemeinde_trend(gemeinde: Gemeinde, rows: list[Any]) -> tuple[Any, Any, list[tuple[str, int, float]]]:
    """Time series (Gemeinde and Kreis) of the first published indicator with Gemeinde values."""
    from teilhabe.indicators import charts, i18n
    from teilhabe.indicators.models import IndicatorValue, Level

    if not rows:
        return None, "", []
    row = next((r for r in rows if r.indicator.code == "DEM-01"), rows[0])
    category = row.indicator.category_list()[0].code if row.indicator.category_list() else ""
    values = (
        IndicatorValue.objects.filter(
            indicator=row.indicator,
            category=category,
            region__in=[gemeinde.ags, gemeinde.kreis_id or ""],
            level__in=[Level.GEMEINDE, Level.KREIS],
            suppression="",
        )
        .exclude(published_value=None)
        .order_by("year")
        .values_list("level", "year", "published_value")
    )
    names: dict[str, str] = {Level.GEMEINDE: gemeinde.name, Level.KREIS: gemeinde.kreis.name if gemeinde.kreis else ""}
    points = [(names[level], year, float(value)) for level, year, value in values if value is not None]
    label = i18n.figure_label(row.indicator, category or None)
    svg = charts.time_series_svg(
        points, title=_("%(t)s im Zeitverlauf") % {"t": label}, unit=str(i18n.unit_label(row.indicator.unit))
    )
    return row, svg, points


def gemeinde_detail(request: HttpRequest, ags: str) -> HttpResponse:
    """One page per Gemeinde: key data, map, figures with Kreis comparison and trend, offers, events.

    Links to the full monitoring profile (``/monitoring/gemeinde/<AGS>/``), which links back here.
    """
    from django.utils import timezone

    from teilhabe.directory.content import localize, visitor_language, with_translations
    from teilhabe.directory.models import Event, Offer
    from teilhabe.indicators import dashboard

    gemeinde = Gemeinde.objects.filter(ags=ags, kreis_id=settings.TEILHABE_KREIS).select_related("kreis").first()
    if gemeinde is None:
        raise Http404
    neighbours = list(Gemeinde.objects.filter(kreis_id=gemeinde.kreis_id))
    rows = dashboard.gemeinde_profile(gemeinde, dashboard.indicators_for(staff=False))
    trend_row, trend_svg, trend_points = _gemeinde_trend(gemeinde, rows)
    language = visitor_language()
    offers = with_translations(Offer.objects.published().filter(gemeinde=gemeinde).order_by("title"), language)
    offer_items = german_sorted(
        [{"offer": o, "text": localize(o, language)} for o in offers[:50]], key=lambda item: item["text"].title
    )
    events = with_translations(
        Event.objects.published().filter(gemeinde=gemeinde, starts_at__gte=timezone.now()).order_by("starts_at"),
        language,
    )[:10]
    return render(
        request,
        "regions/gemeinde.html",
        {
            "gemeinde": gemeinde,
            "zensus": _zensus("gemeinde", gemeinde.ags),
            "kreis_zensus": _zensus("kreis", gemeinde.kreis_id or ""),
            "bund_zensus": _zensus("bund", "0"),
            "map_svg": gemeinde_map_svg(neighbours, title=_("Lage im Kreis"), highlight=gemeinde.ags),
            "rows": rows[:12],
            "more_rows": max(0, len(rows) - 12),
            "trend_row": trend_row,
            "trend_svg": trend_svg,
            "trend_points": trend_points,
            "offers": offer_items,
            "events": [{"event": e, "text": localize(e, language)} for e in events],
        },
    )
