"""Public monitoring site (published indicators only) and the rendering shared with the staff view.

The main content of public pages is stored as rendered HTML (``fragments``, shared by all workers). The key
contains the data version (``Indicator.updated_at`` of the indicator shown, or the latest of all for the
overview and Gemeinde profiles; touched by every computation that writes and by publishing), the language
and the parameters the body depends on (never the whole query string), so a new value or publication is
visible immediately and an unrelated parameter does not rebuild a page. The prerender job
(``prerender.prerender_public``) stores them when values change, so even the first view reads stored HTML.
Staff bodies of the overview and the Gemeinde profiles are not stored (their content depends on the reader's
organisations and permissions), their charts are; the staff indicator body is stored under its own key (with
"staff") without its action bar, which carries the CSRF token and is rendered per request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from teilhabe.core import fragments
from teilhabe.core.context_processors import site_kreis
from teilhabe.indicators import charts, dashboard, i18n
from teilhabe.indicators.catalogue import THEMES
from teilhabe.indicators.exports import table_response
from teilhabe.indicators.models import Indicator
from teilhabe.lib.collation import german_sorted
from teilhabe.lib.disclosure import SUPPRESSED_MARK
from teilhabe.regions.models import Gemeinde, Kreis, ReferenceValue

EXPORT_FORMATS = ("csv", "xlsx")
SUPPRESSION_NOTE = "• = gesperrt (statistische Geheimhaltung)"


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


def data_version() -> str:
    latest = Indicator.objects.aggregate(latest=Max("updated_at"))["latest"]
    return latest.isoformat() if latest else "0"


def body_key(body_template: str, *parts: object) -> str:
    """Key of a public body: template, language, then the page's own parameters and data version."""
    return fragments.key("indicators", body_template, get_language(), *parts)


def _body(request: HttpRequest, body_template: str, build: Callable[[], dict[str, Any]], key: str | None) -> str:
    if key is None:
        return str(render_to_string(body_template, build(), request))
    _title, html = fragments.get_or_build(key, lambda: ("", str(render_to_string(body_template, build(), request))))
    return html


# Where the per-request staff action bar (CSRF token, state of the indicator) goes into a stored staff body.
STAFF_ACTIONS_MARK = "<!--staff-actions-->"


def _page(
    request: HttpRequest,
    *,
    template: str,
    body_template: str,
    outer: dict[str, Any],
    build: Callable[[], dict[str, Any]],
    staff: bool,
    key: str | None,
    staff_key: str | None = None,
    staff_actions: Callable[[], str] | None = None,
) -> HttpResponse:
    """``key``: the stored public body. ``staff_key``: the stored staff body, for bodies whose only per-request
    part is the action bar ``staff_actions()`` (rendered with the request, put in at ``STAFF_ACTIONS_MARK``)."""
    body = _body(request, body_template, build, staff_key if staff else key)
    if staff and staff_actions is not None:
        body = body.replace(STAFF_ACTIONS_MARK, staff_actions(), 1)
    base = "staff/base.html" if staff else "base.html"
    context = {**outer, "base_template": base, "body": mark_safe(body)}
    return render(request, template, context)


def render_index(request: HttpRequest, indicators: Any, *, staff: bool) -> HttpResponse:
    kreis = _kreis_or_404()
    fmt = _export_format(request)
    if fmt:
        header, rows = dashboard.export_rows_overview(dashboard.overview(indicators, kreis))
        return table_response(header, rows, filename=f"monitoring-{kreis.ags}", fmt=fmt, note=SUPPRESSION_NOTE)

    def build() -> dict[str, Any]:
        items = dashboard.overview(indicators, kreis)
        themes: dict[str, list[tuple[Indicator, Any]]] = {}
        for ind, cell in items:
            themes.setdefault(ind.theme, []).append((ind, cell))
        return {
            "kreis": kreis,
            "themes": [(code, i18n.theme_name(code), themes[code]) for code in THEMES if code in themes],
            "staff": staff,
            "has_synthetic": any(cell and cell.is_synthetic for _i, cell in items),
            "gemeinden": german_sorted(dashboard.gemeinde_names(kreis).values(), key=lambda g: g.name),
            "mark": SUPPRESSED_MARK,
        }

    return _page(
        request,
        template="indicators/index.html",
        body_template="indicators/_index_body.html",
        outer={"kreis": kreis},
        build=build,
        staff=staff,
        key=None if staff else body_key("indicators/_index_body.html", data_version()),
    )


