"""Generic error pages: no stack traces, no version banners (DP-36)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template import loader


def _render(request: HttpRequest, status: int) -> HttpResponse:
    body: str
    try:
        body = loader.render_to_string(f"errors/{status}.html", {"status": status}, request)
    except Exception:  # an error page must never fail itself
        body = f'<!DOCTYPE html><html lang="de"><title>Fehler {status}</title><h1>Fehler {status}</h1></html>'
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Any) -> HttpResponse:
    return _render(request, 400)


def permission_denied(request: HttpRequest, exception: Any) -> HttpResponse:
    return _render(request, 403)


def page_not_found(request: HttpRequest, exception: Any) -> HttpResponse:
    return _render(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _render(request, 500)
