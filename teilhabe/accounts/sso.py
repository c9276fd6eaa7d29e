"""Single sign-on for staff through the district's OpenID Connect provider (mozilla-django-oidc; decision 0024).

Flow: ``/konto/sso/`` → the IdP (authorization code flow with PKCE, state and nonce) → ``/konto/sso/rueckruf/``.
The library exchanges the code, verifies the ID token's signature (JWKS) and nonce; this module adds:

* issuer and audience checks of the ID token (the library checks neither);
* **account mapping without creation**: the account whose ``oidc_subject`` is the token's ``sub``; else the
  one active account whose e-mail equals the IdP's e-mail *and* the IdP says ``email_verified: true`` — the
  subject is then bound to it (audited). Nothing else logs in: no account, no role is ever created from a
  sign-on; roles stay what the platform's administrators granted;
* **second factor**: the session counts as verified (django-otp) only when the ID token asserts MFA —
  ``amr`` (RFC 8176) contains one of ``settings.OIDC_MFA_AMR`` or ``acr`` is one of ``settings.OIDC_MFA_ACR``.
  Otherwise the person continues to the platform's own TOTP step, exactly as after a password.

Errors: every refusal is an audit event (``auth.sso_refused`` with the reason) and a German message on the
login page; the reasons never contain the token.
"""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from teilhabe.accounts.models import IdentityProviderDevice, User
from teilhabe.audit.services import record

SSO_LOGIN = "auth.sso_login"
SSO_REFUSED = "auth.sso_refused"
SSO_LINKED = "user.sso_linked"


def mfa_asserted(claims: dict[str, Any]) -> bool:
    """True if the ID token says the IdP checked more than one factor (``amr``/``acr``, configured lists)."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if any(value in settings.OIDC_MFA_AMR for value in amr):
        return True
    return bool(settings.OIDC_MFA_ACR) and claims.get("acr") in settings.OIDC_MFA_ACR


def match_account(claims: dict[str, Any]) -> tuple[User | None, str]:
    """(account, reason). Subject first; verified e-mail only for accounts not yet bound to a subject."""
    subject = str(claims.get("sub") or "")
    if not subject:
        return None, "kein sub-Claim"
    bound = User.objects.filter(oidc_subject=subject).first()
    if bound is not None:
        return (bound, "subject") if bound.is_active else (None, "Konto gesperrt")
    email = str(claims.get("email") or "").strip()
    if not email:
        return None, "kein Konto mit diesem Subject, keine E-Mail"
    if claims.get("email_verified") is not True:
        return None, "E-Mail vom Verzeichnis nicht als bestätigt gemeldet"
    candidates = list(User.objects.filter(email__iexact=email, oidc_subject__isnull=True)[:2])
    if len(candidates) != 1:
        return None, "kein eindeutiges Konto mit dieser E-Mail" if candidates else "kein Konto mit dieser E-Mail"
    if not candidates[0].is_active:
        return None, "Konto gesperrt"
    return candidates[0], "email"


def _refuse(reason: str, claims: dict[str, Any]) -> None:
    record(
        SSO_REFUSED,
        username=str(claims.get("preferred_username") or claims.get("email") or "")[:150],
        object_type="accounts.user",
        purpose=reason,
        extra={"issuer": settings.OIDC_ISSUER},
    )


class StaffOIDCBackend(OIDCAuthenticationBackend):
    """The library's backend, limited to the callback, with issuer/audience checks and no account creation."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # Only the callback view passes a nonce; a password form with ?code=…&state=… must not reach the IdP.
        if not settings.SSO_ENABLED or request is None or "nonce" not in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except SuspiciousOperation as error:
            _refuse(f"Token ungültig: {error}", {})
            return None
        except requests.RequestException as error:  # IdP unreachable or the code was refused
            _refuse(f"Verzeichnisdienst: {error.__class__.__name__}", {})
            return None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss", "").rstrip("/") != settings.OIDC_ISSUER:
            raise SuspiciousOperation("Aussteller (iss) passt nicht")
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("Empfänger (aud) passt nicht")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):  # OIDC Core 5.3.2
            _refuse("sub von UserInfo und ID-Token verschieden", payload)
            return None
        claims = {**userinfo, **payload}  # the signed ID token wins
        user, how = match_account(claims)
        if user is None:
            _refuse(how, claims)
            return None
        if how == "email":
            with transaction.atomic():
                user.oidc_subject = str(claims["sub"])
                user.save(update_fields=["oidc_subject"])
                record(SSO_LINKED, actor=user, obj=user, object_repr=user.username, changed_fields=["oidc_subject"])
        user.sso_claims = {k: claims.get(k) for k in ("sub", "amr", "acr", "auth_time")}  # type: ignore[attr-defined]
        return user


class SSOStartView(OIDCAuthenticationRequestView):
    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.SSO_ENABLED:
            raise Http404
        return super().get(request)


class SSOCallbackView(OIDCAuthenticationCallbackView):
    """Logs in only with IdP-asserted MFA; otherwise hands over to the platform's second-factor step."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.SSO_ENABLED:
            raise Http404
        return super().get(request)

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _(
                "Die Anmeldung über das Dienstkonto ist nicht möglich. Es gibt kein passendes, aktives Konto "
                "oder der Verzeichnisdienst hat die Anmeldung nicht bestätigt."
            ),
        )
        return redirect("accounts:login")

    def login_success(self) -> HttpResponse:
        from teilhabe.accounts.views import finish_login, start_second_factor

        request, user = self.request, self.user
        claims: dict[str, Any] = getattr(user, "sso_claims", {})
        next_url = self.request.session.get("oidc_login_next") or "/staff/"
        if mfa_asserted(claims):
            device, _created = IdentityProviderDevice.objects.get_or_create(
                user=user, defaults={"name": "Verzeichnisdienst (MFA des IdP)", "confirmed": True}
            )
            finish_login(request, user, device, extra={"sso": True, "amr": claims.get("amr"), "acr": claims.get("acr")})
            record(SSO_LOGIN, actor=user, extra={"mfa": "idp", "amr": claims.get("amr"), "acr": claims.get("acr")})
            return HttpResponseRedirect(next_url)
        record(SSO_LOGIN, actor=user, extra={"mfa": "platform", "amr": claims.get("amr"), "acr": claims.get("acr")})
        return start_second_factor(request, user, next_url)
