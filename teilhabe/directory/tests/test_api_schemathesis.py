"""Property-based check of the public directory API against its generated OpenAPI document (schemathesis).

The schema is loaded from the running Django WSGI app, and every generated request goes through the same
app in-process: no network, no live server. Bounded to a few examples per operation.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from teilhabe.directory import services
from teilhabe.directory.tests.helpers import make_event, make_location, make_offer

pytestmark = pytest.mark.django_db

SCHEMA_PATH = "/api/v1/directory/openapi.json"


@pytest.fixture
def directory_api(personas: Any, regions: None) -> Iterator[Any]:
    from django.core.wsgi import get_wsgi_application

    location = make_location(personas.org_a, gemeinde_id="12073452")
    offer = make_offer(personas.org_a, location=location, gemeinde_id="12073452", website="https://example.org")
    make_offer(personas.org_b, title="Beratung", offer_type="counselling", is_free=False, cost_note="5 €")
    make_event(personas.org_a, offer=offer, location=location, recurrence="weekly")
    services.profile_save(
        acting_user=None,
        organisation=personas.org_a,
        data={"description": "Jobcenter", "is_public": True, "is_mso": False, "languages": ["de", "ar"]},
    )
    # The WSGI handler would close the test's connection (inside its transaction) after every request;
    # Django's test client avoids that the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(SCHEMA_PATH, get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_public_api_conforms_to_openapi(directory_api: Any) -> None:
    # Explicit loop over the operations (instead of schema.parametrize) so the schema can come from the
    # app inside a database-backed fixture.
    operations = [result.ok() for result in directory_api.get_all_operations()]
    prefix = "/api/v1/directory"
    expected = {f"{prefix}/offers/", f"{prefix}/offers/{{id}}/", f"{prefix}/events/", f"{prefix}/organisations/"}
    assert {op.path for op in operations} >= expected
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: Any) -> None:
            case.call_and_validate()

        check()
