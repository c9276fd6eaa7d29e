"""Personal, expiring enrolment links: a new account sets its own password and second factor (issue 10).

``invitation_send`` stores only a hash of a random token and e-mails the link to the account's own address;
the administrator who created the account never sees the link, the password or the TOTP secret.
``enrol`` (GET shows, POST sets) redeems it once, before ``expires_at`` (``TEILHABE_INVITATION_DAYS``,
default 7 days).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import timedelta
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.accounts.models import Invitation, User
from teilhabe.audit.services import Action, record


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_send(*, acting_user: User | None, user: User) -> Invitation:
    """Create the link and e-mail it to ``user.email`` (required). Earlier open links of the user expire."""
    if not user.email:
        raise PermissionDenied(_("Für die Einladung ist eine E-Mail-Adresse nötig (accounts.invitation_no_email)."))
    now = timezone.now()
    Invitation.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    days = settings.TEILHABE_INVITATION_DAYS
    invitation = Invitation.objects.create(
        user=user, token_hash=_hash(token), created_by=acting_user, expires_at=now + timedelta(days=days)
    )
    # The authenticator secret is created now, so that opening the link (GET) changes nothing.
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    TOTPDevice.objects.create(user=user, name="Authenticator-App", confirmed=False)
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:enrol", kwargs={"token": token})
    body = _(
        "Guten Tag,\n\nfür Sie wurde ein persönliches Konto „%(username)s“ in Teilhabe angelegt. Bitte legen Sie "
        "über diesen Link Ihr Passwort und Ihren zweiten Faktor selbst fest (gültig bis %(until)s):\n\n%(link)s\n\n"
        "Der Link gilt nur einmal. Geben Sie ihn nicht weiter."
    ) % {"username": user.username, "until": invitation.expires_at.strftime("%d.%m.%Y %H:%M"), "link": link}
    address = user.email
    transaction.on_commit(lambda: send_mail(_("Ihr Zugang zu Teilhabe"), body, None, [address]))
    record(
        "auth.invitation_sent",
        actor=acting_user,
        obj=user,
        object_repr=user.username,
        extra={"expires_at": invitation.expires_at.isoformat()},
    )
    return invitation


def open_invitation(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("user")
        .filter(token_hash=_hash(token), used_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )


class EnrolForm(forms.Form):
    password1 = forms.CharField(
        label=gettext_lazy("Neues Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("Mindestens 12 Zeichen."),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Passwort wiederholen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    token = forms.CharField(
        label=gettext_lazy("Einmalcode aus der Authenticator-App"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Die beiden Passwörter stimmen nicht überein."))
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


@transaction.atomic
def enrol_complete(*, invitation: Invitation, password: str, device: TOTPDevice) -> None:
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    record(Action.MFA_ENROLLED, actor=user, obj=user, object_repr=user.username, extra={"via": "invitation"})


def enrol(request: HttpRequest, token: str) -> HttpResponse:
    """Set password and second factor with a personal link. GET only shows the page."""
    invitation = open_invitation(token)
    if invitation is None:
        raise Http404
    user = invitation.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise Http404
    form = EnrolForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].replace(" ", "")):
            enrol_complete(invitation=invitation, password=form.cleaned_data["password1"], device=device)
            messages.success(request, _("Passwort und zweiter Faktor sind eingerichtet. Bitte melden Sie sich an."))
            return redirect("accounts:login")
        form.add_error("token", _("Der Code passt nicht. Prüfen Sie die Uhrzeit Ihres Geräts."))
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return render(
        request,
        "accounts/enrol_invitation.html",
        {
            "form": form,
            "qr_svg": image.to_string(encoding="unicode"),
            "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
            "invited_user": user,
        },
    )
