"""Audited writes of organisations, accounts and memberships (convention 5)."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from teilhabe.accounts.models import Membership, Organisation, User
from teilhabe.accounts.separation import can_confirm, grant_refusal, opens_person_data
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


class GrantRefused(PermissionDenied):
    """A role grant that separation of duties forbids; the message is German and ends with a code."""


@transaction.atomic
def user_create(
    *,
    acting_user: User | None,
    username: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """Create an account. Accounts created by a person get no password: they receive a personal, expiring
    link (``invitation_send``) and set password and second factor themselves. ``password`` is only for
    accounts created by the system (demo, management commands: ``acting_user=None``)."""
    if acting_user is not None and password:
        raise PermissionDenied("Administratoren setzen keine Passwörter (accounts.admin_sets_password).")
    user = User(username=username, first_name=first_name, last_name=last_name, email=email, created_by=acting_user)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record(
        Action.CREATE,
        actor=acting_user,
        obj=user,
        object_repr=user.username,
        changed_fields=["username", "first_name", "last_name", "email", *(["password"] if password else [])],
    )
    return user


def _dpo_addresses() -> list[str]:
    from teilhabe.accounts.models import OrganisationKind
    from teilhabe.accounts.roles import Role

    return sorted(
        set(
            Membership.objects.filter(
                role=Role.DATENSCHUTZ,
                is_active=True,
                organisation__kind=OrganisationKind.LANDKREIS,
                user__is_active=True,
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _notify_dpo(membership: Membership, event: str) -> None:
    """E-mail to the district's data-protection officer(s) about a grant that opens person data."""
    recipients = _dpo_addresses()
    if not recipients:
        return
    subject = f"Teilhabe: Rolle mit Zugriff auf Personendaten {event}"
    body = (
        f"Konto: {membership.user.username}\n"
        f"Organisation: {membership.organisation.name}\n"
        f"Rolle: {membership.get_role_display()}\n"
        f"Erteilt von: {membership.granted_by.username if membership.granted_by else '–'}\n"
        f"Bestätigt von: {membership.confirmed_by.username if membership.confirmed_by else 'noch offen'}\n"
    )
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients, fail_silently=True))


@transaction.atomic
def membership_add(*, acting_user: User | None, user: User, organisation: Organisation, role: str) -> Membership:
    """Grant ``role``. A person-data role granted by a person waits for a second person's confirmation
    (``membership_confirm``) and is reported to the data-protection officer. Raises ``GrantRefused``."""
    if acting_user is not None:
        reason = grant_refusal(acting_user, user, organisation, role)
        if reason:
            raise GrantRefused(reason)
    pending = acting_user is not None and opens_person_data(role)
    membership, created = Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        role=role,
        defaults={"granted_by": acting_user, "pending": pending},
    )
    if not created and (not membership.is_active or membership.pending != pending):
        membership.is_active = True
        membership.pending = pending or membership.pending
        membership.granted_by = acting_user
        membership.confirmed_by = None
        membership.confirmed_at = None
        membership.save(update_fields=["is_active", "pending", "granted_by", "confirmed_by", "confirmed_at"])
    record(
        "membership.grant",
        actor=acting_user,
        organisation=organisation,
        obj=membership,
        extra={"user": user.username, "role": role, "pending": membership.pending},
    )
    if pending:
        _notify_dpo(membership, "beantragt")
    return membership


@transaction.atomic
def membership_confirm(*, acting_user: User, membership: Membership) -> Membership:
    """The second person confirms a pending grant; only then does the role take effect."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.pending or not can_confirm(acting_user, membership):
        raise GrantRefused(
            "Bestätigen kann nur eine zweite Person: Administration oder Fallaufsicht derselben Organisation "
            "oder der/die Datenschutzbeauftragte (accounts.confirm_not_allowed)."
        )
    membership.pending = False
    membership.confirmed_by = acting_user
    membership.confirmed_at = timezone.now()
    membership.save(update_fields=["pending", "confirmed_by", "confirmed_at"])
    record(
        "membership.confirm",
        actor=acting_user,
        organisation=membership.organisation,
        obj=membership,
        extra={"user": membership.user.username, "role": membership.role, "granted_by": membership.granted_by_id},
    )
    _notify_dpo(membership, "bestätigt")
    return membership


@transaction.atomic
def membership_update(*, acting_user: User, membership: Membership, role: str, is_active: bool) -> Membership:
    """Change role or active flag. A change *to* a person-data role is a new grant (refusals as in
    ``membership_add``; waits for confirmation). Ending a membership is always allowed, except one's own."""
    if membership.user_id == acting_user.pk:
        raise GrantRefused("Niemand ändert die eigene Rolle (accounts.self_grant).")
    if role != membership.role or (is_active and not membership.is_active):
        reason = grant_refusal(acting_user, membership.user, membership.organisation, role)
        if reason:
            raise GrantRefused(reason)
    changed = _changed(membership, {"role": role, "is_active": is_active})
    old_role = membership.role
    regrant = opens_person_data(role) and (role != old_role or (is_active and not membership.is_active))
    membership.role = role
    membership.is_active = is_active
    if regrant:
        membership.pending = True
        membership.granted_by = acting_user
        membership.confirmed_by = None
        membership.confirmed_at = None
    membership.save(update_fields=["role", "is_active", "pending", "granted_by", "confirmed_by", "confirmed_at"])
    if changed:
        record(
            "membership.change",
            actor=acting_user,
            organisation=membership.organisation,
            obj=membership,
            changed_fields=changed,
            extra={
                "user": membership.user.username,
                "role_before": old_role,
                "role_after": role,
                "active": is_active,
                "pending": membership.pending,
            },
        )
    if regrant:
        _notify_dpo(membership, "beantragt")
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
def user_deactivate(*, acting_user: User | None, user: User, reason: str) -> None:
    """Disable *user*, end their sessions, audit it (``acting_user`` None: a scheduled job or directory sync)."""
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
