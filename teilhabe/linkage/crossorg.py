"""Linking a received transmission to the recipient's own records (issue 11 item 2).

The only cross-organisation object is the link key: ``LinkCandidate(owner=recipient, left=own case,
transmission=received transmission)``. Matching reads the recipient's copy (``Transmission.snapshot``, via
``registry.services.transmission_read``, audited) and the recipient's own cases — never the sender's case.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.accounts.access import AnyUser, has_permission
from teilhabe.audit.services import record
from teilhabe.linkage.models import CandidateStatus, LinkCandidate
from teilhabe.linkage.services import Identity, similar_cases

IDENTITY_KEYS = (
    "family_name",
    "given_names",
    "family_name_latin",
    "given_names_latin",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_date_is_placeholder",
    "sex",
    "nationalities",
)


def received_identity(*, acting_user: AnyUser, transmission: Any) -> dict[str, Any] | None:
    """The identity values of the received copy the user may see, or None (group not transmitted / not
    readable). Writes ``transmission.read``."""
    from teilhabe.registry import services as registry_services
    from teilhabe.registry.access import received_groups

    if "identitaet" not in received_groups(acting_user, transmission):
        return None
    data = registry_services.transmission_read(
        acting_user=acting_user, transmission=transmission, groups=["identitaet"]
    )
    values = data["groups"].get("identitaet") or {}
    return {key: values.get(key) for key in IDENTITY_KEYS}


def transmission_candidates(*, acting_user: AnyUser, transmission: Any) -> list[Any]:
    """Own cases of the recipient that may be the transmitted person, best first."""
    values = received_identity(acting_user=acting_user, transmission=transmission)
    if values is None or not has_permission(acting_user, "case.write", transmission.recipient):
        return []
    return similar_cases(transmission.recipient, Identity.of_snapshot(values))[:10]


@transaction.atomic
def link_transmission(*, acting_user: AnyUser, transmission: Any, case: Any, reason: str) -> LinkCandidate:
    """Record that the received transmission concerns the recipient's own ``case`` (the link key)."""
    recipient = transmission.recipient
    if not has_permission(acting_user, "case.write", recipient) or case.owner_id != recipient.pk:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte die Zuordnung begründen (linkage.reason_missing).")})
    decided_by: Any = acting_user if getattr(acting_user, "is_authenticated", False) else None
    link, _created = LinkCandidate.objects.update_or_create(
        left=case,
        transmission=transmission,
        defaults={
            "owner": recipient,
            "rule": "manual",
            "match_probability": 1.0,
            "status": CandidateStatus.SAME,
            "decided_by": decided_by,
            "decided_at": timezone.now(),
            "decision_reason": reason.strip()[:300],
        },
    )
    record(
        "linkage.link_transmission",
        actor=acting_user,
        organisation=recipient,
        obj=case,
        extra={"transmission_id": transmission.pk, "link_id": link.pk},
    )
    return link


@transaction.atomic
def open_as_case(*, acting_user: AnyUser, transmission: Any, legal_basis: str, reference: str = "") -> Any:
    """A new own case pre-filled with the transmitted identity fields, linked to the transmission."""
    from teilhabe.registry import services as registry_services

    values = received_identity(acting_user=acting_user, transmission=transmission)
    if values is None:
        raise PermissionDenied
    data = {key: value for key, value in values.items() if value not in (None, "")}
    data["legal_basis"] = legal_basis
    if reference:
        data["reference"] = reference
    case = registry_services.case_create(acting_user=acting_user, owner=transmission.recipient, data=data)
    link_transmission(
        acting_user=acting_user, transmission=transmission, case=case, reason=_("Neu angelegt aus Übermittlung")
    )
    return case
