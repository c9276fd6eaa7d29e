"""Self-service for a logged-in person: change the password, renew emergency codes."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.accounts import services
from teilhabe.accounts.access import AuthenticatedHttpRequest, staff_required
from teilhabe.audit.services import record


@staff_required()
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
    static = StaticDevice.objects.filter(user=request.user).first()
    remaining = static.token_set.count() if static else 0
    return render(request, "accounts/account.html", {"devices": devices, "remaining_codes": remaining})


@staff_required()
def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            record("auth.password_changed", actor=user, obj=user, object_repr=user.username)
        update_session_auth_hash(request, user)  # other sessions of this account end
        if user.email:
            # Tell the person, in case it was not them (DP-21).
            with translation.override(settings.LANGUAGE_CODE):
                transaction.on_commit(
                    lambda: send_mail(
                        _("Ihr Passwort wurde geändert"),
                        _(
                            "Das Passwort Ihres Teilhabe-Kontos %(user)s wurde soeben geändert. Waren Sie das nicht, "
                            "wenden Sie sich sofort an die Administration."
                        )
                        % {"user": user.username},
                        None,
                        [user.email],
                        fail_silently=True,
                    )
                )
        messages.success(request, _("Ihr Passwort wurde geändert."))
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})


@require_POST
@staff_required()
def backup_codes_renew(request: AuthenticatedHttpRequest) -> HttpResponse:
    codes = services.static_codes_create(acting_user=request.user, user=request.user, count=10)
    return render(request, "accounts/backup_codes.html", {"codes": codes})
