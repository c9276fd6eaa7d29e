"""Agency API: same scoping, field-level rules and audit as the staff pages (issue #7 item 9)."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.audit.models import AuditEvent
from teilhabe.registry import api, services
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import ApiToken
from teilhabe.registry.tests.conftest import SEEDED_HEALTH, SEEDED_NAME, World


def _get(token: str, url: str, **params: str) -> tuple[int, dict]:
    response = Client().get(url, params, HTTP_AUTHORIZATION=f"Bearer {token}")
    return response.status_code, response.json()


def test_token_is_created_in_an_mfa_session_and_shown_once(world: World) -> None:
    client = world.client(world.p.alice)
    response = client.post(reverse("registry:api_tokens"), {"action": "create", "name": "Fachverfahren"})
    assert response.status_code == 200
    plaintext = response.context["plaintext"]
    assert plaintext.startswith("kiim_")
    token = ApiToken.objects.get(user=world.p.alice)
    assert token.token_hash != plaintext and plaintext not in str(ApiToken.objects.values_list())
    assert AuditEvent.objects.filter(action="api.token_create", username="alice").exists()
    assert plaintext not in client.get(reverse("registry:api_tokens")).content.decode()
    # Without a second factor in the session there is no token page at all.
    unverified = Client()
    unverified.force_login(world.p.alice, backend="teilhabe.accounts.backends.ModelBackend")
    assert unverified.post(reverse("registry:api_tokens"), {"action": "create"}).status_code == 302


def test_api_scoping_field_level_and_audit(world: World) -> None:
    _row, alice = api.token_create(acting_user=world.p.alice, name="a")
    _row, charlie = api.token_create(acting_user=world.p.charlie, name="c")
    _row, dora = api.token_create(acting_user=world.dora, name="d")
    case_url = reverse("kiim_api:case", kwargs={"pk": world.case.pk})
    status, body = _get(alice, case_url)
    assert status == 200 and body["groups"]["identitaet"]["family_name_latin"] == SEEDED_NAME
    assert "gesundheit" not in body["groups"] and SEEDED_HEALTH not in str(body)
    assert AuditEvent.objects.filter(action="case.read", username="alice", object_id=str(world.case.pk)).exists()
    status, body = _get(dora, case_url)
    assert status == 200 and body["groups"]["gesundheit"]["values"]["notes"] == SEEDED_HEALTH
    status, body = _get(charlie, case_url)
    assert status == 404 and body["error"]["code"] == "not_found"
    status, body = _get(charlie, reverse("kiim_api:cases"), q=SEEDED_NAME[:5])
    assert status == 200 and body["results"] == []
    status, body = _get(alice, reverse("kiim_api:cases"), q="zy")
    assert status == 400 and body["error"]["code"] == "search_too_short"
    status, body = _get(alice, reverse("kiim_api:cases"), q="zy", birth_year="1990")
    assert status == 200 and [r["id"] for r in body["results"]] == [world.case.pk]


def test_api_incoming_copy_exactly_the_transmitted_groups(world: World) -> None:
    transmission = services.transmission_request(
        acting_user=world.p.alice,
        case=world.case,
        recipient=world.p.org_b,
        groups=["identitaet"],
        legal_basis=LegalBasis.AUFENTHG_87,
        purpose="Mitteilung",
    )
    _row, charlie = api.token_create(acting_user=world.p.charlie, name="c")
    status, body = _get(charlie, reverse("kiim_api:incoming"))
    assert status == 200 and [r["id"] for r in body["results"]] == [transmission.pk]
    url = reverse("kiim_api:incoming_detail", kwargs={"pk": transmission.pk})
    status, body = _get(charlie, url)
    assert status == 200 and set(body["groups"]) == {"identitaet"}
    services.transmission_revoke(acting_user=world.p.alice, transmission=transmission, reason="Zweck erfüllt")
    assert _get(charlie, url)[0] == 404


def test_token_lifecycle(world: World) -> None:
    row, alice = api.token_create(acting_user=world.p.alice, name="a")
    url = reverse("kiim_api:cases")
    assert Client().get(url, {"q": "zyx"}).status_code == 401
    assert _get("kiim_wrong", url, q="zyx")[0] == 401
    assert _get(alice, url, q="zyx")[0] == 200
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _get(alice, url, q="zyx")[0] == 401
    row, alice = api.token_create(acting_user=world.p.alice, name="b")
    TOTPDevice.objects.filter(user=world.p.alice).delete()  # second factor reset
    assert _get(alice, url, q="zyx")[0] == 401
    TOTPDevice.objects.create(user=world.p.alice, name="neu", confirmed=True)
    client = world.client(world.p.alice)
    client.post(reverse("registry:api_tokens"), {"action": "revoke", "token": row.pk})
    assert _get(alice, url, q="zyx")[0] == 401
    assert AuditEvent.objects.filter(action="api.token_revoke").exists()
    # Bob (no case.read) gets 403 even with a valid token.
    _row, bob = api.token_create(acting_user=world.p.bob, name="b")
    assert _get(bob, url, q="zyx")[0] == 403


def test_openapi_document() -> None:
    body = Client().get(reverse("kiim_api:schema")).json()
    assert body["openapi"].startswith("3.") and "/api/v1/kiim/cases/{pk}/" in body["paths"]


def test_api_conforms_to_generated_openapi_with_schemathesis(world: World) -> None:
    """Issue 12, example 9: the document is generated from the serializers; schemathesis checks responses."""
    from teilhabe.lib.tests.apicheck import check_all_operations, wsgi_schema

    _row, alice = api.token_create(acting_user=world.p.alice, name="a")
    document = Client().get(reverse("kiim_api:schema")).json()
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert "groups" in document["components"]["schemas"]["Case"]["properties"]
    with wsgi_schema("/api/v1/kiim/schema/") as schema:
        paths = check_all_operations(schema, max_examples=8, headers={"Authorization": f"Bearer {alice}"})
    assert "/api/v1/kiim/cases/{pk}/" in paths
    assert _get("kiim_nope", reverse("kiim_api:incoming"))[1]["error"]["code"] == "unauthenticated"
