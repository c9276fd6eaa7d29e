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
    """Ends a session after its absolute lifetime, however active it was (DP-23).

    The idle timeout is the session cookie age, renewed on every request (SESSION_SAVE_EVERY_REQUEST);
    an expired session is gone on the server too, because the database session has expired.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get("auth_started_at")
            if started is None or time.time() - float(started) > settings.SESSION_ABSOLUTE_LIFETIME:
                record(Action.SESSION_EXPIRED, actor=user, extra={"reason": "absolute_lifetime"})
                logout(request)
                messages.info(request, _("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
