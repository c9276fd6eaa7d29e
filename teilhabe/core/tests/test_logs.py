"""Structured logs: JSON lines with request ids, no personal data (names in searches, exception texts)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from teilhabe.core.logs import JsonFormatter, RequestContextFilter
from teilhabe.core.testing import Personas, login_verified

NAME = "Zaynab Qasimi"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root, access = logging.getLogger(), logging.getLogger("teilhabe.access")
    old_level = access.level
    root.addHandler(handler)
    access.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        access.setLevel(old_level)


@pytest.mark.django_db
def test_request_logs_are_json_with_request_ids_and_without_names(
    client: Client, personas: Personas, captured: io.StringIO
) -> None:
    login_verified(client, personas.alice)
    client.get("/staff/kiim/", {"q": NAME})
    client.get("/angebote/", {"q": NAME})
    client.get(f"/staff/gibt-es-nicht/?q={NAME}")
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abcdef0123456789")
    logging.getLogger("teilhabe.test").warning("Suche nach %s fehlgeschlagen: /x/?q=%s", "a@b.de", NAME)
    try:
        raise ValueError(f"Kein Treffer für {NAME}")
    except ValueError:
        logging.getLogger("teilhabe.test").exception("Fehler")
    text = captured.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    assert len(lines) >= 6 and all(line["request_id"] for line in lines if line["logger"] == "teilhabe.access")
    assert any(line.get("route") == "staff/kiim/" for line in lines)
    assert any(line["request_id"] == "abcdef0123456789" and line.get("route") == "healthz" for line in lines)
    assert response["X-Request-ID"] == "abcdef0123456789"
    assert any(line.get("exception") == "ValueError" and line.get("frames") for line in lines)
    assert "Zaynab" not in text and "Qasimi" not in text and "a@b.de" not in text
