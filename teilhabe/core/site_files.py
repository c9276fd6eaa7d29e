"""Files every public site needs: ``robots.txt``, ``sitemap.xml`` (all public languages with hreflang
alternates) and ``favicon.ico`` (a redirect to the SVG icon, so no page logs a 404 for it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET


class _Public(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    languages = [code for code, _name in settings.LANGUAGES]


class StaticPages(_Public):
    def items(self) -> list[tuple[str, tuple[Any, ...]]]:
        pages: list[tuple[str, tuple[Any, ...]]] = [
            ("core:home", ()),
            ("core:sources", ()),
            ("core:open_data", ()),
            ("core:accessibility_feedback", ()),
            ("indicators:index", ()),
            ("regions:kreis", ()),
            ("directory:search", ()),
            ("directory:events", ()),
            ("reports:index", ()),
        ]
        pages += [("core:legal", (slug,)) for slug in ("impressum", "datenschutz", "barrierefreiheit")]
        pages += [("core:easy_language", ())]
        return pages

    def location(self, item: tuple[str, tuple[Any, ...]]) -> str:
        return reverse(item[0], args=item[1])


class GemeindePages(_Public):
    def items(self) -> list[str]:
        from teilhabe.regions.models import Gemeinde

        return list(
            Gemeinde.objects.filter(kreis_id=settings.TEILHABE_KREIS, is_gemeinde=True)
            .order_by("ags")
            .values_list("ags", flat=True)
        )

    def location(self, item: str) -> str:
        return reverse("regions:gemeinde", args=[item])


class IndicatorPages(_Public):
    def items(self) -> list[str]:
        from teilhabe.indicators.models import Indicator

        return list(Indicator.objects.published().order_by("code").values_list("code", flat=True))

    def location(self, item: str) -> str:
        return reverse("indicators:indicator", args=[item])


class OfferPages(_Public):
    def items(self) -> list[int]:
        from teilhabe.directory.models import Offer

        return list(Offer.objects.published().order_by("pk").values_list("pk", flat=True))

    def location(self, item: int) -> str:
        return reverse("directory:offer", args=[item])


SITEMAPS = {"seiten": StaticPages, "gemeinden": GemeindePages, "indikatoren": IndicatorPages, "angebote": OfferPages}


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Public pages are open to crawlers; the staff area, login, API write paths and exports are not."""
    lines = [
        "User-agent: *",
        "Disallow: /staff/",
        "Disallow: /konto/",
        "Disallow: /sprache/",
        "Disallow: /i18n/",
        "Disallow: /*?format=",
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('django.contrib.sitemaps.views.sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
