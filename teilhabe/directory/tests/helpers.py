"""Shared builders for the directory tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from teilhabe.accounts.models import Membership, Organisation
from teilhabe.accounts.roles import Role
from teilhabe.core.testing import Personas
from teilhabe.directory import services
from teilhabe.directory.models import Event, Location, Offer, Status


def grant_directory_roles(personas: Personas) -> None:
    """Alice edits A's entries, Charlie B's (REDAKTION); both also keep a dialogue log (KOORDINATION)."""
    Membership.objects.create(user=personas.alice, organisation=personas.org_a, role=Role.REDAKTION)
    Membership.objects.create(user=personas.alice, organisation=personas.org_a, role=Role.KOORDINATION)
    Membership.objects.create(user=personas.charlie, organisation=personas.org_b, role=Role.REDAKTION)
    Membership.objects.create(user=personas.charlie, organisation=personas.org_b, role=Role.KOORDINATION)


def make_offer(owner: Organisation, **fields: Any) -> Offer:
    data: dict[str, Any] = {
        "title": "Deutschkurs für Anfänger",
        "offer_type": "language_course",
        "summary": "Deutsch lernen am Abend",
        "description": "Wir lernen gemeinsam Deutsch.",
        "languages": ["de", "ar"],
        "target_groups": ["adults"],
        "is_free": True,
        "status": Status.PUBLISHED,
    }
    data.update(fields)
    return services.offer_create(acting_user=None, owner=owner, data=data)


def make_location(owner: Organisation, **fields: Any) -> Location:
    data: dict[str, Any] = {
        "name": "Bürgerhaus",
        "street": "Markt 1",
        "postcode": "17291",
        "city": "Prenzlau",
        "latitude": 53.3167,
        "longitude": 13.8667,
        "wheelchair_accessible": True,
    }
    data.update(fields)
    return services.location_save(acting_user=None, owner=owner, data=data)


def make_event(owner: Organisation, **fields: Any) -> Event:
    data: dict[str, Any] = {
        "title": "Sprachcafé",
        "event_type": "language_course",
        "status": Status.PUBLISHED,
        "starts_at": timezone.now() + timedelta(days=3),
        "ends_at": timezone.now() + timedelta(days=3, hours=2),
    }
    data.update(fields)
    return services.event_save(acting_user=None, owner=owner, data=data)
