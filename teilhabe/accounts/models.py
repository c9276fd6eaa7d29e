from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from teilhabe.accounts.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class OrganisationKind(models.TextChoices):
    LANDKREIS = "landkreis", _("Landkreis (Amt/Stabsstelle)")
    GEMEINDE = "gemeinde", _("Gemeinde/Stadt/Amt")
    AUSLAENDERBEHOERDE = "abh", _("Ausländerbehörde")
    JOBCENTER = "jobcenter", _("Jobcenter")
    SOZIALAMT = "sozialamt", _("Sozialamt")
    JUGENDAMT = "jugendamt", _("Jugendamt")
    MIGRATIONSBERATUNG = "migrationsberatung", _("Migrationsberatung (MBE/JMD)")
    KURSTRAEGER = "kurstraeger", _("Kursträger")
    VEREIN = "verein", _("Verein / Migrantenorganisation")
    SONSTIGE = "sonstige", _("Sonstige")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: User | AnonymousUser) -> OrganisationQuerySet:
        """Organisations a staff user may see in the staff area: all for district administrators,
        otherwise the ones they are a member of."""
        from teilhabe.accounts.access import has_district_permission

        if not user.is_authenticated:
            return self.none()
        if has_district_permission(user, "organisations.manage"):
            return self.all()
        return self.filter(memberships__user=user, memberships__is_active=True).distinct()


class Organisation(models.Model):
    name = models.CharField(_("Name"), max_length=200, unique=True)
    short_name = models.CharField(_("Kurzname"), max_length=60, blank=True)
    kind = models.CharField(_("Art"), max_length=30, choices=OrganisationKind.choices)
    gemeinden = models.ManyToManyField(
        "regions.Gemeinde", verbose_name=_("Zuständig für Gemeinden"), blank=True, related_name="organisations"
    )
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    website = models.URLField(_("Website"), blank=True)
    address = models.CharField(_("Anschrift"), max_length=250, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):  # type: ignore[django-manager-missing]  # IdentityProviderDevice.user (django-otp)
    """A person with a personal account (no shared accounts, DP-27)."""

    email = models.EmailField(_("E-Mail"), blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    # Who created the account (separation of duties: never the second pair of eyes for its creator).
    created_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("angelegt von")
    )
    # The district directory's subject (OIDC ``sub``) once the account signed on through it (decision 0024).
    oidc_subject = models.CharField(
        _("Kennung im Verzeichnisdienst"), max_length=255, null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("Benutzerkonto")
        verbose_name_plural = _("Benutzerkonten")

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("Rolle"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A role that opens person data takes effect only after a second person confirms the grant.
    pending = models.BooleanField(_("wartet auf Bestätigung"), default=False)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("erteilt von")
    )
    confirmed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("bestätigt von")
    )
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership_role"),
            models.CheckConstraint(
                condition=~models.Q(granted_by=models.F("user")), name="membership_not_self_granted"
            ),
            models.CheckConstraint(
                condition=~models.Q(confirmed_by=models.F("granted_by")), name="membership_confirmed_by_second"
            ),
        ]
        ordering = ["organisation__name", "role"]
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")

    def __str__(self) -> str:
        return f"{self.user.username} – {self.organisation} ({self.get_role_display()})"


class Invitation(models.Model):
    """A personal, expiring link with which a new account sets its own password and second factor.

    Only a SHA-256 hash of the token is stored; the link goes to the person's e-mail address, never to
    the administrator who created the account."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("gültig bis"))
    used_at = models.DateTimeField(_("eingelöst am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")

    def __str__(self) -> str:
        return f"Einladung {self.user.username}"


class IdentityProviderDevice(Device):
    """Stands for the second factor the district's IdP checked (ID token ``amr``/``acr``, decision 0024).

    django-otp marks a session verified through a device; this one is only ever attached by the SSO callback
    after the IdP asserted MFA. It accepts no code, so it cannot replace TOTP at the password login."""

    class Meta:
        verbose_name = _("Zweiter Faktor des Verzeichnisdienstes")

    def verify_token(self, token: object) -> bool:
        return False
