from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import translation

# Every page reads the Kreis's name for its header; a fixed statement instead of a compiled queryset (issue 17,
# decision 0176). Same as ``Kreis.objects.filter(ags=…).only("ags", "name", "kreis_typ").first()``.
_KREIS_SQL = 'SELECT "ags", "name", "kreis_typ" FROM "regions_kreis" WHERE "ags" = %s'


def site_kreis(request: HttpRequest | None = None) -> Any:
    """The installation's Kreis with only ``ags``, ``name`` and ``kreis_typ`` loaded, or None; read once per
    request when ``request`` is given (a view's 404 check and the page header)."""
    from teilhabe.regions.models import Kreis

    if request is not None and hasattr(request, "_site_kreis"):
        return request._site_kreis
    with connection.cursor() as cursor:
        cursor.execute(_KREIS_SQL, [settings.TEILHABE_KREIS])
        row = cursor.fetchone()
    kreis = Kreis.from_db(connection.alias, ["ags", "name", "kreis_typ"], row) if row else None
    if request is not None:
        request._site_kreis = kreis  # type: ignore[attr-defined]
    return kreis


def site(request: HttpRequest) -> dict[str, Any]:
    kreis = site_kreis(request)
    language = translation.get_language() or settings.LANGUAGE_CODE
    from teilhabe.core.navigation import PUBLIC_AREAS

    return {
        "public_areas": PUBLIC_AREAS,
        "site_kreis": kreis,
        "site_kreis_ags": settings.TEILHABE_KREIS,
        "demo_mode": settings.DEMO,
        "is_rtl": translation.get_language_bidi(),
        "current_language": language,
        "staff_languages": [(code, name) for code, name in settings.LANGUAGES if code in settings.STAFF_LANGUAGES],
    }
