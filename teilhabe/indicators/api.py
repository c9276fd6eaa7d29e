"""JSON API /api/v1/indicators/…: published indicators and their disclosure-controlled values.

One error shape everywhere: ``{"error": {"code": "...", "message": "..."}}`` with the HTTP status.
The OpenAPI document is written by hand (``openapi_schema``) and served at /api/v1/schema/.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from teilhabe.indicators import dashboard
from teilhabe.indicators.models import Indicator, IndicatorValue, Level
from teilhabe.lib.disclosure import SUPPRESSED_MARK


def error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def _indicator_json(ind: Indicator) -> dict[str, Any]:
    return {
        "code": ind.code,
        "name": {"de": ind.name_de, "en": ind.name_en},
        "theme": ind.theme,
        "kind": ind.kind,
        "unit": ind.unit,
        "multiplier": ind.multiplier,
        "definition": ind.definition,
        "sources": ind.sources,
        "disaggregations": ind.disaggregations,
        "migration_definition": ind.migration_definition,
        "anchor": ind.anchor,
        "caveats": ind.caveats,
        "is_custom": ind.is_custom,
        "categories": [
            {
                "code": c.code,
                "name": {"de": c.name_de, "en": c.name_en},
                "numerator": [str(t) for t in c.numerator],
                "denominator": [str(t) for t in c.denominator],
            }
            for c in ind.category_list()
        ],
        "disclosure": {"method": ind.disclosure_method, "min_count": ind.k},
    }


@require_GET
def indicator_list(request: HttpRequest) -> JsonResponse:
    items = [_indicator_json(i) for i in Indicator.objects.published().order_by("theme", "code")]
    return JsonResponse({"count": len(items), "results": items})


def _published(code: str) -> Indicator | None:
    return Indicator.objects.published().filter(code=code).first()


@require_GET
def indicator_detail(request: HttpRequest, code: str) -> JsonResponse:
    ind = _published(code)
    if ind is None:
        return error(404, "not_found", "Indikator nicht gefunden oder nicht veröffentlicht.")
    return JsonResponse(_indicator_json(ind))


@require_GET
def indicator_values(request: HttpRequest, code: str) -> JsonResponse:
    ind = _published(code)
    if ind is None:
        return error(404, "not_found", "Indikator nicht gefunden oder nicht veröffentlicht.")
    rows = IndicatorValue.objects.filter(indicator=ind).order_by("category", "level", "region", "year")
    level = request.GET.get("level")
    if level:
        if level not in Level.values:
            return error(400, "invalid_level", "level muss gemeinde, planungsraum oder kreis sein.")
        rows = rows.filter(level=level)
    year = request.GET.get("year")
    if year:
        if not year.isdigit():
            return error(400, "invalid_year", "year muss eine Jahreszahl sein.")
        rows = rows.filter(year=int(year))
    k = ind.k
    results = [
        {
            "category": r.category,
            "level": r.level,
            "region": r.region,
            "year": r.year,
            "value": r.published_value,
            "numerator": r.published_numerator,
            "denominator": r.published_denominator,
            "suppressed": bool(r.suppression),
            "suppression": r.suppression,
            "mark": SUPPRESSED_MARK if r.suppression else "",
            "explanation": dashboard.suppression_text(r.suppression, k),
            "sources": r.sources,
            "is_synthetic": r.is_synthetic,
            "computed_at": r.computed_at.isoformat(),
        }
        for r in rows
    ]
    return JsonResponse({"indicator": ind.code, "unit": ind.unit, "count": len(results), "results": results})


_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}
_NAME = {"type": "object", "properties": {"de": {"type": "string"}, "en": {"type": "string"}}}
_INDICATOR = {
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "name": _NAME,
        "theme": {"type": "string", "enum": list("ABCDEFGHI")},
        "kind": {"type": "string", "enum": ["rate", "count", "dissimilarity", "magnitude"]},
        "unit": {"type": "string"},
        "multiplier": {"type": "number"},
        "definition": {"type": "string"},
        "sources": {"type": "array", "items": {"type": "string"}},
        "disaggregations": {"type": "object"},
        "migration_definition": {"type": "string"},
        "anchor": {"type": "string"},
        "caveats": {"type": "string"},
        "is_custom": {"type": "boolean"},
        "categories": {"type": "array", "items": {"type": "object"}},
        "disclosure": {
            "type": "object",
            "properties": {"method": {"type": "string"}, "min_count": {"type": "integer"}},
        },
    },
}
_VALUE = {
    "type": "object",
    "properties": {
        "category": {"type": "string"},
        "level": {"type": "string", "enum": ["gemeinde", "planungsraum", "kreis"]},
        "region": {"type": "string"},
        "year": {"type": "integer"},
        "value": {"type": ["number", "null"]},
        "numerator": {"type": ["number", "null"]},
        "denominator": {"type": ["number", "null"]},
        "suppressed": {"type": "boolean"},
        "suppression": {"type": "string"},
        "mark": {"type": "string"},
        "explanation": {"type": "string"},
        "sources": {"type": "array", "items": {"type": "string"}},
        "is_synthetic": {"type": "boolean"},
        "computed_at": {"type": "string", "format": "date-time"},
    },
}


def _error_responses(*codes: int) -> dict[str, Any]:
    return {
        str(c): {
            "description": "Fehler",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for c in codes
    }


def openapi_schema() -> dict[str, Any]:
    code_param = {
        "name": "code",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "example": "DEM-01",
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Teilhabe – Integrationsmonitoring",
            "version": "1",
            "description": "Veröffentlichte Indikatoren mit statistischer Geheimhaltung. Gesperrte Werte "
            "haben value = null, suppressed = true und eine Erklärung.",
        },
        "paths": {
            "/api/v1/indicators/": {
                "get": {
                    "summary": "Veröffentlichte Indikatoren",
                    "responses": {
                        "200": {
                            "description": "Liste",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "count": {"type": "integer"},
                                            "results": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Indicator"},
                                            },
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
            "/api/v1/indicators/{code}/": {
                "get": {
                    "summary": "Ein Indikator",
                    "parameters": [code_param],
                    "responses": {
                        "200": {
                            "description": "Indikator",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Indicator"}}},
                        },
                        **_error_responses(404),
                    },
                }
            },
            "/api/v1/indicators/{code}/values/": {
                "get": {
                    "summary": "Werte eines Indikators",
                    "parameters": [
                        code_param,
                        {
                            "name": "level",
                            "in": "query",
                            "schema": {"type": "string", "enum": ["gemeinde", "planungsraum", "kreis"]},
                        },
                        {"name": "year", "in": "query", "schema": {"type": "integer"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "Werte",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "indicator": {"type": "string"},
                                            "unit": {"type": "string"},
                                            "count": {"type": "integer"},
                                            "results": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Value"},
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        **_error_responses(400, 404),
                    },
                }
            },
        },
        "components": {"schemas": {"Error": _ERROR, "Indicator": _INDICATOR, "Value": _VALUE}},
    }


@require_GET
def schema(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_schema(), json_dumps_params={"ensure_ascii": False})


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    return error(404, "not_found", "Unbekannter API-Pfad.")
