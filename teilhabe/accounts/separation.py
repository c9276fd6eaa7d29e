"""Separation of duties as data (issue 10): which roles open person data, who may grant and confirm them,
and whether one account depends on another (created or empowered by it).

Rules: nobody grants themself a role; a role that opens person data (``PERSON_DATA_ROLES``) is granted only
by a member administrator of the same organisation (never through a district-wide role) and takes effect
after a second person confirms — another administrator or the Fallaufsicht of that organisation, or the
district's data-protection officer; district-wide roles and person-data roles are never held by the same
account; a four-eyes approver must not depend on the requester.
"""

from __future__ import annotations

from django.db.models import Q

from teilhabe.accounts.models import Membership, Organisation, OrganisationKind, User
from teilhabe.accounts.roles import DISTRICT_WIDE_ROLES, ROLE_PERMISSIONS, Role

# Roles whose permissions open case records (any permission on case data or field groups).
PERSON_DATA_ROLES = frozenset(
    role
    for role, permissions in ROLE_PERMISSIONS.items()
    if any(p.startswith(("case.", "fieldgroup.", "transmission.", "consent.", "azr.")) for p in permissions)
)
CONFIRMING_ROLES = frozenset({Role.ORG_ADMIN, Role.FALLAUFSICHT})


def opens_person_data(role: str) -> bool:
    return role in PERSON_DATA_ROLES


def _own_memberships(user: User, organisation: Organisation) -> set[str]:
    return set(
        Membership.objects.filter(user=user, organisation=organisation, is_active=True, pending=False).values_list(
            "role", flat=True
        )
    )


def is_member_admin(user: User, organisation: Organisation) -> bool:
    """Holds ``members.manage`` through a membership *in this organisation* (not district-wide)."""
    roles = _own_memberships(user, organisation)
    return any("members.manage" in ROLE_PERMISSIONS.get(role, ()) for role in roles)


def is_dpo(user: User) -> bool:
    return Membership.objects.filter(
        user=user,
        role=Role.DATENSCHUTZ,
        is_active=True,
        pending=False,
        organisation__kind=OrganisationKind.LANDKREIS,
    ).exists()


def holds_district_role(user: User) -> bool:
    return Membership.objects.filter(user=user, role__in=DISTRICT_WIDE_ROLES, is_active=True).exists()


def holds_person_data_role(user: User) -> bool:
    return Membership.objects.filter(user=user, role__in=PERSON_DATA_ROLES, is_active=True).exists()


def grant_refusal(acting_user: User, user: User, organisation: Organisation, role: str) -> str:
    """Why ``acting_user`` may not grant ``role`` in ``organisation`` to ``user`` (German, ends with a stable
    code in brackets); empty string if allowed."""
    if acting_user.pk == user.pk:
        return "Niemand kann sich selbst eine Rolle geben (accounts.self_grant)."
    if opens_person_data(role):
        if not is_member_admin(acting_user, organisation):
            return (
                "Rollen mit Zugriff auf Personendaten vergibt nur die Administration derselben Organisation "
                "(accounts.grant_not_member_admin)."
            )
        if holds_district_role(user):
            return (
                "Kreisweite Rollen (Administration, Datenschutz) öffnen keine Integrationsakten; dieses Konto "
                "kann keine Fallrolle erhalten (accounts.district_role_conflict)."
            )
    if role in DISTRICT_WIDE_ROLES and holds_person_data_role(user):
        return "Ein Konto mit Fallrolle kann keine kreisweite Rolle erhalten (accounts.district_role_conflict)."
    return ""


def can_confirm(acting_user: User, membership: Membership) -> bool:
    """A second person: not the grantor, not the grantee; an administrator or the Fallaufsicht of the same
    organisation, or the district's data-protection officer."""
    if acting_user.pk in (membership.user_id, membership.granted_by_id):
        return False
    if _own_memberships(acting_user, membership.organisation) & CONFIRMING_ROLES:
        return True
    return is_dpo(acting_user)


def pending_for(acting_user: User) -> list[Membership]:
    """Pending grants the user may confirm."""
    rows = Membership.objects.filter(pending=True, is_active=True).select_related("user", "organisation", "granted_by")
    return [m for m in rows if can_confirm(acting_user, m)]


def dependence(user: User, requester_id: int) -> str:
    """``created_by_requester`` / ``empowered_by_requester`` if the requester created ``user``'s account or
    granted or confirmed one of its memberships; empty string otherwise."""
    if User.objects.filter(pk=user.pk, created_by_id=requester_id).exists():
        return "created_by_requester"
    if Membership.objects.filter(
        Q(granted_by_id=requester_id) | Q(confirmed_by_id=requester_id), user=user, is_active=True
    ).exists():
        return "empowered_by_requester"
    return ""
