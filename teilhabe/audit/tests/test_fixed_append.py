"""``record()`` appends with fixed statements (decision 0176): the stored row is exactly the event the ORM would
have saved, the chain verifies, the event is durable when ``record()`` returns, and ``post_save`` receivers (the
person-data ledger) still hear of it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db.models.signals import post_save
from django.utils import timezone

from teilhabe.audit.models import AuditEvent
from teilhabe.audit.services import record, verify_chain
from teilhabe.core.testing import Personas

pytestmark = pytest.mark.both_databases


def test_the_stored_event_is_the_recorded_one(personas: Personas) -> None:
    before = timezone.now() - timedelta(seconds=1)
    event = record(
        "read",
        actor=personas.alice,
        organisation=personas.org_a,
        obj=personas.org_b,
        purpose="Prüfung „Ä“",
        changed_fields=["b", "a"],
        extra={"level": "gemeinde", "area": "12073008", "n": 3, "nested": {"ü": [1, 2.5, None, True]}},
    )
    assert event.pk is not None and not event._state.adding
    stored = AuditEvent.objects.get(pk=event.pk)
    for field in AuditEvent._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(event, field.attname), field.attname
    assert stored.changed_fields == ["a", "b"] and stored.extra["nested"] == {"ü": [1, 2.5, None, True]}
    assert stored.compute_hash() == stored.hash
    # the time is stored in the database's own format: range filters and ordering still find it
    assert AuditEvent.objects.filter(created_at__gte=before, created_at__lte=timezone.now(), pk=event.pk).exists()


def test_appended_events_chain_and_verify(personas: Personas) -> None:
    first = record("read", actor=personas.alice)
    second = record("read", actor=personas.bob, extra={"x": 1})
    anonymous = record("auth.login_failed", username="niemand")
    assert second.prev_hash == first.hash and anonymous.prev_hash == second.hash
    assert anonymous.user_id is None and anonymous.username == "niemand"
    assert list(AuditEvent.objects.order_by("-id").values_list("pk", flat=True)[:3]) == [
        anonymous.pk,
        second.pk,
        first.pk,
    ]
    _count, problems = verify_chain()
    assert problems == []


def test_post_save_receivers_hear_of_each_event_once(personas: Personas) -> None:
    heard: list[tuple[Any, bool]] = []

    def receiver(sender: Any, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
        heard.append((instance.pk, created))

    post_save.connect(receiver, sender=AuditEvent, dispatch_uid="test_fixed_append")
    try:
        event = record("read", actor=personas.alice)
    finally:
        post_save.disconnect(dispatch_uid="test_fixed_append", sender=AuditEvent)
    assert heard == [(event.pk, True)]
