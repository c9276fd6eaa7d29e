from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from teilhabe.audit.services import Action, record


class SessionLifetimeMiddleware:
    """Ends a session after its absolute lifetime, however active it was (DP-23), and slides its idle timeout.

    The idle timeout is the session's expiry in the session store (``SESSION_COOKIE_AGE``); an expired
    session is gone on the server too. Activity renews it, but at most once per
    ``SESSION_RENEW_SECONDS`` (60): saving the session on every request was a database write and commit on
    every staff page (issue 17), and the timeout then ends between 29 and 30 minutes after the last request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.get("auth_started_at")
            if started is None or now - float(started) > settings.SESSION_ABSOLUTE_LIFETIME:
                record(Action.SESSION_EXPIRED, actor=user, extra={"reason": "absolute_lifetime"})
                logout(request)
                messages.info(request, _("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an."))
                return redirect_to_login(request.get_full_path())
            renewed = float(request.session.get("renewed_at") or 0)
            if not 0 <= now - renewed < settings.SESSION_RENEW_SECONDS:
                request.session["renewed_at"] = now  # modified: saved with a fresh expiry
        return self.get_response(request)
