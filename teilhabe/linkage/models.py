"""Link keys, review decisions and merges (issue 11). No model here copies a field value of another
organisation: a cross-organisation link holds only the recipient's own case id and the id of the received
transmission (the link key); everything shown for review comes from the recipient's own records or from the
copy it lawfully received (``Transmission.snapshot``).
"""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

N, PII = "none", "pii"


def new_person_key() -> str:
    return secrets.token_hex(8)


class SearchKey(models.Model):
    """Normalised keys of one case for search and blocking (``t:`` folded token, ``s:`` consonant skeleton,
    ``p:`` phonetic key, ``a:`` keyed hash of the AZR number, ``x:`` keyed hash of an agency id).
    Maintained on every save of a case (``linkage.keys``). ``owner`` repeats the case's organisation so that
    a search reads one index range per key and organisation (``owner, key, case``) without touching the
    case table (decision 0032)."""

    PROTECTION: ClassVar[dict[str, str]] = {"id": N, "case": N, "owner": N, "key": PII}

    case = models.ForeignKey("registry.Case", on_delete=models.CASCADE, related_name="search_keys")
    owner = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="linkage_unique_case_key")]
        indexes = [models.Index(fields=["owner", "key", "case"], name="linkage_sk_owner_key_case")]

    def __str__(self) -> str:
        return f"Suchschlüssel {self.pk}"


class ExternalId(models.Model):
    """An agency's own identifier for a person (Kundennummer, BG-Nummer, Aktenzeichen of an earlier system),
    recorded with the case of the same organisation, e.g. by the bulk import."""

    PROTECTION: ClassVar[dict[str, str]] = {"id": N, "case": N, "scheme": N, "value": PII}

    case = models.ForeignKey("registry.Case", on_delete=models.CASCADE, related_name="external_ids")
    scheme = models.CharField(_("Art der Kennung"), max_length=60)
    value = models.CharField(_("Kennung"), max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "scheme", "value"], name="linkage_unique_external_id")]

    def __str__(self) -> str:
        return f"Kennung {self.pk}"


class PersonKey(models.Model):
    """Stable person key of a case inside its organisation, for cohort statistics: survives merges
    (the absorbed case takes the survivor's key) and unmerges (the absorbed case gets its old key back)."""

    PROTECTION: ClassVar[dict[str, str]] = {"id": N, "case": N, "key": N, "previous_key": N}

    case = models.OneToOneField("registry.Case", on_delete=models.CASCADE, related_name="person_key")
    key = models.CharField(max_length=32, default=new_person_key, db_index=True)
    previous_key = models.CharField(max_length=32, blank=True)

    def __str__(self) -> str:
        return f"Personenschlüssel {self.key}"


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("offen")
    SAME = "same", _("dieselbe Person")
    DIFFERENT = "different", _("verschiedene Personen")
    MERGED = "merged", _("zusammengeführt")


class CandidateQuerySet(models.QuerySet["LinkCandidate"]):
    def visible_to(self, user: object, permission: str = "case.write") -> CandidateQuerySet:
        from teilhabe.accounts.access import organisation_ids_with

        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner_id__in=organisation_ids_with(user, permission))  # type: ignore[arg-type]


class LinkCandidate(models.Model):
    """A pair that may be the same person, owned by one organisation: two own cases (``right``), or an own
    case and a transmission it received (``transmission``). ``left`` is always the owner's case."""

    PROTECTION: ClassVar[dict[str, str]] = {
        "id": N,
        "owner": N,
        "left": N,
        "right": N,
        "transmission": N,
        "rule": N,
        "match_probability": N,
        "reasons": N,
        "status": N,
        "decided_by": N,
        "decided_at": N,
        "decision_reason": N,
        "created_at": N,
    }

    owner = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    left = models.ForeignKey("registry.Case", on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey("registry.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    transmission = models.ForeignKey(
        "registry.Transmission", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    rule = models.CharField(_("Regel"), max_length=20)  # azr | external_id | splink | manual
    match_probability = models.FloatField(_("Übereinstimmungswahrscheinlichkeit"), default=0.0)
    reasons = models.JSONField(default=list)  # reason codes (no values), e.g. ["name_similar", "birth_year"]
    status = models.CharField(max_length=12, choices=CandidateStatus.choices, default=CandidateStatus.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("Begründung"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-match_probability", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(right__isnull=False, transmission__isnull=True)
                | Q(right__isnull=True, transmission__isnull=False),
                name="linkage_candidate_one_target",
            ),
            models.UniqueConstraint(fields=["left", "right"], name="linkage_unique_pair"),
            models.UniqueConstraint(fields=["left", "transmission"], name="linkage_unique_transmission_pair"),
        ]
        verbose_name = _("Abgleichskandidat")
        verbose_name_plural = _("Abgleichskandidaten")

    def __str__(self) -> str:
        return f"Abgleich {self.pk}"


class Merge(models.Model):
    """Merge of ``absorbed`` into ``survivor`` (same organisation) with everything needed to undo it exactly:
    the absorbed case's identity row, the survivor's fields that were filled, and the moved rows."""

    PROTECTION: ClassVar[dict[str, str]] = {
        "id": N,
        "owner": N,
        "survivor": N,
        "absorbed": N,
        "candidate": N,
        "state": PII,
        "reason": N,
        "merged_by": N,
        "merged_at": N,
        "undone_by": N,
        "undone_at": N,
        "undo_reason": N,
    }

    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    survivor = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="+")
    absorbed = models.ForeignKey("registry.Case", on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(LinkCandidate, null=True, on_delete=models.SET_NULL, related_name="+")
    # Encrypted JSON (registry.crypto): moved row ids, survivor fields before the merge, person keys.
    state = models.TextField()
    reason = models.CharField(_("Begründung"), max_length=300)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    merged_at = models.DateTimeField()
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.CharField(_("Begründung der Trennung"), max_length=300, blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["absorbed"], condition=Q(undone_at__isnull=True), name="linkage_one_active_merge"
            )
        ]
        verbose_name = _("Zusammenführung")
        verbose_name_plural = _("Zusammenführungen")

    def __str__(self) -> str:
        return f"Zusammenführung {self.pk}"
