"""Consent records (Art. 7 DSGVO): give and withdraw; withdrawal revokes dependent transmissions."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.accounts.access import AnyUser, has_permission
from teilhabe.accounts.models import Organisation
from teilhabe.audit.services import record
from teilhabe.registry.fieldgroups import FIELD_GROUPS
from teilhabe.registry.models import (
    Case,
    Consent,
    TransmissionStatus,
)
from teilhabe.registry.services.common import (
    _actor,
)
from teilhabe.registry.services.transmissions import _revoke

# --- Consent -----------------------------------------------------------------------------------------------


@transaction.atomic
def consent_give(
    *,
    acting_user: AnyUser,
    case: Case,
    purpose: str,
    data_items: list[str],
    recipients: Iterable[Organisation],
    language: str,
    text_version: str,
) -> Consent:
    if not has_permission(acting_user, "consent.manage", case.owner):
        raise PermissionDenied
    items = [g for g in FIELD_GROUPS if g in set(data_items)]
    recipients = list(recipients)
    if not items or not recipients or not purpose.strip() or not language or not text_version:
        raise ValidationError(
            _("Zweck, Datenkategorien, Empfänger, Sprache und Fassung sind Pflicht (registry.consent_incomplete).")
        )
    consent = Consent.objects.create(
        case=case,
        owner=case.owner,
        purpose=purpose.strip(),
        data_items=items,
        language=language,
        text_version=text_version,
        given_at=timezone.now(),
        recorded_by=_actor(acting_user),
    )
    consent.recipients.set(recipients)
    record(
        "consent.give",
        actor=acting_user,
        organisation=case.owner,
        obj=case,
        extra={
            "consent_id": consent.pk,
            "data_items": items,
            "recipient_ids": sorted(r.pk for r in recipients),
            "language": language,
            "text_version": text_version,
        },
    )
    return consent


@transaction.atomic
def consent_withdraw(*, acting_user: AnyUser, consent: Consent) -> int:
    """One click, like giving it; every transmission resting on the consent is revoked. Returns that count."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if not has_permission(acting_user, "consent.manage", consent.owner):
        raise PermissionDenied
    if consent.withdrawn_at is not None:
        return 0
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = _actor(acting_user)
    consent.save()
    revoked = 0
    for transmission in consent.transmissions.filter(
        status__in=(TransmissionStatus.SENT, TransmissionStatus.PENDING)
    ).select_for_update():
        _revoke(transmission, acting_user, "Einwilligung widerrufen")
        revoked += 1
    record(
        "consent.withdraw",
        actor=acting_user,
        organisation=consent.owner,
        object_type="registry.case",
        object_id=consent.case_id,
        extra={"consent_id": consent.pk, "revoked_transmissions": revoked},
    )
    return revoked
