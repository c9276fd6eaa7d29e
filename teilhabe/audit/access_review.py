"""Periodic access review per organisation: who holds which role, since when, granted by whom.

Built from the memberships and the audit trail: "since" and "granted by" come from the latest
``membership.grant`` / ``membership.change`` event of the membership (the audit log is the record of who
gave a role; it cannot be edited), falling back to the membership's creation time. Rows:
``{"organisation", "username", "name", "role", "since", "granted_by", "account_active", "last_login"}``.
"""

from __future__ import annotations

from typing import Any

from teilhabe.accounts.models import Membership
from teilhabe.audit.models import AuditEvent

GRANT_ACTIONS = ("membership.grant", "membership.change")


def access_review(organisation_id: int | None = None) -> list[dict[str, Any]]:
    memberships = Membership.objects.filter(is_active=True).select_related("user", "organisation")
    if organisation_id is not None:
        memberships = memberships.filter(organisation_id=organisation_id)
    memberships = memberships.order_by("organisation__name", "role", "user__username")
    ids = [str(m.pk) for m in memberships]
    latest: dict[str, tuple[Any, str]] = {}
    events = (
        AuditEvent.objects.filter(object_type="accounts.membership", object_id__in=ids, action__in=GRANT_ACTIONS)
        .order_by("id")
        .values_list("object_id", "created_at", "username")
    )
    for object_id, created_at, username in events:
        latest[object_id] = (created_at, username)
    rows = []
    for m in memberships:
        since, granted_by = latest.get(str(m.pk), (m.created_at, ""))
        rows.append(
            {
                "organisation": m.organisation.name,
                "username": m.user.username,
                "name": m.user.get_full_name(),
                "role": str(m.get_role_display()),
                "since": since,
                "granted_by": granted_by or "System (Einrichtung)",
                "account_active": m.user.is_active,
                "last_login": m.user.last_login,
            }
        )
    return rows
