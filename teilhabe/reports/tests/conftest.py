from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from teilhabe.accounts.roles import Role
from teilhabe.core.testing import make_user
from teilhabe.indicators.demo import load_synthetic_values
from teilhabe.indicators.models import Indicator, IndicatorValue
from teilhabe.indicators.services import catalogue_sync, recompute_all
from teilhabe.reports import services
from teilhabe.reports.models import ReportEdition


@pytest.fixture
def monitoring(regions: None, personas: Any) -> None:
    """The demo monitoring for Uckermark: synthetic aggregates, computed and published values."""
    catalogue_sync()
    load_synthetic_values(_kreis(), owner=personas.landkreis)
    recompute_all(acting_user=None)
    Indicator.objects.filter(pk__in=IndicatorValue.objects.values("indicator_id")).update(is_published=True)


def _kreis() -> Any:
    from django.conf import settings

    from teilhabe.regions.models import Kreis

    return Kreis.objects.get(ags=settings.TEILHABE_KREIS)


@pytest.fixture
def koordination(personas: Any) -> Any:
    """Report editor in org A (the organisation owning the test report)."""
    return make_user("kora", personas.org_a, Role.KOORDINATION)


@pytest.fixture
def charlie_koordination(personas: Any) -> Any:
    """Charlie with the report permission, but in org B: must not see org A's report."""
    from teilhabe.accounts.models import Membership

    Membership.objects.create(user=personas.charlie, organisation=personas.org_b, role=Role.KOORDINATION)
    return personas.charlie


@pytest.fixture
def edition(monitoring: None, personas: Any, koordination: Any) -> ReportEdition:
    from django.conf import settings

    # A few indicators keep the builds fast: the first of fields A and E and one with a suppressed cell.
    published = Indicator.objects.published().order_by("theme", "code")
    codes = [published.filter(theme=t).first().code for t in ("A", "E")]  # type: ignore[union-attr]
    suppressed = (
        IndicatorValue.objects.filter(indicator__in=published, category="", level="gemeinde", year=2024)
        .exclude(suppression="")
        .exclude(indicator__code__in=codes)
        .select_related("indicator")
        .first()
    )
    assert suppressed is not None
    codes.append(suppressed.indicator.code)
    definition = services.definition_create(
        acting_user=koordination,
        owner=personas.org_a,
        kreis_ags=settings.TEILHABE_KREIS,
        title="Integrationsmonitoring Uckermark",
    )
    edition = services.edition_create(
        acting_user=koordination,
        definition=definition,
        title="Integrationsbericht 2024",
        slug="bericht-2024",
        stichtag=date(2024, 12, 31),
        years=[2022, 2023, 2024],
        foreword="Vorwort mit **Betonung** und [Link](https://example.org).",
        summary="## Kernaussagen\n- Erste Aussage\n- Zweite Aussage",
        indicator_codes=codes,
    )
    chapter = edition.chapters.get(theme="E")
    services.commentary_save(acting_user=koordination, chapter=chapter, text="Die Beschäftigung steigt.")
    return edition
