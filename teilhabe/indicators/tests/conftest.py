from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from teilhabe.accounts.roles import Role
from teilhabe.core.testing import make_user
from teilhabe.indicators.models import AgencyValue
from teilhabe.indicators.services import catalogue_sync

# The form of one own indicator (employed foreigners per 1,000 foreigners aged 15–64), as staff post it.
CUSTOM_INDICATOR_FORM = {
    "code": "KR-01",
    "name_de": "Beschäftigte je Ausländer 15–64",
    "name_en": "",
    "theme": "E",
    "numerator": ["ba_beschaeftigte_auslaender"],
    "denominator": ["ew_auslaender_15_65"],
    "multiplier": "1000",
    "definition": "Test",
    "caveats": "",
    "disclosure_method": "suppress",
    "min_count": "",
}


def put(key: str, ags: str, year: int, value: float, owner: Any, level: str | None = None) -> AgencyValue:
    """Write a source value directly (tests of the computation, no audit needed)."""
    level = level or ("gemeinde" if len(ags) == 8 else "kreis")
    obj, _ = AgencyValue.objects.update_or_create(
        source_key=key,
        level=level,
        ags=ags,
        year=year,
        defaults={"value": value, "source_document": "Test", "owner": owner, "entered_at": timezone.now()},
    )
    return obj


@pytest.fixture
def catalogue(regions: None) -> None:
    catalogue_sync()


@pytest.fixture
def statistik(personas: Any) -> Any:
    return make_user("stefanie", personas.landkreis, Role.STATISTIK)


@pytest.fixture
def gemeinde_user(personas: Any) -> Any:
    return make_user("gero", personas.landkreis, Role.GEMEINDE)


@pytest.fixture
def data(catalogue: None, personas: Any) -> list[str]:
    """DEM-01 published, ARB-01 computed but internal (same as test_views.data, for other modules)."""
    from teilhabe.indicators.compute import compute
    from teilhabe.indicators.models import Indicator
    from teilhabe.regions.models import Gemeinde, Kreis

    ags = list(
        Gemeinde.objects.filter(kreis_id="12073", is_gemeinde=True).order_by("ags").values_list("ags", flat=True)
    )
    for code in ags:
        put("ba_beschaeftigte_auslaender", code, 2024, 40, personas.landkreis)
        put("ew_auslaender_15_65", code, 2024, 100, personas.landkreis)
    compute(kreis=Kreis.objects.get(ags="12073"))
    Indicator.objects.filter(code="DEM-01").update(is_published=True)
    return ags
