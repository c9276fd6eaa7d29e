from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation


def site(request: HttpRequest) -> dict[str, Any]:
    from teilhabe.regions.models import Kreis

    kreis = Kreis.objects.filter(ags=settings.TEILHABE_KREIS).only("ags", "name", "kreis_typ").first()
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
