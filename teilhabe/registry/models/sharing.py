"""Lawful sharing between organisations: consents, transmissions, correction and erasure notices."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from teilhabe.registry.fieldgroups import FIELD_GROUPS
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models.cases import Case
from teilhabe.registry.models.protection import PII, N

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from teilhabe.accounts.models import User

__all__ = [
    "ERASURE",
    "Consent",
    "CorrectionNotice",
    "NoticeKind",
    "RecipientNotice",
    "Transmission",
    "TransmissionQuerySet",
    "TransmissionStatus",
]


class Consent(models.Model):
    """A recorded consent (Art. 7 DSGVO, § 67b SGB X): who agreed to what, in which language version."""

    PROTECTION: ClassVar[dict[str, str]] = {
        "id": N,
        "case": N,
        "owner": N,
        "purpose": PII,
        "data_items": N,
        "recipients": N,
        "language": N,
        "text_version": N,
        "given_at": N,
        "withdrawn_at": N,
        "recorded_by": N,
        "withdrawn_by": N,
    }

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("Zweck"), max_length=300)
    data_items = models.JSONField(_("Datenkategorien (Feldgruppen)"), default=list)
    recipients = models.ManyToManyField("accounts.Organisation", related_name="+", verbose_name=_("Empfänger"))
    language = models.CharField(_("Sprache des Einwilligungstextes"), max_length=10)
    text_version = models.CharField(_("Fassung des Einwilligungstextes"), max_length=60)
    given_at = models.DateTimeField(_("erteilt am"))
    withdrawn_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")

    def __str__(self) -> str:
        return f"Einwilligung {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class TransmissionStatus(models.TextChoices):
    PENDING = "pending", _("wartet auf Freigabe")
    SENT = "sent", _("übermittelt")
    REJECTED = "rejected", _("abgelehnt")
    REVOKED = "revoked", _("widerrufen")


class TransmissionQuerySet(models.QuerySet["Transmission"]):
    def outgoing_for(self, user: User | AnonymousUser) -> TransmissionQuerySet:
        from teilhabe.accounts.access import organisation_ids_with

        if not user.is_authenticated:
            return self.none()
        return self.filter(sender_id__in=organisation_ids_with(user, "case.read"))

    def incoming_for(self, user: User | AnonymousUser) -> TransmissionQuerySet:
        """Only delivered, unrevoked transmissions are visible to the recipient."""
        from teilhabe.accounts.access import organisation_ids_with

        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient_id__in=organisation_ids_with(user, "case.read"), status=TransmissionStatus.SENT)


class Transmission(models.Model):
    """An explicit transfer of selected field groups to another organisation (DP-07, § 67d SGB X).

    The recipient never reads the sender's case: it gets ``snapshot``,
    a dated copy of exactly the listed groups.
    """

    PROTECTION: ClassVar[dict[str, str]] = {
        "id": N,
        "case": N,
        "sender": N,
        "recipient": N,
        "field_groups": N,
        "legal_basis": N,
        "consent": N,
        "purpose": N,
        "status": N,
        "requires_four_eyes": N,
        "requested_by": N,
        "requested_at": N,
        "approved_by": N,
        "approved_at": N,
        "rejected_reason": N,
        "revoked_by": N,
        "revoked_at": N,
        "revocation_reason": N,
        "snapshot": "by_group",
        "snapshot_at": N,
    }

    case = models.ForeignKey(Case, null=True, on_delete=models.SET_NULL, related_name="transmissions")
    sender = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("Absender")
    )
    recipient = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("Empfänger")
    )
    field_groups = models.JSONField(_("Feldgruppen"), default=list)
    legal_basis = models.CharField(_("Rechtsgrundlage"), max_length=30, choices=LegalBasis.choices)
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.SET_NULL, related_name="transmissions")
    purpose = models.CharField(_("Zweck"), max_length=300)
    status = models.CharField(
        _("Status"), max_length=20, choices=TransmissionStatus.choices, default=TransmissionStatus.PENDING
    )
    requires_four_eyes = models.BooleanField(_("Vier-Augen-Freigabe erforderlich"), default=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("beantragt am"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("freigegeben am"), null=True, blank=True)
    rejected_reason = models.CharField(_("Ablehnungsgrund"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)
    revocation_reason = models.CharField(_("Grund des Widerrufs"), max_length=300, blank=True)
    snapshot = models.JSONField(default=dict, blank=True)
    snapshot_at = models.DateTimeField(_("Stand der Kopie"), null=True, blank=True)

    objects = TransmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("Übermittlung")
        verbose_name_plural = _("Übermittlungen")
        constraints = [
            models.CheckConstraint(condition=~Q(legal_basis=""), name="transmission_has_legal_basis"),
            # The requester never appears as approver (four eyes; no approver when none is needed).
            models.CheckConstraint(
                condition=~Q(approved_by=models.F("requested_by")), name="transmission_approver_not_requester"
            ),
        ]

    def __str__(self) -> str:
        return f"Übermittlung {self.pk}"


class CorrectionNotice(models.Model):
    """Art. 19 DSGVO task: tell an earlier recipient that transmitted data were corrected."""

    PROTECTION: ClassVar[dict[str, str]] = {
        "id": N,
        "transmission": N,
        "group": N,
        "created_at": N,
        "done_at": N,
        "done_by": N,
    }

    transmission = models.ForeignKey(Transmission, on_delete=models.CASCADE, related_name="notices")
    group = models.CharField(_("Feldgruppe"), max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["done_at", "-created_at"]
        verbose_name = _("Mitteilung nach Art. 19 DSGVO")
        verbose_name_plural = _("Mitteilungen nach Art. 19 DSGVO")

    def __str__(self) -> str:
        return f"Art. 19 {self.transmission_id}/{self.group}"

    @property
    def label(self) -> str:
        """Plain German: what happened to the transmitted data (no internal keys)."""
        if self.group == ERASURE:
            return str(_("Die Akte wurde gelöscht (Art. 17 DSGVO)."))
        group = FIELD_GROUPS.get(self.group)
        name = group.label if group else self.group
        return str(_("Die Angaben „%(group)s“ wurden berichtigt.") % {"group": name})


ERASURE = "loeschung"


class NoticeKind(models.TextChoices):
    REVOKED = "revoked", _("Übermittlung widerrufen")
    ERASED = "erased", _("Akte beim Absender gelöscht")


class RecipientNotice(models.Model):
    """What the recipient is told when a transmission is revoked or the sender's record erased: the copy is
    gone, with the reason the sender gave. Shown in the recipient's worklist until marked read."""

    PROTECTION: ClassVar[dict[str, str]] = {
        "id": N,
        "transmission": N,
        "recipient": N,
        "kind": N,
        "reason": PII,
        "created_at": N,
        "read_at": N,
        "read_by": N,
    }

    transmission = models.ForeignKey(Transmission, on_delete=models.CASCADE, related_name="recipient_notices")
    recipient = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("Art"), max_length=20, choices=NoticeKind.choices)
    reason = models.CharField(_("Grund"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("gelesen am"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["read_at", "-created_at"]
        verbose_name = _("Mitteilung an den Empfänger")
        verbose_name_plural = _("Mitteilungen an Empfänger")

    def __str__(self) -> str:
        return f"Mitteilung {self.pk} zu Übermittlung {self.transmission_id}"
