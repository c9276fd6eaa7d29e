"""Screenshots for the documentation (de, ar, fa): indicator page, Gemeinde page, offer.

Runs only when ``TEILHABE_SCREENSHOTS`` names a directory (e.g. ``docs/images``), in the browser run:
``TEILHABE_SCREENSHOTS=docs/images DATABASE_URL=postgres://… pytest teilhabe/core/tests/test_screenshots.py``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from teilhabe.indicators.tests.conftest import catalogue, data  # noqa: F401 - fixtures

TARGET = os.environ.get("TEILHABE_SCREENSHOTS", "")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not TARGET, reason="TEILHABE_SCREENSHOTS nicht gesetzt"),
]


def test_documentation_screenshots(page: Any, live_server: Any, data: list[str], personas: Any) -> None:  # noqa: F811
    from teilhabe.directory.tests.helpers import make_location, make_offer
    from teilhabe.regions.models import Gemeinde

    gemeinde = Gemeinde.objects.get(ags=data[0])
    offer = make_offer(
        personas.org_a,
        title="Deutschkurs am Abend",
        location=make_location(personas.org_a),
        gemeinde=gemeinde,
        contact_phone="03984 2000",
        contact_email="kurs@example.org",
        languages=["de", "ar", "fa"],
    )
    out = Path(TARGET)
    out.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1200, "height": 900})
    for lang in ("de", "ar", "fa"):
        prefix = "" if lang == "de" else f"/{lang}"
        for name, path in (
            ("indikator", "/monitoring/indikator/DEM-01/"),
            ("gemeinde", f"/gemeinden/{gemeinde.ags}/"),
            ("angebot", f"/angebote/{offer.pk}/"),
        ):
            page.goto(live_server.url + prefix + path)
            page.screenshot(path=str(out / f"public-{name}-{lang}.png"), full_page=False)
