"""Object- and field-level access to case records (DP-06, DP-10, § 35 SGB I).

A group is readable for a user on a case if (1) the owning organisation's kind may hold the group, (2) the
user's role grants ``fieldgroup.<name>.read`` in that organisation and (3) Art. 9 groups are enabled. Fields
of groups that are not readable are never put into a context, JSON export or search result.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from teilhabe.accounts.access import AnyUser, has_permission
from teilhabe.accounts.models import Organisation
from teilhabe.registry.fieldgroups import FIELD_GROUPS, art9_enabled
from teilhabe.registry.models import Case, Transmission


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
    return has_permission(user, "azr.read", organisation)


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
