"""Who may do what, where. One condition per line; every staff view goes through these helpers.

Deny by default (DP-25): a user without an active membership granting a permission gets nothing.
Objects outside the user's organisations are answered with 404, so their existence is not revealed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from teilhabe.accounts.models import Organisation, OrganisationKind, User
from teilhabe.accounts.roles import DISTRICT_WIDE_PERMISSIONS, DISTRICT_WIDE_ROLES, permissions_for

AnyUser = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """Type of ``request`` in views behind ``staff_required``: the user is a logged-in ``User``."""

    user: User


View = TypeVar("View", bound=Callable[..., HttpResponse])

_CACHE_ATTR = "_teilhabe_permissions"

# The active memberships of one user in active organisations, as one fixed statement: every staff request reads
# them against current data (a revoked membership takes effect on the next request), and compiling the
# equivalent queryset cost more CPU than the database took to answer (issue 17, decision 0176). Same rows and
# order as ``Membership.objects.filter(user=user, is_active=True, pending=False, organisation__is_active=True)``.
_GRANTS_SQL = (
    'SELECT m."organisation_id", o."kind", m."role" FROM "accounts_membership" m '
    'INNER JOIN "accounts_organisation" o ON o."id" = m."organisation_id" '
    'WHERE m."user_id" = %s AND m."is_active" = %s AND m."pending" = %s AND o."is_active" = %s '
    'ORDER BY o."name", m."role"'
)


def _grants(user: AnyUser) -> list[tuple[int, str, str, frozenset[str]]]:
    """(organisation id, organisation kind, role, permissions) per active membership, cached per user object."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute(_GRANTS_SQL, [user.pk, True, False, True])
            rows = cursor.fetchall()
        cached = [(org_id, kind, role, permissions_for(role)) for org_id, kind, role in rows]
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_permissions(user: AnyUser) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_permission(user: AnyUser, permission: str, organisation: Organisation | int | None = None) -> bool:
    """True if the user holds ``permission`` in ``organisation`` (or in any organisation if None)."""
    org_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    for grant_org, _kind, _role, perms in _grants(user):
        if permission not in perms:
            continue
        if org_id is None or grant_org == org_id:
            return True
    return has_district_permission(user, permission)


def has_district_permission(user: AnyUser, permission: str) -> bool:
    """True if the permission is held installation-wide: a district-wide role in the Landkreis office,
    and only for administration and oversight permissions (never for case records)."""
    if permission not in DISTRICT_WIDE_PERMISSIONS:
        return False
    for _org, kind, role, perms in _grants(user):
        if kind != OrganisationKind.LANDKREIS:
            continue
        if role not in DISTRICT_WIDE_ROLES:
            continue
        if permission in perms:
            return True
    return False


def organisation_ids_with(user: AnyUser, permission: str) -> set[int]:
    return {org for org, _kind, _role, perms in _grants(user) if permission in perms}


def organisations_with(user: AnyUser, permission: str) -> Any:
    """Queryset of the organisations in which the user holds ``permission``."""
    if has_district_permission(user, permission):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=organisation_ids_with(user, permission))


def all_permissions(user: AnyUser) -> set[str]:
    return {perm for *_rest, perms in _grants(user) for perm in perms}


def is_verified(user: AnyUser) -> bool:
    """Password *and* second factor passed in this session (django-otp)."""
    return bool(user.is_authenticated and getattr(user, "is_verified", lambda: False)())


def staff_required(permission: str | tuple[str, ...] = "staff.access") -> Callable[[View], View]:
    """Decorator for staff views: login + MFA, then the permission (any one of a tuple), else 403."""
    permissions = (permission,) if isinstance(permission, str) else permission

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_verified(user):
                return redirect("accounts:otp")
            if not any(has_permission(user, p) for p in permissions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.staff_permission = permission  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def get_organisation_for_user(request: HttpRequest, pk: int, permission: str) -> Organisation:
    """The organisation, if the user holds ``permission`` in it; 404 otherwise."""
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise Http404
    if not has_permission(request.user, permission, organisation):
        raise Http404
    return organisation
