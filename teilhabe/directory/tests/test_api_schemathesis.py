"""Property-based check of the public directory API against its generated OpenAPI document (schemathesis).

The schema is loaded from the running Django WSGI app, and every generated request goes through the same
app in-process: no network, no live server. Bounded to a few examples per operation.
"""

from __future__ import annotations

from typing import Any

import pytest

from teilhabe.directory import services
from teilhabe.directory.tests.helpers import make_event, make_location, make_offer
from teilhabe.lib.tests.apicheck import check_all_operations, wsgi_schema

pytestmark = pytest.mark.django_db


def test_public_api_conforms_to_openapi(personas: Any, regions: None) -> None:
    location = make_location(personas.org_a, gemeinde_id="12073452")
    offer = make_offer(personas.org_a, location=location, gemeinde_id="12073452", website="https://example.org")
    make_offer(personas.org_b, title="Beratung", offer_type="counselling", is_free=False, cost_note="5 €")
    make_event(personas.org_a, offer=offer, location=location, recurrence="weekly")
    services.profile_save(
        acting_user=None,
        organisation=personas.org_a,
        data={"description": "Jobcenter", "is_public": True, "is_mso": False, "languages": ["de", "ar"]},
    )
    with wsgi_schema("/api/v1/directory/openapi.json") as schema:
        paths = check_all_operations(schema, max_examples=20)
    prefix = "/api/v1/directory"
    assert paths >= {f"{prefix}/offers/", f"{prefix}/offers/{{id}}/", f"{prefix}/events/", f"{prefix}/organisations/"}
