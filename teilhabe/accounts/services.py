"""Audited writes of organisations, accounts and memberships (convention 5)."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.accounts.models import Membership, Organisation, User
from teilhabe.audit.services import Action, record


def _changed(instance: Any, data: dict[str, Any]) -> list[str]:
    changed = []
    for field, value in data.items():
        current = getattr(instance, field)
        if hasattr(current, "all"):  # many-to-many
            if {obj.pk for obj in current.all()} != {obj.pk for obj in value}:
                changed.append(field)
        elif current != value:
            changed.append(field)
    return changed


@transaction.atomic
def organisation_create(*, acting_user: User, data: dict[str, Any]) -> Organisation:
    gemeinden = data.pop("gemeinden", [])
    organisation = Organisation.objects.create(**data)
    organisation.gemeinden.set(gemeinden)
    record(
        Action.CREATE,
        actor=acting_user,
        organisation=organisation,
        obj=organisation,
        changed_fields=[*data.keys(), "gemeinden"],
    )
    return organisation


@transaction.atomic
def organisation_update(*, acting_user: User, organisation: Organisation, data: dict[str, Any]) -> Organisation:
    changed = _changed(organisation, data)
    gemeinden = data.pop("gemeinden", None)
    for field, value in data.items():
        setattr(organisation, field, value)
    organisation.save()
    if gemeinden is not None:
        organisation.gemeinden.set(gemeinden)
    if changed:
        record(Action.UPDATE, actor=acting_user, organisation=organisation, obj=organisation, changed_fields=changed)
    return organisation


@transaction.atomic
def user_create(
    *,
    acting_user: User | None,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_password(password)
    user.save()
    record(
        Action.CREATE,
        actor=acting_user,
        obj=user,
        object_repr=user.username,
        changed_fields=["username", "first_name", "last_name", "email", "password"],
    )
    return user


@transaction.atomic
def membership_add(*, acting_user: User | None, user: User, organisation: Organisation, role: str) -> Membership:
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    record(
        "membership.grant",
        actor=acting_user,
        organisation=organisation,
        obj=membership,
        extra={"user": user.username, "role": role},
    )
    return membership


@transaction.atomic
def membership_update(*, acting_user: User, membership: Membership, role: str, is_active: bool) -> Membership:
    changed = _changed(membership, {"role": role, "is_active": is_active})
    old_role = membership.role
    membership.role = role
    membership.is_active = is_active
    membership.save(update_fields=["role", "is_active"])
    if changed:
        record(
            "membership.change",
            actor=acting_user,
            organisation=membership.organisation,
            obj=membership,
            changed_fields=changed,
            extra={"user": membership.user.username, "role_before": old_role, "role_after": role, "active": is_active},
        )
    return membership


def end_sessions(user: User) -> int:
    """Delete every server-side session of the user (DP-23: a disabled user's sessions end)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_deactivate(*, acting_user: User, user: User, reason: str) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = end_sessions(user)
    record(
        "user.deactivate",
        actor=acting_user,
        obj=user,
        object_repr=user.username,
        purpose=reason,
        changed_fields=["is_active"],
        extra={"sessions_ended": ended},
    )


@transaction.atomic
def user_reactivate(*, acting_user: User, user: User, reason: str) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])
    record(
        "user.reactivate",
        actor=acting_user,
        obj=user,
        object_repr=user.username,
        purpose=reason,
        changed_fields=["is_active"],
    )


@transaction.atomic
def mfa_reset(*, acting_user: User, user: User, reason: str) -> None:
    """Remove all second factors; the person enrols a new one at the next login."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    end_sessions(user)
    record(Action.MFA_RESET, actor=acting_user, obj=user, object_repr=user.username, purpose=reason)


@transaction.atomic
def static_codes_create(*, acting_user: User | None, user: User, count: int = 10) -> list[str]:
    """Fresh single-use emergency codes (replacing any earlier ones). Shown to the person once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Notfall-Codes", confirmed=True)
    codes = []
    for _ in range(count):
        token = StaticToken.random_token()
        device.token_set.create(token=token)
        codes.append(token)
    record("auth.backup_codes_created", actor=acting_user, obj=user, object_repr=user.username, extra={"count": count})
    return codes
