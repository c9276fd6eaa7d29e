"""Agency API /api/v1/kiim/…: the same scoping, field-level rules and audit events as the staff pages.

Authentication: ``Authorization: Bearer <token>`` with a personal token created in an MFA-verified staff
session (``/staff/kiim/api-zugang/``). A token works only while the account is active and still has a
confirmed second factor, and until it expires (``TEILHABE_REGISTRY_API_TOKEN_DAYS``, default 30).
Errors: ``{"error": {"code": "...", "message": "..."}}``. OpenAPI document: /api/v1/kiim/schema/.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.accounts.access import has_permission
from teilhabe.accounts.models import User
from teilhabe.audit.services import record
from teilhabe.registry import services
from teilhabe.registry.access import readable_groups, received_groups
from teilhabe.registry.models import ApiToken, Case, Transmission

TOKEN_PREFIX = "kiim_"  # noqa: S105 - a visible prefix, not a secret


def error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(*, acting_user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the plaintext (shown once)."""
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    days = settings.REGISTRY_API_TOKEN_DAYS
    token = ApiToken.objects.create(
        user=acting_user,
        name=name.strip()[:100] or "API",
        token_hash=_hash(plaintext),
        prefix=plaintext[:8],
        expires_at=timezone.now() + timedelta(days=days),
    )
    record(
        "api.token_create",
        actor=acting_user,
        object_type="registry.apitoken",
        object_id=token.pk,
        extra={"expires_in_days": days},
    )
    return token, plaintext


@transaction.atomic
def token_revoke(*, acting_user: User, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record("api.token_revoke", actor=acting_user, object_type="registry.apitoken", object_id=token.pk)


def _authenticate(request: HttpRequest) -> User | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(header[7:].strip()), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if not TOTPDevice.objects.filter(user=token.user, confirmed=True).exists():
        return None  # MFA-bound: a reset second factor also stops the token
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def api_view(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
    @csrf_exempt
    @require_GET
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        user = _authenticate(request)
        if user is None:
            return error(401, "unauthenticated", "Gültiges API-Token erforderlich.")
        if not has_permission(user, "case.read"):
            return error(403, "forbidden", "Keine Berechtigung für Integrationsakten.")
        request.user = user
        return view(request, *args, **kwargs)

    return wrapper


def _not_found() -> JsonResponse:
    return error(404, "not_found", "Nicht gefunden.")


@api_view
def case_search(request: HttpRequest) -> JsonResponse:
    birth_year = request.GET.get("birth_year", "")
    try:
        found, truncated = services.case_search(
            acting_user=request.user,
            query=request.GET.get("q", ""),
            birth_year=int(birth_year) if birth_year.isdigit() else None,
        )
    except ValidationError as exc:
        return error(400, "search_too_short", " ".join(exc.messages))
    results = []
    for case in found:
        item: dict[str, Any] = {"id": case.pk, "reference": case.display_reference, "owner": case.owner.name}
        item["match_reason"] = getattr(case, "match_reason", "")  # issue 11: why this hit was found
        if "identitaet" in readable_groups(request.user, case.owner):
            item.update(
                {
                    "family_name_latin": case.family_name_latin,
                    "given_names_latin": case.given_names_latin,
                    "birth_date": case.birth_date_display(),
                }
            )
        results.append(item)
    return JsonResponse({"count": len(results), "truncated": truncated, "results": results})


@api_view
def case_detail(request: HttpRequest, pk: int) -> JsonResponse:
    case = (
        Case.objects.visible_to(request.user)
        .filter(pk=pk, restricted_at__isnull=True)
        .select_related("owner", "gemeinde")
        .first()
    )
    if case is None:
        return _not_found()
    data = services.case_read(acting_user=request.user, case=case, action="case.read")
    return JsonResponse(
        {
            "id": case.pk,
            "reference": case.display_reference,
            "owner": case.owner.name,
            "synthetic": case.is_synthetic,
            **data,
        }
    )


@api_view
def incoming(request: HttpRequest) -> JsonResponse:
    rows = Transmission.objects.incoming_for(request.user).select_related("sender")[:200]
    return JsonResponse(
        {
            "results": [
                {
                    "id": t.pk,
                    "sender": t.sender.name,
                    "legal_basis": t.legal_basis,
                    "purpose": t.purpose,
                    "field_groups": t.field_groups,
                    "snapshot_at": t.snapshot_at.isoformat() if t.snapshot_at else None,
                }
                for t in rows
            ]
        }
    )


@api_view
def incoming_detail(request: HttpRequest, pk: int) -> JsonResponse:
    transmission = (
        Transmission.objects.incoming_for(request.user).select_related("sender", "recipient").filter(pk=pk).first()
    )
    if transmission is None:
        return _not_found()
    groups = received_groups(request.user, transmission)
    data = services.transmission_read(acting_user=request.user, transmission=transmission, groups=groups)
    return JsonResponse(
        {
            "id": transmission.pk,
            "sender": transmission.sender.name,
            "snapshot_at": transmission.snapshot_at.isoformat() if transmission.snapshot_at else None,
            **data,
        }
    )


@require_GET
def schema(request: HttpRequest) -> JsonResponse:
    bearer: list[dict[str, list[str]]] = [{"bearer": []}]
    error_ref = {"$ref": "#/components/schemas/Error"}

    def op(summary: str, params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        return {
            "get": {
                "summary": summary,
                "security": bearer,
                "parameters": params or [],
                "responses": {
                    "200": {"description": "OK"},
                    "401": {
                        "description": "Token fehlt, abgelaufen oder widerrufen",
                        "content": {"application/json": {"schema": error_ref}},
                    },
                    "404": {
                        "description": "Nicht vorhanden oder außerhalb der eigenen Organisation",
                        "content": {"application/json": {"schema": error_ref}},
                    },
                },
            }
        }

    pk = {"name": "pk", "in": "path", "required": True, "schema": {"type": "integer"}}
    return JsonResponse(
        {
            "openapi": "3.1.0",
            "info": {
                "title": "Teilhabe KiIM-API",
                "version": "1",
                "description": "Integrationsakten der eigenen Organisation und empfangene Übermittlungen. "
                "Nur Feldgruppen, die die Rolle lesen darf; jeder Zugriff wird protokolliert.",
            },
            "components": {
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                "schemas": {
                    "Error": {
                        "type": "object",
                        "properties": {
                            "error": {
                                "type": "object",
                                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                            }
                        },
                    }
                },
            },
            "paths": {
                "/api/v1/kiim/cases/": op(
                    "Personensuche (mindestens 3 Zeichen oder Name und Geburtsjahr)",
                    [
                        {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}},
                        {"name": "birth_year", "in": "query", "schema": {"type": "integer"}},
                    ],
                ),
                "/api/v1/kiim/cases/{pk}/": op("Integrationsakte (erlaubte Feldgruppen)", [pk]),
                "/api/v1/kiim/transmissions/incoming/": op("Empfangene Übermittlungen"),
                "/api/v1/kiim/transmissions/incoming/{pk}/": op("Kopie einer empfangenen Übermittlung", [pk]),
            },
        }
    )
