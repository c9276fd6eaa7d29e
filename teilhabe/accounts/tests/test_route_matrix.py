"""Every staff route: anonymous → login, a declared permission, and no access across organisations (DP-06, DP-25)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from teilhabe.accounts.models import Membership
from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import Personas, login_verified

pytestmark = pytest.mark.django_db

# Views reachable without login inside /staff/ or /konto/: none under /staff/.
PUBLIC_ACCOUNT_ROUTES = {
    "accounts:login",
    "accounts:otp",
    "accounts:enroll",
    "accounts:logout",
    "accounts:enrol",
    "accounts:sso",
    "accounts:sso_callback",
}


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, URLPattern]]:  # type: ignore[type-arg]
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = (
                f"{namespace}:{pattern.namespace}"
                if namespace and pattern.namespace
                else (pattern.namespace or namespace)
            )
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}".strip(":") if pattern.name else ""
            yield prefix + str(pattern.pattern), name, pattern


def staff_routes() -> list[tuple[str, str, URLPattern]]:
    return [(route, name, p) for route, name, p in _walk(get_resolver().url_patterns) if route.startswith("staff/")]


def fill(route: str) -> str:
    """A concrete path for a route pattern; numbers point at an object that does not exist."""
    path = re.sub(r"<int:[^>]+>", "999999", route)
    path = re.sub(r"<slug:[^>]+>", "impressum", path)
    path = re.sub(r"<(str:)?[^>]+>", "x", path)
    return "/" + path


def test_every_staff_route_declares_a_permission() -> None:
    missing = [name or route for route, name, p in staff_routes() if not getattr(p.callback, "staff_permission", None)]
    assert missing == []


@pytest.mark.parametrize("route", [r for r, _n, _p in staff_routes()])
def test_anonymous_visitors_are_sent_to_the_login_on_every_staff_route(client: Client, route: str) -> None:
    response = client.get(fill(route))
    if response.status_code == 405:  # POST-only action: try the POST
        response = client.post(fill(route))
    assert response.status_code == 302, route
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("route", [r for r, _n, _p in staff_routes()])
def test_a_user_without_second_factor_gets_no_staff_page(client: Client, personas: Personas, route: str) -> None:
    client.force_login(personas.kreisadmin, backend="teilhabe.accounts.backends.ModelBackend")
    response = (
        client.get(fill(route)) if "sperren" not in route and "zuruecksetzen" not in route else client.post(fill(route))
    )
    assert response.status_code == 302, route
    assert (
        response["Location"] in (reverse("accounts:otp"), reverse("accounts:login"))
        or "anmelden" in response["Location"]
    )


def _account_routes_for_org_a(p: Personas) -> list[tuple[str, str]]:
    alice_membership = Membership.objects.get(user=p.alice, organisation=p.org_a)
    return [
        ("get", reverse("staff:organisation", args=[p.org_a.pk])),
        ("get", reverse("staff:organisation_edit", args=[p.org_a.pk])),
        ("get", reverse("staff:member_add", args=[p.org_a.pk])),
        ("post", reverse("staff:member_add", args=[p.org_a.pk])),
        ("get", reverse("staff:membership_edit", args=[alice_membership.pk])),
        ("post", reverse("staff:membership_edit", args=[alice_membership.pk])),
        ("post", reverse("staff:user_toggle_active", args=[p.alice.pk])),
        ("post", reverse("staff:user_mfa_reset", args=[p.alice.pk])),
    ]


def test_charlie_of_organisation_b_cannot_reach_anything_of_organisation_a(client: Client, personas: Personas) -> None:
    login_verified(client, personas.charlie)
    for method, url in _account_routes_for_org_a(personas):
        response = getattr(client, method)(url, {"role": "fallbearbeitung", "is_active": "on", "username": "x"})
        assert response.status_code in (403, 404), (method, url, response.status_code)
    personas.alice.refresh_from_db()
    assert personas.alice.is_active
    assert Membership.objects.filter(organisation=personas.org_a).count() == 2


def test_an_admin_of_organisation_b_cannot_manage_organisation_a(client: Client, personas: Personas) -> None:
    from teilhabe.accounts.roles import Role
    from teilhabe.core.testing import make_user

    admin_b = make_user("admin_b", personas.org_b, Role.ORG_ADMIN)
    login_verified(client, admin_b)
    for method, url in _account_routes_for_org_a(personas):
        response = getattr(client, method)(url, {"role": "fallbearbeitung", "is_active": "on"})
        assert response.status_code in (403, 404), (method, url, response.status_code)


def test_alice_sees_only_her_own_organisation_in_the_list(client: Client, personas: Personas) -> None:
    login_verified(client, personas.alice)
    page = client.get(reverse("staff:organisations")).content.decode()
    assert "Jobcenter A" in page and "Ausländerbehörde B" not in page


def test_a_caseworker_sees_no_member_list_of_her_organisation(client: Client, personas: Personas) -> None:
    login_verified(client, personas.alice)
    page = client.get(reverse("staff:organisation", args=[personas.org_a.pk])).content.decode()
    assert "bob" not in page


def test_only_the_dpo_reads_the_audit_log(client: Client, personas: Personas) -> None:
    for user in (personas.alice, personas.bob, personas.charlie, personas.kreisadmin):
        client = Client()
        login_verified(client, user)
        assert client.get(reverse("audit:events")).status_code == 403, user
        assert client.get(reverse("audit:verify")).status_code == 403, user
    client = Client()
    login_verified(client, personas.dpo)
    assert client.get(reverse("audit:events")).status_code == 200
    assert AuditEvent.objects.filter(action="audit.read", username="dsb").exists()


def test_legal_texts_are_edited_only_by_district_administrators(client: Client, personas: Personas) -> None:
    for user in (personas.alice, personas.bob, personas.charlie, personas.dpo):
        other = Client()
        login_verified(other, user)
        assert other.get(reverse("staff:legal_edit", args=["impressum"])).status_code == 403
    login_verified(client, personas.kreisadmin)
    assert client.get(reverse("staff:legal_edit", args=["impressum"])).status_code == 200


@pytest.mark.parametrize("role", [role.value for role in __import__("teilhabe.accounts.roles", fromlist=["Role"]).Role])
def test_route_by_role_matrix(client: Client, personas: Personas, role: str) -> None:
    """Every staff route for a member of each role: without the route's permission → 403, never a page;
    with it → no server error. Objects that do not exist are 404 for those who may look."""
    from teilhabe.accounts.roles import permissions_for
    from teilhabe.core.testing import make_user

    organisation = personas.landkreis if role in ("kreis_admin", "datenschutz") else personas.org_a
    user = make_user(f"matrix_{role}", organisation, role)
    login_verified(client, user)
    granted = permissions_for(role)
    for route, name, pattern in staff_routes():
        permission = pattern.callback.staff_permission  # type: ignore[attr-defined]
        path = fill(route)
        response = client.get(path)
        if response.status_code == 405:
            response = client.post(path)
        needed = (permission,) if isinstance(permission, str) else tuple(permission)  # any one of a tuple
        if not set(needed) & granted:
            assert response.status_code == 403, (role, name, path, response.status_code)
        else:
            assert response.status_code < 500, (role, name, path, response.status_code)
