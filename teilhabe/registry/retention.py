"""Retention per field group (DP-15): values are deleted once the group's period after case closure has
passed; the whole case (identity) goes when the identity period has passed. Received copies expire after the
longest period of their groups. Run daily via ``manage.py registry_retention``."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from teilhabe.audit.services import record
from teilhabe.registry.fieldgroups import FIELD_GROUPS
from teilhabe.registry.models import Case, FieldGroupEntry, Transmission, TransmissionStatus


@transaction.atomic
def apply_retention(*, dry_run: bool = False) -> dict[str, int]:
    now = timezone.now()
    report: Counter[str] = Counter()
    for name, group in FIELD_GROUPS.items():
        if name == "identitaet":
            continue
        expired = FieldGroupEntry.objects.filter(
            group=name, case__closed_at__lt=now - timedelta(days=group.retention_days)
        )
        report[f"feldgruppe.{name}"] = expired.count()
        if not dry_run:
            expired.delete()
    cases = Case.objects.filter(closed_at__lt=now - timedelta(days=FIELD_GROUPS["identitaet"].retention_days))
    report["akten"] = cases.count()
    if not dry_run:
        from teilhabe.registry.cohort import forget

        for case in cases:
            forget(case)
        cases.delete()  # events, goals, entries, consents cascade; transmissions keep metadata only
    copies = 0
    for transmission in Transmission.objects.filter(status=TransmissionStatus.SENT, snapshot_at__isnull=False):
        days = max(FIELD_GROUPS[g].retention_days for g in transmission.field_groups if g in FIELD_GROUPS)
        if transmission.snapshot_at and transmission.snapshot_at < now - timedelta(days=days):
            copies += 1
            if not dry_run:
                transmission.snapshot = {}
                transmission.status = TransmissionStatus.REVOKED
                transmission.revoked_at = now
                transmission.revocation_reason = "Löschfrist abgelaufen"
                transmission.save()
    report["empfangene_kopien"] = copies
    result = {key: value for key, value in report.items() if value}
    if not dry_run:
        record("registry.retention", object_type="registry.case", username="system", extra=result)
    return result
