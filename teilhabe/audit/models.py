"""Append-only audit trail with a hash chain (DP-29..31).

Events are self-contained (user name, organisation name and object repr are copied) and never hold
values of protected fields: only which fields changed. Each event stores the hash of its predecessor;
``manage.py verify_audit`` recomputes the chain. Database triggers refuse UPDATE and DELETE.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("Zeitpunkt"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(_("Benutzername"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_constraint=False,
        related_name="+",
    )
    organisation_name = models.CharField(_("Organisation"), max_length=200, blank=True)
    request_id = models.CharField(_("Anfrage-ID"), max_length=64, blank=True)
    ip_address = models.CharField(_("IP-Adresse"), max_length=45, blank=True)
    action = models.CharField(_("Aktion"), max_length=60, db_index=True)
    object_type = models.CharField(_("Objekttyp"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("Objekt-ID"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("Objekt"), max_length=250, blank=True)
    purpose = models.CharField(_("Zweck/Kommentar"), max_length=500, blank=True)
    changed_fields = models.JSONField(_("geänderte Felder"), default=list, blank=True)
    extra = models.JSONField(_("weitere Angaben"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokolleinträge")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def canonical_payload(self) -> str:
        """The fields covered by the hash, in a stable serialisation."""
        return json.dumps(
            {
                "created_at": self.created_at.isoformat(),
                "user_id": self.user_id,
                "username": self.username,
                "organisation_id": self.organisation_id,
                "organisation_name": self.organisation_name,
                "request_id": self.request_id,
                "ip_address": self.ip_address,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "object_repr": self.object_repr,
                "purpose": self.purpose,
                "changed_fields": self.changed_fields,
                "extra": self.extra,
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + "\n" + self.canonical_payload()).encode()).hexdigest()


class RetentionGate(models.Model):
    """Opens the DELETE guard on audit events for rows older than ``before``, inside one transaction only.

    The database triggers (migration 0003) refuse every DELETE on ``audit_auditevent`` unless a row here
    covers the event; ``teilhabe.audit.retention.purge_expired`` inserts the row, deletes, and removes the
    row again in the same transaction, so no other connection ever sees an open gate.
    """

    before = models.DateTimeField()

    class Meta:
        verbose_name = _("Aufbewahrungsfreigabe")
        verbose_name_plural = _("Aufbewahrungsfreigaben")

    def __str__(self) -> str:
        return f"vor {self.before:%Y-%m-%d %H:%M}"
