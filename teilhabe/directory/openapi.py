"""OpenAPI 3.1 description of the public directory API (hand-written: the API is small and read-only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from teilhabe.directory.models import SPOKEN_LANGUAGES, OfferType, TargetGroup


def _param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


NULLABLE_STRING = {"type": ["string", "null"]}


def json_of(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def list_of(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "count": {"type": "integer"},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "results": {"type": "array", "items": item},
        },
    }


def schema() -> dict[str, Any]:
    from teilhabe.directory.forms import kreis_gemeinden

    languages = [code for code, _name in settings.LANGUAGES]
    # The API accepts only the Kreis's own Gemeinden; say so, so clients (and schemathesis) know the values.
    codes = list(kreis_gemeinden().values_list("ags", flat=True))
    gemeinde_schema: dict[str, Any] = (
        {"type": "string", "enum": codes} if codes else {"type": "string", "pattern": "^[0-9]{8}$"}
    )
    location = {
        "type": ["object", "null"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "street": {"type": "string"},
            "postcode": {"type": "string"},
            "city": {"type": "string"},
            "gemeinde_ags": NULLABLE_STRING,
            "latitude": {"type": ["number", "null"]},
            "longitude": {"type": ["number", "null"]},
            "opening_hours": {"type": "string"},
            "wheelchair_accessible": {"type": "boolean"},
            "accessible_toilet": {"type": "boolean"},
            "hearing_loop": {"type": "boolean"},
            "accessibility_note": {"type": "string"},
        },
    }
    offer = {
        "type": "object",
        "required": ["id", "title", "type"],
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string"},
            "type": {"type": "string", "enum": OfferType.values},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "description": {"type": "string"},
            "eligibility": {"type": "string"},
            "how_to_access": {"type": "string"},
            "cost_note": {"type": "string"},
            "text_language": {"type": "string"},
            "translation_notice": {
                "type": ["string", "null"],
                "enum": ["missing", "outdated", "machine", None],
            },
            "is_free": {"type": "boolean"},
            "target_groups": {"type": "array", "items": {"type": "string"}},
            "languages_spoken": {"type": "array", "items": {"type": "string"}},
            "gemeinde": {"type": ["object", "null"]},
            "location": location,
            "organisation": {"type": "object"},
            "contact_email": {"type": "string"},
            "contact_phone": {"type": "string"},
            "website": {"type": "string"},
            "last_confirmed_at": NULLABLE_STRING,
            "is_demo": {"type": "boolean"},
            "distance_km": {"type": "number"},
        },
    }
    error = {
        "type": "object",
        "properties": {
            "error": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            }
        },
    }
    page = {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}}
    lang = _param("lang", "Sprache der Texte (Fallback Deutsch)", {"type": "string", "enum": languages})
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Teilhabe – Angebotsverzeichnis",
            "version": "1.0.0",
            "description": "Öffentliche, nur lesende Schnittstelle zu veröffentlichten Angeboten, "
            "Veranstaltungen und Organisationen.",
        },
        "servers": [{"url": settings.SITE_URL.rstrip("/") + "/api/v1/directory"}],
        "paths": {
            "/offers/": {
                "get": {
                    "operationId": "listOffers",
                    "summary": "Angebote suchen und filtern",
                    "parameters": [
                        _param("q", "Suchbegriff", {"type": "string", "maxLength": 100}),
                        _param("gemeinde", "AGS einer Gemeinde des Kreises", gemeinde_schema),
                        _param("typ", "Art", {"type": "string", "enum": OfferType.values}),
                        _param(
                            "sprache",
                            "gesprochene Sprache",
                            {"type": "string", "enum": [c for c, _n in SPOKEN_LANGUAGES]},
                        ),
                        _param("zielgruppe", "Zielgruppe", {"type": "string", "enum": TargetGroup.values}),
                        _param("kostenlos", "nur kostenlose", {"type": "boolean"}),
                        _param("barrierefrei", "nur stufenlose Orte", {"type": "boolean"}),
                        _param(
                            "lat",
                            "Breitengrad für Umkreissuche",
                            {"type": "number", "minimum": -90, "maximum": 90},
                        ),
                        _param("lon", "Längengrad", {"type": "number", "minimum": -180, "maximum": 180}),
                        _param("umkreis", "Radius in km", {"type": "string", "enum": ["5", "10", "20", "50"]}),
                        lang,
                        page,
                    ],
                    "responses": {
                        "200": {"description": "Trefferliste", **json_of(list_of(offer))},
                        "400": {"description": "ungültige Filter", **json_of(error)},
                        "404": {"description": "Seite existiert nicht", **json_of(error)},
                    },
                }
            },
            "/offers/{id}/": {
                "get": {
                    "operationId": "getOffer",
                    "summary": "Ein Angebot mit Übersetzungsstand",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                        lang,
                    ],
                    "responses": {
                        "200": {"description": "Angebot", **json_of(offer)},
                        "404": {"description": "nicht gefunden"},
                    },
                }
            },
            "/events/": {
                "get": {
                    "operationId": "listEvents",
                    "summary": "Veranstaltungen",
                    "parameters": [
                        _param("gemeinde", "AGS einer Gemeinde des Kreises", gemeinde_schema),
                        _param("typ", "Art", {"type": "string"}),
                        lang,
                        page,
                    ],
                    "responses": {
                        "200": {"description": "Liste", **json_of(list_of({"type": "object"}))},
                        "400": {"description": "ungültige Seite", **json_of(error)},
                        "404": {"description": "Seite existiert nicht", **json_of(error)},
                    },
                }
            },
            "/organisations/": {
                "get": {
                    "operationId": "listOrganisations",
                    "summary": "Öffentliche Steckbriefe",
                    "responses": {"200": {"description": "Liste", **json_of({"type": "object"})}},
                }
            },
            "/hsds.json": {
                "get": {
                    "operationId": "hsdsExport",
                    "summary": "Open Referral HSDS 3.0",
                    "responses": {"200": {"description": "HSDS-Dokument", **json_of({"type": "object"})}},
                }
            },
        },
    }
