"""Replaying an Art. 17 erasure after a restore (``teilhabe.core.erasure_journal``).

The erasure was authorised and checked (legal hold) when it was first made; the replay repeats its
effects on the restored data without asking again: Art. 19 notices for earlier recipients, pending
transmissions rejected, the case removed from the analytics store and deleted.
"""

from __future__ import annotations

from django.db import transaction

from teilhabe.audit.services import record
from teilhabe.registry.models import Case, CorrectionNotice, Transmission, TransmissionStatus


@transaction.atomic
def replay_case_erasure(case_id: int) -> bool:
    """Erase case ``case_id`` again if the restored data still holds it. Returns whether it did."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return False
    owner = case.owner
    for transmission in Transmission.objects.filter(case=case, approved_at__isnull=False):
        CorrectionNotice.objects.create(transmission=transmission, group="loeschung")
    Transmission.objects.filter(case=case, status=TransmissionStatus.PENDING).update(
        status=TransmissionStatus.REJECTED, rejected_reason="Akte gelöscht"
    )
    from teilhabe.registry.cohort import forget

    forget(case)
    case.delete()
    record(
        "case.erase_replay",
        username="system",
        organisation=owner,
        object_type="registry.case",
        object_id=case_id,
        object_repr=f"Integrationsakte {case_id}",
        purpose="Löschung nach Art. 17 nach Wiederherstellung erneut ausgeführt",
    )
    return True
