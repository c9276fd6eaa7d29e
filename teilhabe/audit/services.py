"""``record()``: the one way to write an audit event. Call it inside the transaction of the change."""

from __future__ import annotations

from typing import Any

from django.db import connection, models, transaction
from django.db.models.signals import post_save
from django.utils import timezone

from teilhabe.audit.models import AuditEvent
from teilhabe.core.request_context import current_request_meta

GENESIS_HASH = "0" * 64
# Arbitrary constant key for the PostgreSQL advisory lock that serialises chain appends.
_CHAIN_LOCK_KEY = 7_354_201


class Action:
    """Stable action names. Capabilities may add their own (``case.read``, ``transmission.approve``)."""

    LOGIN = "auth.login"
    LOGIN_FAILED = "auth.login_failed"
    LOGOUT = "auth.logout"
    LOCKED_OUT = "auth.locked_out"
    MFA_VERIFIED = "auth.mfa_verified"
    MFA_FAILED = "auth.mfa_failed"
    MFA_ENROLLED = "auth.mfa_enrolled"
    MFA_RESET = "auth.mfa_reset"
    SESSION_EXPIRED = "auth.session_expired"
    PERMISSION_DENIED = "auth.permission_denied"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    READ = "read"
    SEARCH = "search"
    EXPORT = "export"


# The chain head and the append as fixed statements: every audited page view writes one event, and compiling the
# two querysets cost more CPU than the database took for them (issue 17, decision 0176). Same rows as
# ``AuditEvent.objects.order_by("-id").values_list("hash").first()`` and ``event.save()``.
_HEAD_SQL = 'SELECT "hash" FROM "audit_auditevent" ORDER BY "id" DESC LIMIT 1'
_INSERT_FIELDS = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
_INSERT_SQL = 'INSERT INTO "audit_auditevent" ({}) VALUES ({})'.format(  # noqa: S608 - column names, no input
    ", ".join(f'"{f.column}"' for f in _INSERT_FIELDS), ", ".join("%s" for _f in _INSERT_FIELDS)
)


def _insert(event: AuditEvent) -> None:
    """``event.save()`` (a new row) as one fixed statement; sends ``post_save`` as the save would."""
    values = [f.get_db_prep_save(getattr(event, f.attname), connection) for f in _INSERT_FIELDS]
    with connection.cursor() as cursor:
        if connection.features.can_return_columns_from_insert:
            cursor.execute(_INSERT_SQL + ' RETURNING "id"', values)
            event.pk = cursor.fetchone()[0]
        else:  # pragma: no cover - SQLite < 3.35
            cursor.execute(_INSERT_SQL, values)
            event.pk = cursor.lastrowid
    event._state.adding = False
    event._state.db = connection.alias
    post_save.send(
        sender=AuditEvent, instance=event, created=True, update_fields=None, raw=False, using=connection.alias
    )


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    # SQLite runs with transaction_mode=IMMEDIATE: the write lock is already held.


def record(
    action: str,
    *,
    actor: Any = None,
    organisation: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    purpose: str = "",
    changed_fields: list[str] | None = None,
    extra: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEvent:
    """Append an audit event. ``extra`` and ``changed_fields`` must never contain protected values."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    meta = current_request_meta()
    user = actor if (actor is not None and getattr(actor, "is_authenticated", False)) else None
    with transaction.atomic():
        _lock_chain()
        with connection.cursor() as cursor:
            cursor.execute(_HEAD_SQL)
            head = cursor.fetchone()
        previous = head[0] if head else None
        event = AuditEvent(
            created_at=timezone.now(),
            user=user,
            username=(user.get_username() if user else username)[:150],
            organisation=organisation,
            organisation_name=str(organisation)[:200] if organisation is not None else "",
            request_id=meta.request_id,
            ip_address=meta.ip_address,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr[:250],
            purpose=purpose[:500],
            changed_fields=sorted(changed_fields or []),
            extra=extra or {},
            prev_hash=previous or GENESIS_HASH,
        )
        event.hash = event.compute_hash()
        _insert(event)
    return event


def verify_chain(start_anchor: tuple[int | None, str] | None = None) -> tuple[int, list[str]]:
    """Recompute the chain. Returns (number of events checked, list of problems in German).

    ``start_anchor`` is ``(first_id, first_prev)`` from the latest checkpoint: after the retention job removed
    old events, the oldest remaining event points to a removed one; that is accepted only when a checkpoint
    recorded exactly this start. Without an anchor the chain must start at the genesis hash.
    """
    problems: list[str] = []
    count = 0
    expected_prev: str | None = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if expected_prev is None:
            anchored = start_anchor is not None and (event.pk, event.prev_hash) == tuple(start_anchor)
            if event.prev_hash != GENESIS_HASH and not anchored:
                problems.append(
                    f"Eintrag {event.pk}: Anfang der Kette fehlt (ältere Einträge außerhalb der Aufbewahrungsregel gelöscht)."
                )
        elif event.prev_hash != expected_prev:
            problems.append(f"Eintrag {event.pk}: Verkettung unterbrochen (Vorgänger fehlt oder wurde verändert).")
        if event.compute_hash() != event.hash:
            problems.append(f"Eintrag {event.pk}: Inhalt passt nicht zur gespeicherten Prüfsumme (verändert).")
        expected_prev = event.hash
    return count, problems
