"""Object- and field-level access to case records (DP-06, DP-10, § 35 SGB I).

A group is readable for a user on a case if (1) the owning organisation's kind may hold the group, (2) the
user's role grants ``fieldgroup.<name>.read`` in that organisation and (3) Art. 9 groups are enabled. Fields
of groups that are not readable are never put into a context, JSON export or search result.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from teilhabe.accounts.access import AnyUser, has_permission, organisation_ids_with
from teilhabe.accounts.models import Organisation
from teilhabe.accounts.roles import ROLE_PERMISSIONS
from teilhabe.registry.fieldgroups import FIELD_GROUPS, art9_enabled
from teilhabe.registry.models import AzrAuthorisation, Case, Transmission


def readable_groups(user: AnyUser, organisation: Organisation) -> list[str]:
    if not has_permission(user, "case.read", organisation):
        return []
    return [
        name
        for name, group in FIELD_GROUPS.items()
        if organisation.kind in group.holders
        and art9_enabled(group)
        and has_permission(user, group.read_permission, organisation)
    ]


def writable_groups(user: AnyUser, organisation: Organisation) -> list[str]:
    if not has_permission(user, "case.write", organisation):
        return []
    return [
        name
        for name, group in FIELD_GROUPS.items()
        if organisation.kind in group.writers
        and art9_enabled(group)
        and has_permission(user, group.write_permission, organisation)
    ]


def received_groups(user: AnyUser, transmission: Transmission) -> list[str]:
    """Groups of a received copy the user may see: transmitted, and permitted by the user's role."""
    recipient = transmission.recipient
    if not has_permission(user, "case.read", recipient):
        return []
    return [
        name
        for name in transmission.field_groups
        if name in FIELD_GROUPS
        and art9_enabled(FIELD_GROUPS[name])
        and has_permission(user, FIELD_GROUPS[name].read_permission, recipient)
    ]


def can_read_azr(user: AnyUser, organisation: Organisation) -> bool:
    """DP-28: the role must grant ``azr.read`` AND the membership must carry an active individual
    authorisation (``AzrAuthorisation``) granted by a second person. The role alone is not enough."""
    if not user.is_authenticated or not has_permission(user, "azr.read", organisation):
        return False
    return (
        AzrAuthorisation.objects.active()
        .filter(
            membership__user_id=user.pk or 0,
            membership__organisation_id=organisation.pk,
            membership__role__in=roles_with("azr.read"),
        )
        .exists()
    )


def roles_with(permission: str) -> list[str]:
    return [role for role, granted in ROLE_PERMISSIONS.items() if permission in granted]


AZR_GRANTORS = ("transmission.approve", "members.manage")


def can_grant_azr(user: AnyUser, organisation: Organisation) -> bool:
    """A member of the same organisation with ``transmission.approve`` or ``members.manage``; district-wide
    roles do not count (the authorisation is given by the head of the retrieving office, AZRG § 18d)."""
    return any(organisation.pk in organisation_ids_with(user, perm) for perm in AZR_GRANTORS)


def azr_grant_organisations(user: AnyUser) -> list[Organisation]:
    """Organisations in which the user may grant or revoke AZR authorisations."""
    ids: set[int] = set()
    for perm in AZR_GRANTORS:
        ids |= set(organisation_ids_with(user, perm))
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def can_open_restricted(user: AnyUser, organisation: Organisation) -> bool:
    return has_permission(user, "case.restrict", organisation)


def get_case_for_user(request: HttpRequest, pk: int, write: bool = False, *, allow_restricted: bool = True) -> Case:
    """The case if the user holds case.read (case.write) in its owning organisation; 404 otherwise.

    Restricted records (Art. 18) are reachable only for holders of ``case.restrict``, and never for
    exports, prints, transmissions or writes (``allow_restricted=False``)."""
    case = Case.objects.visible_to(request.user).select_related("owner", "gemeinde").filter(pk=pk).first()
    if case is None:
        raise Http404
    if write and not has_permission(request.user, "case.write", case.owner):
        raise Http404
    if case.restricted_at is not None and (
        write or not allow_restricted or not can_open_restricted(request.user, case.owner)
    ):
        raise Http404
    return case


def get_outgoing_transmission(request: HttpRequest, pk: int, permission: str = "case.read") -> Transmission:
    transmission = Transmission.objects.select_related("sender", "recipient", "case").filter(pk=pk).first()
    if transmission is None or not has_permission(request.user, permission, transmission.sender):
        raise Http404
    return transmission


def get_incoming_transmission(request: HttpRequest, pk: int) -> Transmission:
    transmission = (
        Transmission.objects.incoming_for(request.user).select_related("sender", "recipient").filter(pk=pk).first()
    )
    if transmission is None:
        raise Http404
    return transmission
