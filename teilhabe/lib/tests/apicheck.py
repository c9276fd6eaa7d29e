"""Schemathesis against a generated OpenAPI document, in-process through the WSGI app (no network)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings


@contextmanager
def wsgi_schema(path: str) -> Iterator[Any]:
    """The document at ``path``, loaded from the app. The WSGI handler would close the test's connection
    (inside its transaction) after every request; Django's test client avoids that the same way."""
    from django.core.wsgi import get_wsgi_application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(path, get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def check_all_operations(schema: Any, *, max_examples: int = 15, headers: dict[str, str] | None = None) -> set[str]:
    """Generate requests for every operation and validate the responses; returns the operation paths."""
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=max_examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: Any) -> None:
            if headers:
                case.headers = {**(case.headers or {}), **headers}
            case.call_and_validate()

        check()
    return {op.path for op in operations}
