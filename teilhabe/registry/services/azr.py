"""Individual AZR authorisations (DP-28)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.accounts.access import AnyUser
from teilhabe.accounts.models import Membership
from teilhabe.audit.services import record
from teilhabe.registry.access import can_grant_azr, roles_with
from teilhabe.registry.models import (
    AzrAuthorisation,
)
from teilhabe.registry.services.common import (
    _actor,
)

# --- AZR authorisations (DP-28) ---------------------------------------------------------------------------


@transaction.atomic
def azr_authorisation_grant(*, acting_user: AnyUser, membership: Membership, reason: str) -> AzrAuthorisation:
    """Authorise one membership for AZR data. Only a second person of the same organisation holding
    ``transmission.approve`` or ``members.manage``; never the member themself; only for roles with
    ``azr.read``."""
    organisation = membership.organisation
    if not can_grant_azr(acting_user, organisation) or membership.user_id == acting_user.pk:
        raise PermissionDenied
    if not membership.is_active or membership.role not in roles_with("azr.read"):
        raise ValidationError(_("Diese Rolle erhält keine AZR-Daten (registry.azr_role)."), code="azr_role")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Bitte den Anlass angeben (registry.azr_reason)."), code="azr_reason")
    if AzrAuthorisation.objects.filter(membership=membership, revoked_at__isnull=True).exists():
        raise ValidationError(_("Die Ermächtigung besteht bereits (registry.azr_exists)."), code="azr_exists")
    authorisation = AzrAuthorisation.objects.create(
        membership=membership, granted_by=_actor(acting_user), granted_at=timezone.now(), reason=reason
    )
    record(
        "registry.azr_grant",
        actor=acting_user,
        organisation=organisation,
        obj=authorisation,
        extra={"membership": membership.pk, "user": membership.user_id, "role": membership.role},
    )
    return authorisation


@transaction.atomic
def azr_authorisation_revoke(*, acting_user: AnyUser, authorisation: AzrAuthorisation) -> None:
    organisation = authorisation.membership.organisation
    if not can_grant_azr(acting_user, organisation) or authorisation.membership.user_id == acting_user.pk:
        raise PermissionDenied
    if authorisation.revoked_at is not None:
        return
    authorisation.revoked_at = timezone.now()
    authorisation.revoked_by = _actor(acting_user)
    authorisation.save(update_fields=["revoked_at", "revoked_by"])
    record(
        "registry.azr_revoke",
        actor=acting_user,
        organisation=organisation,
        obj=authorisation,
        extra={"membership": authorisation.membership_id, "user": authorisation.membership.user_id},
    )
