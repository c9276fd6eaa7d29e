"""The one path that removes audit events: those older than ``AUDIT_RETENTION_DAYS`` (DP-31).

``purge_expired()`` opens the database guard for exactly the expired rows (a ``RetentionGate`` row inside
the transaction), deletes them, closes the gate, records what it removed as an audit event and writes a
new checkpoint (kind ``retention``) whose ``first_id``/``first_prev`` anchor the shortened chain.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from teilhabe.audit.checkpoint import write_checkpoint
from teilhabe.audit.models import AuditEvent, RetentionGate
from teilhabe.audit.services import record


def purge_expired(*, days: int | None = None, dry_run: bool = False) -> dict[str, int | str]:
    """Remove events older than ``days`` (default ``settings.AUDIT_RETENTION_DAYS``).

    Returns ``{"removed": n, "before": iso-datetime, "removed_through_id": id or 0}``.
    """
    days = settings.AUDIT_RETENTION_DAYS if days is None else days
    if days < 1:
        raise ValueError("Die Aufbewahrungsfrist des Protokolls muss mindestens einen Tag betragen.")
    before = timezone.now() - timedelta(days=days)
    expired = AuditEvent.objects.filter(created_at__lt=before)
    result: dict[str, int | str] = {"before": before.isoformat(), "removed": 0, "removed_through_id": 0}
    with transaction.atomic():
        last = expired.order_by("-id").values_list("id", flat=True).first()
        count = expired.count()
        result.update(removed=count, removed_through_id=last or 0)
        if dry_run or not count:
            return result
        gate = RetentionGate.objects.create(before=before)
        expired._raw_delete(expired.db)
        gate.delete()
        record("audit.retention", username="system", object_type="audit.auditevent", extra=dict(result))
    write_checkpoint("retention")
    return result
