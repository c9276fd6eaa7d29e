from __future__ import annotations

import time
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware
from django_otp.models import Device

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


class OTPMiddleware(BaseOTPMiddleware):
    """django-otp's middleware, reading the session's device with one fixed statement.

    On every request the device that verified the session is read from the database, as django-otp does: a
    deleted device (second factor reset) or an unconfirmed one ends the verification on the next request, and
    ``_finalize_device`` still checks that it belongs to the user. Only the query is cheaper (issue 17,
    decision 0176): the id, owner and confirmation are read by a fixed statement instead of a compiled
    queryset, and the returned device defers its other fields (loaded from the database on first access).
    """

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        persistent_id = self._normalize_persistent_id(persistent_id)
        try:
            model_label, device_id = persistent_id.rsplit("/", 1)
            model = apps.get_model(model_label)
            pk = int(device_id)
        except (ValueError, LookupError):
            return None
        if not issubclass(model, Device):
            return None
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT "id", "user_id", "confirmed" FROM {table} WHERE "id" = %s', [pk])  # noqa: S608
            row = cursor.fetchone()
        if row is None:
            return None
        return model.from_db(connection.alias, ["id", "user_id", "confirmed"], (row[0], row[1], bool(row[2])))
