"""The one API layer: Django REST framework views with drf-spectacular generating the OpenAPI documents
from the same serializers that write the responses (decision 0040).

- One error shape everywhere: ``{"error": {"code": "...", "message": "..."}}`` with the HTTP status
  (``exception_handler``; ``ApiError`` for our own codes).
- ``schema_view(patterns, title=…)`` serves an OpenAPI 3 document for one API as ``application/json``.
- ``query(serializer_class, request, codes)`` validates query parameters and maps a field's error to the
  stable code of that parameter (``invalid_level`` …).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class ApiError(exceptions.APIException):
    """An error with our own stable ``code`` and a German ``message``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status
        self.error_code = code


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """``{"error": {"code": "not_found", "message": "…"}}``"""

    error = ErrorDetailSerializer()


_DEFAULT_CODES = {
    404: ("not_found", "Nicht gefunden."),
    405: ("method_not_allowed", "Methode nicht erlaubt."),
    401: ("not_authenticated", "Anmeldung erforderlich."),
    403: ("forbidden", "Keine Berechtigung."),
    406: ("not_acceptable", "Nur JSON wird geliefert."),
    429: ("throttled", "Zu viele Anfragen."),
}


def error_response(status: int, code: str, message: str) -> Response:
    return Response({"error": {"code": code, "message": message}}, status=status)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if getattr(exc, "error_code", None):
        code, message = exc.error_code, str(exc.detail)  # type: ignore[attr-defined]
    elif isinstance(exc, exceptions.ValidationError):
        code, message = "invalid", "; ".join(_messages(exc.detail))
    else:
        code, message = _DEFAULT_CODES.get(response.status_code, ("error", str(getattr(exc, "detail", exc))))
    response.data = {"error": {"code": code, "message": message}}
    return response


def _messages(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [f"{k}: {m}" for k, v in detail.items() for m in _messages(v)]
    if isinstance(detail, list):
        return [m for item in detail for m in _messages(item)]
    return [str(detail)]


def query(serializer_class: type[serializers.Serializer], request: Any, codes: dict[str, tuple[str, str]]) -> dict:
    """Validated query parameters; the first invalid one raises ``ApiError(400, code, message)``."""
    serializer = serializer_class(data=request.query_params)
    if not serializer.is_valid():
        for name in serializer.errors:
            code, message = codes.get(name, ("invalid_parameter", f"Ungültiger Parameter {name}."))
            raise ApiError(400, code, message)
    return dict(serializer.validated_data)


class JsonOpenApiRenderer(OpenApiJsonRenderer):
    media_type = "application/json"


def schema_view(patterns: list[Any], *, title: str, description: str = "", **settings: Any) -> Any:
    """``settings``: further drf-spectacular settings for this document (e.g. ``SCHEMA_COERCE_PATH_PK``)."""
    return SpectacularAPIView.as_view(
        patterns=patterns,
        renderer_classes=[JsonOpenApiRenderer],
        custom_settings={"TITLE": title, "DESCRIPTION": description, "VERSION": "1.0.0", **settings},
    )
