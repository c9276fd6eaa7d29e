from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from teilhabe.core.client import client_address
from teilhabe.core.request_context import RequestMeta, reset_request_meta, set_request_meta

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Gives every request an id (or accepts a sane one from the proxy) for logs and audit events."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_meta(RequestMeta(request_id=request_id, ip_address=client_address(request)))
        try:
            response = self.get_response(request)
        finally:
            reset_request_meta(token)
        response["X-Request-ID"] = request_id
        return response


class SecurityHeadersMiddleware:
    """CSP (no inline scripts), Permissions-Policy, and no caching of anything behind a login."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self), payment=()")
        user = getattr(request, "user", None)
        if request.path.startswith(("/staff/", "/konto/")) or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class StaffLanguageMiddleware:
    """The staff area exists in German and English only; other languages fall back to German there
    (a visitor who chose Arabic on the public site and then logs in gets a German, left-to-right UI)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path.startswith(("/staff/", "/konto/"))
            and translation.get_language() not in settings.STAFF_LANGUAGES
        ):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)


class MethodNotAllowedMiddleware:
    """A GET of an address that only takes a form submission explains itself instead of a blank 405 page.

    Every POST-only view (``require_POST``) answers a GET with an empty ``HttpResponseNotAllowed``; this turns
    it into a German page with a way back (the page that linked here, else the start page). Status stays 405.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or request.method not in ("GET", "HEAD") or response.content:
            return response
        from django.shortcuts import render
        from django.utils.http import url_has_allowed_host_and_scheme

        back = request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = ""
        if not back:
            back = "/staff/" if request.path.startswith("/staff/") else "/"
        page = render(request, "errors/405.html", {"back": back}, status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
