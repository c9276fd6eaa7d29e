"""Access around the records: the pseudonymous cohort store, API tokens, data-subject access requests and AZR
authorisations."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from teilhabe.registry.models.cases import Case
from teilhabe.registry.models.protection import PII, N

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from teilhabe.accounts.models import User

__all__ = [
    "AccessRequest",
    "AccessRequestQuerySet",
    "ApiToken",
    "AzrAuthorisation",
    "AzrAuthorisationQuerySet",
    "CohortRecord",
]


class CohortRecord(models.Model):
    """Pseudonymised analytics store for cohort figures (DP-41): no names, no birth dates, coarse arrival
    (year and quarter), durations in days/months. Rebuilt by ``manage.py registry_cohort_extract``;
    restricted (Art. 18) and erased records are left out because the table is rebuilt from scratch."""

    PROTECTION: ClassVar[dict[str, str]] = {
        "id": N,
        "pseudonym": PII,
        "owner_kind": N,
        "gemeinde_ags": PII,
        "arrival_year": PII,
        "arrival_quarter": PII,
        "days_to_course_start": PII,
        "b1_within_24_months": PII,
        "employed_within_36_months": PII,
        "months_in_shared_accommodation": PII,
        "extracted_at": N,
    }

    # Keyed hash (settings.PSEUDONYM_KEY) of organisation and case id: stable across extracts, not
    # reversible without the key, and deliberately not linkable across organisations.
    pseudonym = models.CharField(max_length=64, unique=True)
    owner_kind = models.CharField(max_length=30)
    gemeinde_ags = models.CharField(max_length=8, blank=True)
    arrival_year = models.PositiveSmallIntegerField()
    arrival_quarter = models.PositiveSmallIntegerField()
    days_to_course_start = models.PositiveIntegerField(null=True)
    b1_within_24_months = models.BooleanField(null=True)  # None: not yet 24 months since arrival
    employed_within_36_months = models.BooleanField(null=True)
    months_in_shared_accommodation = models.PositiveIntegerField(null=True)
    extracted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("Kohortendatensatz (pseudonymisiert)")
        verbose_name_plural = _("Kohortendatensätze (pseudonymisiert)")

    def __str__(self) -> str:
        return f"Kohorte {self.arrival_year}/Q{self.arrival_quarter}"


class ApiToken(models.Model):
    """Personal API token for agency systems (issue #7 item 9). Created only in an MFA-verified staff session,
    stored as SHA-256, expires, and stops working when the account is locked or loses its second factor."""

    PROTECTION: ClassVar[dict[str, str]] = {
        "id": N,
        "user": N,
        "name": N,
        "token_hash": N,
        "prefix": N,
        "created_at": N,
        "expires_at": N,
        "last_used_at": N,
        "revoked_at": N,
    }

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kiim_tokens")
    name = models.CharField(_("Bezeichnung"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("gültig bis"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-Zugang")
        verbose_name_plural = _("API-Zugänge")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"


class AccessRequestQuerySet(models.QuerySet["AccessRequest"]):
    def visible_to(self, user: User | AnonymousUser) -> AccessRequestQuerySet:
        from teilhabe.accounts.access import organisation_ids_with

        if not user.is_authenticated:
            return self.none()
        return self.filter(owner_id__in=organisation_ids_with(user, "case.restrict"))

    def open(self) -> AccessRequestQuerySet:
        return self.filter(answered_at__isnull=True)


class AccessRequest(models.Model):
    """An Art. 15 request with its deadline: one month, extendable by two (Art. 12(3) DSGVO)."""

    PROTECTION: ClassVar[dict[str, str]] = {
        "id": N,
        "owner": N,
        "case": N,
        "received_on": N,
        "due_on": N,
        "extended": N,
        "answered_at": N,
        "created_by": N,
        "created_at": N,
    }

    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, null=True, on_delete=models.SET_NULL, related_name="access_requests")
    received_on = models.DateField(_("eingegangen am"))
    due_on = models.DateField(_("zu beantworten bis"))
    extended = models.BooleanField(_("Frist um zwei Monate verlängert"), default=False)
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AccessRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("Auskunftsersuchen")
        verbose_name_plural = _("Auskunftsersuchen")

    def __str__(self) -> str:
        return f"Auskunftsersuchen {self.pk}"


class AzrAuthorisationQuerySet(models.QuerySet["AzrAuthorisation"]):
    def active(self) -> AzrAuthorisationQuerySet:
        return self.filter(revoked_at__isnull=True, membership__is_active=True)


class AzrAuthorisation(models.Model):
    """Individual authorisation of one membership to see AZR-derived data (DP-28, AZRG § 3/§ 18d: only staff
    "besonders ermächtigt"). Granted and revoked by a second person; a revoked row stays as evidence."""

    PROTECTION: ClassVar[dict[str, str]] = {
        "id": N,
        "membership": N,
        "granted_by": N,
        "granted_at": N,
        "reason": N,
        "revoked_by": N,
        "revoked_at": N,
    }

    membership = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(_("erteilt am"))
    reason = models.CharField(_("Anlass der Ermächtigung"), max_length=200)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    objects = AzrAuthorisationQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"], condition=Q(revoked_at__isnull=True), name="one_active_azr_authorisation"
            ),
        ]
        verbose_name = _("AZR-Ermächtigung")
        verbose_name_plural = _("AZR-Ermächtigungen")

    def __str__(self) -> str:
        return f"AZR-Ermächtigung {self.pk}"
