"""The district decides which Gemeinde sees which population tables (product C12): audited grant and revoke."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from teilhabe.accounts.models import Organisation, OrganisationKind
from teilhabe.audit.services import record
from teilhabe.population.models import GemeindeRelease
from teilhabe.regions.models import Gemeinde


class ReleaseRefused(Exception):
    """A release that does not fit: the message is German and shown to the user."""


def release_grant(
    *, acting_user: Any, organisation: Organisation, gemeinde: Gemeinde, scope: str, basis: str
) -> GemeindeRelease:
    """Release the published tables of ``gemeinde`` to ``organisation`` (a Gemeinde organisation responsible
    for it). An active release for the same pair is replaced. Raises ``ReleaseRefused``."""
    if organisation.kind != OrganisationKind.GEMEINDE:
        raise ReleaseRefused("Freigaben gehen nur an Organisationen der Art „Gemeinde/Stadt/Amt“.")
    if not organisation.gemeinden.filter(pk=gemeinde.pk).exists():
        raise ReleaseRefused(
            f"„{organisation.name}“ ist nicht für {gemeinde.name} zuständig. "
            "Die Zuständigkeit wird bei der Organisation eingetragen."
        )
    if not basis.strip():
        raise ReleaseRefused("Bitte die Grundlage der Freigabe angeben.")
    with transaction.atomic():
        now = timezone.now()
        GemeindeRelease.objects.active().filter(organisation=organisation, gemeinde=gemeinde).update(
            revoked_at=now, revoked_by=acting_user
        )
        release = GemeindeRelease.objects.create(
            organisation=organisation, gemeinde=gemeinde, scope=scope, basis=basis.strip(), granted_by=acting_user
        )
        record(
            "population.release_grant",
            actor=acting_user,
            organisation=organisation,
            obj=release,
            purpose="Freigabe von Bevölkerungstabellen an eine Gemeinde",
            extra={"gemeinde": gemeinde.ags, "scope": scope},
        )
    return release


def release_revoke(*, acting_user: Any, release: GemeindeRelease) -> None:
    with transaction.atomic():
        release.revoked_at = timezone.now()
        release.revoked_by = acting_user
        release.save(update_fields=["revoked_at", "revoked_by"])
        record(
            "population.release_revoke",
            actor=acting_user,
            organisation=release.organisation,
            obj=release,
            purpose="Freigabe von Bevölkerungstabellen zurückgenommen",
            extra={"gemeinde": release.gemeinde_id},
        )
