"""One page per Gemeinde (issue 13, item 6: dead ends between /gemeinden/<AGS>/ and the profile)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from teilhabe.directory.tests.helpers import make_event, make_offer
from teilhabe.regions.models import Gemeinde

pytestmark = pytest.mark.django_db


def test_gemeinde_page_joins_figures_offers_events_and_links_both_ways(
    client: Client,
    data: list[str],
    personas: Any,
) -> None:
    gemeinde = Gemeinde.objects.get(ags=data[0])
    offer = make_offer(personas.org_a, title="Sprachcafé am Markt", gemeinde=gemeinde)
    make_event(personas.org_a, offer=offer, gemeinde=gemeinde, title="Sprachcafé im Juni")
    html = client.get(f"/gemeinden/{gemeinde.ags}/").content.decode()
    assert f'href="/monitoring/gemeinde/{gemeinde.ags}/"' in html
    assert "DEM-01" in html and "Ausländeranteil" in html  # figures with the Kreis comparison
    assert html.count("<svg") >= 2  # location map and trend
    assert "Sprachcafé am Markt" in html and f'href="/angebote/{offer.pk}/"' in html
    assert "Sprachcafé im Juni" in html
    profile = client.get(f"/monitoring/gemeinde/{gemeinde.ags}/").content.decode()
    assert f'href="/gemeinden/{gemeinde.ags}/"' in profile
    arabic = client.get(f"/ar/gemeinden/{gemeinde.ags}/").content.decode()
    assert f'href="/ar/monitoring/gemeinde/{gemeinde.ags}/"' in arabic
    assert "نسبة الأجانب" in arabic
