"""Agency API /api/v1/kiim/…: the same scoping, field-level rules and audit events as the staff pages.

Authentication: ``Authorization: Bearer <token>`` with a personal token created in an MFA-verified staff
session (``/staff/kiim/api-zugang/``). A token works only while the account is active and still has a
confirmed second factor, and until it expires (``TEILHABE_REGISTRY_API_TOKEN_DAYS``, default 30).
Errors: ``{"error": {"code": "...", "message": "..."}}``. DRF views on the one API layer (decision 0040):
the serializers below write the responses and drf-spectacular generates /api/v1/kiim/schema/ from them.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import authentication, exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teilhabe.accounts.access import has_permission
from teilhabe.accounts.models import User
from teilhabe.audit.services import record
from teilhabe.lib.api import ApiError, ErrorSerializer
from teilhabe.registry import services
from teilhabe.registry.access import readable_groups, received_groups
from teilhabe.registry.models import ApiToken, Case, Transmission

TOKEN_PREFIX = "kiim_"  # noqa: S105 - a visible prefix, not a secret


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


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer kiim_…``: personal, MFA-bound, expiring tokens (see ``_authenticate``)."""

    def authenticate(self, request: Request) -> tuple[User, None] | None:
        user = _authenticate(request._request)
        return (user, None) if user is not None else None

    def authenticate_header(self, request: Request) -> str:
        return "Bearer"


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "teilhabe.registry.api.TokenAuthentication"
    name = "bearer"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}


class TokenRequired(exceptions.NotAuthenticated):
    error_code = "unauthenticated"
    default_detail = "Gültiges API-Token erforderlich."


class KiimView(APIView):
    """Token required, permission ``case.read``; scoping and audit stay in the services (as on the pages)."""

    authentication_classes = [TokenAuthentication]

    def check_permissions(self, request: Request) -> None:
        if request.user is None:
            raise TokenRequired()
        if not has_permission(request.user, "case.read"):
            raise ApiError(403, "forbidden", "Keine Berechtigung für Integrationsakten.")


def _not_found() -> ApiError:
    return ApiError(404, "not_found", "Nicht gefunden.")


class CaseHitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    owner = serializers.CharField()
    family_name_latin = serializers.CharField(required=False, help_text="nur mit Leserecht Identität")
    given_names_latin = serializers.CharField(required=False)
    birth_date = serializers.CharField(required=False)
    match_reason = serializers.CharField(required=False, help_text="Warum dieser Treffer gefunden wurde, z. B. „Name ähnlich, Geburtsjahr gleich“")


class CaseQuerySerializer(serializers.Serializer):
    """At least three characters of the name (shorter only together with ``birth_year``: then 400 otherwise)."""

    q = serializers.RegexField(r"^[^\s\x00]{3,}[^\x00]*$", help_text="Namensteil, mindestens 3 Zeichen")
    birth_year = serializers.IntegerField(required=False, min_value=1900, max_value=2100)


class CaseSearchSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    truncated = serializers.BooleanField()
    results = CaseHitSerializer(many=True)


class CaseContentSerializer(serializers.Serializer):
    """Exactly the field groups the role may read: ``groups`` maps group → values; events and goals of them."""

    groups = serializers.DictField(child=serializers.JSONField())
    events = serializers.ListField(child=serializers.JSONField())
    goals = serializers.ListField(child=serializers.JSONField())


class CaseSerializer(CaseContentSerializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    owner = serializers.CharField()
    synthetic = serializers.BooleanField()


class TransmissionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sender = serializers.CharField()
    legal_basis = serializers.CharField()
    purpose = serializers.CharField()
    field_groups = serializers.JSONField()
    snapshot_at = serializers.DateTimeField(allow_null=True)


class TransmissionListSerializer(serializers.Serializer):
    results = TransmissionSerializer(many=True)


class TransmissionCopySerializer(CaseContentSerializer):
    id = serializers.IntegerField()
    sender = serializers.CharField()
    snapshot_at = serializers.DateTimeField(allow_null=True)
    reference = serializers.CharField(allow_blank=True)


ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="Token fehlt, abgelaufen oder widerrufen"),
    403: OpenApiResponse(ErrorSerializer, description="Keine Berechtigung für Integrationsakten"),
    404: OpenApiResponse(ErrorSerializer, description="Nicht vorhanden oder außerhalb der eigenen Organisation"),
}


class CaseSearchView(KiimView):
    @extend_schema(
        operation_id="searchCases",
        summary="Personensuche (mindestens 3 Zeichen oder Name und Geburtsjahr)",
        parameters=[CaseQuerySerializer],
        responses={
            200: CaseSearchSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Suche zu kurz"),
            401: ERRORS[401],
            403: ERRORS[403],
        },
    )
    def get(self, request: Request) -> Response:
        birth_year = request.GET.get("birth_year", "")
        try:
            found, truncated = services.case_search(
                acting_user=request.user,
                query=request.GET.get("q", ""),
                birth_year=int(birth_year) if birth_year.isdigit() else None,
            )
        except ValidationError as exc:
            raise ApiError(400, "search_too_short", " ".join(exc.messages)) from None
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
        return Response(CaseSearchSerializer({"count": len(results), "truncated": truncated, "results": results}).data)


class CaseDetailView(KiimView):
    @extend_schema(
        operation_id="getCase",
        summary="Integrationsakte (erlaubte Feldgruppen)",
        responses={200: CaseSerializer, **ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        case = (
            Case.objects.visible_to(request.user)
            .filter(pk=pk, restricted_at__isnull=True)
            .select_related("owner", "gemeinde")
            .first()
        )
        if case is None:
            raise _not_found()
        data = services.case_read(acting_user=request.user, case=case, action="case.read")
        body = {
            "id": case.pk,
            "reference": case.display_reference,
            "owner": case.owner.name,
            "synthetic": case.is_synthetic,
        }
        return Response(CaseSerializer({**body, **data}).data)


class IncomingView(KiimView):
    @extend_schema(
        operation_id="listIncomingTransmissions",
        summary="Empfangene Übermittlungen",
        responses={200: TransmissionListSerializer, 401: ERRORS[401], 403: ERRORS[403]},
    )
    def get(self, request: Request) -> Response:
        rows = Transmission.objects.incoming_for(request.user).select_related("sender")[:200]
        results = [
            {
                "id": t.pk,
                "sender": t.sender.name,
                "legal_basis": t.legal_basis,
                "purpose": t.purpose,
                "field_groups": t.field_groups,
                "snapshot_at": t.snapshot_at,
            }
            for t in rows
        ]
        return Response(TransmissionListSerializer({"results": results}).data)


class IncomingDetailView(KiimView):
    @extend_schema(
        operation_id="getIncomingTransmission",
        summary="Kopie einer empfangenen Übermittlung",
        responses={200: TransmissionCopySerializer, **ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        transmission = (
            Transmission.objects.incoming_for(request.user).select_related("sender", "recipient").filter(pk=pk).first()
        )
        if transmission is None:
            raise _not_found()
        groups = received_groups(request.user, transmission)
        data = services.transmission_read(acting_user=request.user, transmission=transmission, groups=groups)
        body = {"id": transmission.pk, "sender": transmission.sender.name, "snapshot_at": transmission.snapshot_at}
        return Response(TransmissionCopySerializer({**data, **body}).data)
