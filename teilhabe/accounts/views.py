"""Login with password *and* second factor. A password alone never yields an authenticated session:
the user is only logged in (``django.contrib.auth.login``) after the TOTP or emergency code is checked."""

from __future__ import annotations

import base64
import time
from typing import Any

import qrcode
import qrcode.image.svg
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.accounts.forms import LoginForm, TokenForm
from teilhabe.accounts.models import User
from teilhabe.audit.services import Action, record

PENDING_USER = "mfa_pending_user_id"
PENDING_SINCE = "mfa_pending_since"
PENDING_NEXT = "mfa_pending_next"
PENDING_FAILURES = "mfa_pending_failures"
# The second factor must follow the password within this many seconds and after at most 5 wrong codes.
PENDING_MAX_AGE = 300
PENDING_MAX_FAILURES = 5
BACKEND = "teilhabe.accounts.backends.ModelBackend"  # Django's, with a fixed statement (decision 0176)


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/staff/"


def _pending_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(PENDING_USER)
    since = request.session.get(PENDING_SINCE, 0)
    if not user_id or time.time() - since > PENDING_MAX_AGE:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def _clear_pending(request: HttpRequest) -> None:
    for key in (PENDING_USER, PENDING_SINCE, PENDING_NEXT, PENDING_FAILURES):
        request.session.pop(key, None)


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and getattr(request.user, "is_verified", lambda: False)():
        return redirect("staff:home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if user is not None:
            return start_second_factor(request, user, _safe_next(request, request.GET.get("next")))
        form.add_error(None, _("Benutzername oder Passwort ist falsch."))
    return render(request, "accounts/login.html", {"form": form, "sso_enabled": settings.SSO_ENABLED})


def start_second_factor(request: HttpRequest, user: User, next_url: str) -> HttpResponseRedirect:
    """The first factor is done (password, or a single sign-on without MFA): remember the pending user and
    continue to the code step (or to the enrolment of the authenticator app at the first login)."""
    # New session id before anything is stored for this user (session fixation).
    request.session.cycle_key()
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_SINCE] = time.time()
    request.session[PENDING_NEXT] = next_url
    request.session[PENDING_FAILURES] = 0
    has_device = (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or StaticDevice.objects.filter(user=user, confirmed=True, token_set__isnull=False).exists()
    )
    return redirect("accounts:otp" if has_device else "accounts:enroll")


def finish_login(request: HttpRequest, user: User, device: Any, extra: dict[str, Any] | None = None) -> None:
    """Both factors are checked (``device``: TOTP, emergency code, or the IdP's asserted MFA): log in."""
    _clear_pending(request)
    login(request, user, backend=BACKEND)
    otp_login(request, device)
    request.session["auth_started_at"] = time.time()
    record(Action.MFA_VERIFIED, actor=user, extra={"device": device.__class__.__name__, **(extra or {})})


def _finish_login(request: HttpRequest, user: User, device: Any) -> HttpResponseRedirect:
    next_url = request.session.get(PENDING_NEXT) or "/staff/"
    finish_login(request, user, device)
    return redirect(next_url)


def _token_failed(request: HttpRequest, user: User) -> bool:
    """Count a wrong code; returns True when the login attempt is used up."""
    failures = request.session.get(PENDING_FAILURES, 0) + 1
    request.session[PENDING_FAILURES] = failures
    record(
        Action.MFA_FAILED,
        actor=None,
        username=user.username,
        object_type="accounts.user",
        object_id=user.pk,
        object_repr=user.username,
        extra={"failures": failures},
    )
    return failures >= PENDING_MAX_FAILURES


def otp_view(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        # Nothing is changed on GET: a fully logged-in user who opens this page goes to the staff area.
        if request.user.is_authenticated and getattr(request.user, "is_verified", lambda: False)():
            return redirect("staff:home")
        messages.info(request, _("Bitte melden Sie sich mit Benutzername und Passwort an."))
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        with transaction.atomic():
            devices: list[Any] = [
                *TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True),
                *StaticDevice.objects.select_for_update().filter(user=user, confirmed=True),
            ]
            device = next((d for d in devices if d.verify_token(token)), None)
        if device is not None:
            return _finish_login(request, user, device)
        if _token_failed(request, user):
            _clear_pending(request)
            messages.error(request, _("Zu viele falsche Codes. Bitte melden Sie sich erneut an."))
            return redirect("accounts:login")
        form.add_error("token", _("Der Code ist falsch, abgelaufen oder wurde bereits verwendet."))
    return render(request, "accounts/otp.html", {"form": form, "pending_user": user})


def enroll_view(request: HttpRequest) -> HttpResponse:
    """First login: set up the authenticator app. Only reachable right after a correct password."""
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:otp")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-App", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            record(Action.MFA_ENROLLED, actor=user, obj=user, object_repr=user.username)
            messages.success(request, _("Der zweite Faktor ist eingerichtet."))
            return _finish_login(request, user, device)
        if _token_failed(request, user):
            _clear_pending(request)
            return redirect("accounts:login")
        form.add_error(
            "token", _("Der Code passt nicht. Prüfen Sie die Uhrzeit Ihres Geräts und versuchen Sie es erneut.")
        )
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    qr_svg = image.to_string(encoding="unicode")
    secret_b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request, "accounts/enroll.html", {"form": form, "qr_svg": qr_svg, "secret": secret_b32, "pending_user": user}
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    # The user_logged_out signal writes the audit event; logout() flushes the server-side session.
    logout(request)
    messages.info(request, _("Sie sind abgemeldet."))
    return redirect("core:home")


def lockout(request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """Response for django-axes when an account is locked after too many failed logins."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    record(
        Action.LOCKED_OUT, username=str(username)[:150], object_type="accounts.user", object_repr=str(username)[:150]
    )
    minutes = int(get_cool_off(request).total_seconds() // 60)
    return render(request, "accounts/locked.html", {"minutes": minutes}, status=429)
