from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from teilhabe.accounts.models import Membership, Organisation, User
from teilhabe.accounts.roles import Role


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Benutzername"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Passwort"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Einmalcode"),
        max_length=16,
        help_text=_("Sechsstelliger Code aus Ihrer Authenticator-App oder ein Notfall-Code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].replace(" ", "").strip()


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "gemeinden", "email", "phone", "website", "address", "is_active"]
        widgets = {"gemeinden": forms.SelectMultiple(attrs={"size": 12})}

    def __init__(self, *args: Any, gemeinden_queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if gemeinden_queryset is not None:
            self.fields["gemeinden"].queryset = gemeinden_queryset  # type: ignore[attr-defined]


class NewMemberForm(forms.Form):
    """Add a person to an organisation: an existing account by user name, or a new one."""

    username = forms.CharField(label=_("Benutzername"), max_length=150)
    first_name = forms.CharField(label=_("Vorname"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nachname"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-Mail"),
        required=False,
        help_text=_(
            "Neue Konten erhalten an diese Adresse einen persönlichen, befristeten Link; Passwort und zweiten "
            "Faktor legt die Person selbst fest."
        ),
    )
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices)

    def __init__(self, *args: Any, allowed_roles: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allowed_roles is not None:
            self.fields["role"].choices = allowed_roles  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        username = data.get("username", "")
        existing = User.objects.filter(username=username).first()
        if existing is None and not data.get("email"):
            self.add_error(
                "email",
                _("Für ein neues Konto ist die dienstliche E-Mail-Adresse nötig: dorthin geht der persönliche Link."),
            )
        data["existing_user"] = existing
        return data


class MembershipRoleForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "is_active"]
