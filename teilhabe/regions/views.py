from __future__ import annotations

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


def gemeinde_detail(request: HttpRequest, ags: str) -> HttpResponse:
    gemeinde = Gemeinde.objects.filter(ags=ags, kreis_id=settings.TEILHABE_KREIS).select_related("kreis").first()
    if gemeinde is None:
        raise Http404
    neighbours = list(Gemeinde.objects.filter(kreis_id=gemeinde.kreis_id))
    return render(
        request,
        "regions/gemeinde.html",
        {
            "gemeinde": gemeinde,
            "zensus": _zensus("gemeinde", gemeinde.ags),
            "kreis_zensus": _zensus("kreis", gemeinde.kreis_id or ""),
            "bund_zensus": _zensus("bund", "0"),
            "map_svg": gemeinde_map_svg(neighbours, title=_("Lage im Kreis"), highlight=gemeinde.ags),
        },
    )