def render_indicator(request: HttpRequest, indicator: Indicator, *, staff: bool) -> HttpResponse:
    # The header's Kreis (name only) answers the 404 check; the full row is read only to build a body or export.
    if site_kreis(request) is None:
        raise Http404
    category, year = request.GET.get("kategorie"), _int(request.GET.get("jahr"))
    fmt = _export_format(request)
    if fmt:
        kreis = _kreis_or_404()
        view = dashboard.indicator_view(indicator, kreis, category=category, year=year)
        header, rows = dashboard.export_rows_indicator(view)
        return table_response(header, rows, filename=f"{indicator.code}-{kreis.ags}", fmt=fmt, note=SUPPRESSION_NOTE)
    # Only parameters the page knows are stored (an invented category or year must not fill the store).
    body = "indicators/_detail_body.html"
    valid = (category is None or category in {c.code for c in indicator.category_list()}) and (
        year is None or 1900 <= year <= 2100
    )
    version = indicator.updated_at.isoformat() if indicator.updated_at else "0"

    def build() -> dict[str, Any]:
        kreis = _kreis_or_404()
        view = dashboard.indicator_view(indicator, kreis, category=category, year=year)
        title = str(i18n.figure_label(indicator, view.category))
        points = [(kreis.name, c.year, c.value) for c in view.kreis_series if c.value is not None]
        for ref in view.references:
            series = (
                ReferenceValue.objects.filter(
                    source=ref["source"], indicator=ref["indicator"], level="kreis", ags=kreis.ags
                )
                .order_by("year")
                .values_list("year", "value")
            )
            label = _("%(kreis)s (amtlich, %(source)s)") % {
                "kreis": kreis.name,
                "source": ref["source"].upper(),
            }
            points += [(label, y, v) for y, v in series if not view.years or y >= min(view.years) - 5]
        map_chart: Any = ""
        if view.year:
            gemeinden = Gemeinde.objects.filter(kreis=kreis, is_gemeinde=True).exclude(geometry=None)
            by_ags = {c.region: c for c in view.ranking}
            features: list[tuple[str, str, dict[str, Any], float | None]] = [
                (g.ags, g.name, g.geometry or {}, by_ags[g.ags].value if g.ags in by_ags else None) for g in gemeinden
            ]
            map_chart = charts.choropleth_svg(
                features,
                title=_("%(t)s nach Gemeinden, %(y)s") % {"t": title, "y": view.year},
                unit=str(i18n.unit_label(indicator.unit)),
                outline=Kreis.objects.filter(ags=kreis.ags).values_list("geometry", flat=True).first(),
            )
        return {
            "kreis": kreis,
            "view": view,
            "indicator": indicator,
            "staff": staff,
            "staff_actions": mark_safe(STAFF_ACTIONS_MARK),
            "categories": indicator.category_list(),
            "series_chart": charts.time_series_svg(
                points, title=_("%(t)s im Zeitverlauf") % {"t": title}, unit=str(i18n.unit_label(indicator.unit))
            ),
            "map_chart": map_chart,
            "comparisons": [
                (
                    ref,
                    charts.comparison_svg(ref["rows"], title=f"{ref['label']} ({ref['year']})", unit=str(ref["unit"])),
                )
                for ref in view.references
            ],
            "mark": SUPPRESSED_MARK,
            "export_query": urlencode({"kategorie": view.category, "jahr": view.year or ""}),
        }

    return _page(
        request,
        template="indicators/detail.html",
        body_template=body,
        outer={"indicator": indicator},
        build=build,
        staff=staff,
        key=None if staff or not valid else body_key(body, indicator.code, category or "", year or "", version),
        # The staff body is the same for everyone who may open the indicator (access is checked before; the
        # values do not depend on the reader); publishing and every computation touch ``updated_at``.
        staff_key=body_key(body, "staff", indicator.code, category or "", year or "", version) if valid else None,
        staff_actions=lambda: _staff_actions(request, indicator),
    )


def _staff_actions(request: HttpRequest, indicator: Indicator) -> str:
    """The action bar of the staff indicator page; rendered without the context processors (it needs only the
    indicator and the request's CSRF token)."""
    context = {"indicator": indicator, "csrf_token": get_token(request)}
    return str(render_to_string("indicators/_staff_actions.html", context))


def render_profile(request: HttpRequest, gemeinde: Gemeinde, indicators: Any, *, staff: bool) -> HttpResponse:
    fmt = _export_format(request)
    if fmt:
        header, data = dashboard.export_rows_profile(gemeinde, dashboard.gemeinde_profile(gemeinde, indicators))
        return table_response(header, data, filename=f"profil-{gemeinde.ags}", fmt=fmt, note=SUPPRESSION_NOTE)

    def build() -> dict[str, Any]:
        rows = dashboard.gemeinde_profile(gemeinde, indicators)
        planungsraeume = dashboard.planungsraum_values(gemeinde, indicators)
        cells = [r.gemeinde for r in rows] + [cell for _i, _c, cell in planungsraeume]
        return {
            "gemeinde": gemeinde,
            "rows": rows,
            "staff": staff,
            "has_synthetic": any(c.is_synthetic for c in cells),
            "notes": sorted({c.explanation for c in cells if c.explanation}),
            "planungsraeume": planungsraeume,
            "mark": SUPPRESSED_MARK,
        }

    return _page(
        request,
        template="indicators/profile.html",
        body_template="indicators/_profile_body.html",
        outer={"gemeinde": gemeinde},
        build=build,
        staff=staff,
        key=None if staff else body_key("indicators/_profile_body.html", gemeinde.ags, data_version()),
    )


def gemeinde_in_kreis_or_404(ags: str) -> Gemeinde:
    gemeinde = (
        Gemeinde.objects.filter(ags=ags, kreis_id=settings.TEILHABE_KREIS)
        .select_related("kreis")
        .defer("geometry", "kreis__geometry")
        .first()
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
    return render_profile(request, gemeinde_in_kreis_or_404(ags), dashboard.indicators_for(staff=False), staff=False)
