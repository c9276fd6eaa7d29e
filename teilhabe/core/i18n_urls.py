"""Language in the address: ``/ar/angebote/1/`` for every public language, German without a prefix.

``i18n_patterns(prefix_default_language=False)`` keeps every German address exactly as it was. Django's
own LocaleMiddleware would then force German on every unprefixed address; :class:`LocaleMiddleware` keeps
the earlier order for those (cookie, then browser) so a visitor's choice still holds where an address has
no prefix (staff area, login, API). Switching is a plain link per language (:func:`switch_language`):
it stores the choice in the language cookie and goes to the same page in that language.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import URLResolver, translate_url
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

PUBLIC_LANGUAGES = [code for code, _name in settings.LANGUAGES]


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Prefix first (``/en/…``), else cookie, else Accept-Language, else German."""

    def process_request(self, request: HttpRequest) -> None:
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        i18n_patterns_used, _prefixed_default = is_language_prefix_patterns_used(urlconf)
        language = translation.get_language_from_request(request, check_path=i18n_patterns_used)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def language_url(path: str, code: str) -> str:
    """The same page in ``code`` (``/angebote/1/`` → ``/ar/angebote/1/``, query string kept); the path itself if
    not public. A prefixed path is read in its own language (``/ar/…`` resolves only in Arabic), whatever
    language is active: the switch back from ``/ar/monitoring/`` to German is ``/monitoring/``."""
    source = translation.get_language_from_path(urlsplit(path).path)
    if source and source != translation.get_language():
        with translation.override(source):
            return translate_url(path, code)
    return translate_url(path, code)


@require_GET
def switch_language(request: HttpRequest, code: str) -> HttpResponse:
    """Remember ``code`` in the language cookie and show ``next`` (a local path) in that language."""
    if code not in PUBLIC_LANGUAGES:
        code = settings.LANGUAGE_CODE
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    response = HttpResponseRedirect(language_url(target, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


class PublicLocalePrefixPattern(LocalePrefixPattern):
    """Language prefix of the public pages: ``/ar/…`` in Arabic; unprefixed addresses answer in every
    language (German by default, or the visitor's stored choice), so existing German links keep working."""

    def match(self, path: str) -> tuple[str, tuple[Any, ...], dict[str, Any]] | None:
        prefix = self.language_prefix
        if prefix and path.startswith(prefix):
            return path.removeprefix(prefix), (), {}
        if translation.get_language_from_path("/" + path) is None:
            return path, (), {}
        return None


def public_patterns(*urls: Any) -> list[URLResolver]:
    """Like ``i18n_patterns(..., prefix_default_language=False)``, with :class:`PublicLocalePrefixPattern`."""
    return [URLResolver(PublicLocalePrefixPattern(prefix_default_language=False), list(urls))]
