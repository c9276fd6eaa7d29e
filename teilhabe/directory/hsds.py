"""Open Referral HSDS 3.0 export of the published directory (organisations, services, locations, schedules).

Identifiers are stable UUIDs derived from the database ids, as HSDS 3.0 expects UUID strings. Optional
fields without a value are left out (the schemas allow no ``null`` where a string is expected). Schedules
give dates as ``YYYY-MM-DD``, ``opens_at``/``closes_at`` as local wall-clock times in Europe/Berlin and
``timezone`` as that zone's UTC offset in hours at ``dtstart`` (HSDS 3.0 models the zone as a number).
Validated in the tests against the official compiled schemas ``service.json`` and ``organization.json``.
"""

from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from teilhabe.directory.models import (
    SPOKEN_LANGUAGE_NAMES,
    Event,
    Location,
    Offer,
    OrganisationProfile,
    Recurrence,
)

BERLIN = ZoneInfo("Europe/Berlin")
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://teilhabe.invalid/hsds")
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def hsds_id(kind: str, pk: Any) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{pk}"))


def compact(value: Any) -> Any:
    """Drop keys whose value is ``None`` or ``""`` (recursively): HSDS leaves absent fields out."""
    if isinstance(value, dict):
        return {k: compact(v) for k, v in value.items() if v is not None and v != ""}
    if isinstance(value, list):
        return [compact(v) for v in value]
    return value


def _organization(org_id: int, name: str, profile: OrganisationProfile | None) -> dict[str, Any]:
    return {
        "id": hsds_id("organization", org_id),
        "name": name,
        "description": (profile.description if profile else "") or name,
        "email": (profile.contact_email if profile else "") or None,
        "website": (profile.website if profile else "") or None,
        "languages": [
            {
                "id": hsds_id(f"org-language-{org_id}", code),
                "name": SPOKEN_LANGUAGE_NAMES.get(code, code),
                "code": code,
            }
            for code in (profile.language_list if profile else [])
        ],
    }


def _location(location: Location) -> dict[str, Any]:
    address = None
    if location.street and location.city:
        address = {
            "id": hsds_id("address", location.pk),
            "location_id": hsds_id("location", location.pk),
            "address_1": location.street,
            "city": location.city,
            "region": location.gemeinde.name if location.gemeinde else None,
            "state_province": "",
            "postal_code": location.postcode,
            "country": "DE",
            "address_type": "physical",
        }
    accessibility = []
    if location.wheelchair_accessible:
        accessibility.append(
            {
                "id": hsds_id("accessibility-wheelchair", location.pk),
                "location_id": hsds_id("location", location.pk),
                "description": "stufenlos/rollstuhlgerecht",
                "details": location.accessibility_note,
            }
        )
    return {
        "id": hsds_id("location", location.pk),
        "location_type": "physical",
        "name": location.name,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "external_identifier": str(location.pk),
        "external_identifier_type": "teilhabe",
        "addresses": [address] if address else [],
        "accessibility": accessibility,
    }


def _schedule(event: Event, service_id: str) -> dict[str, Any]:
    starts = event.starts_at.astimezone(BERLIN)
    ends = event.ends_at.astimezone(BERLIN) if event.ends_at else None
    offset = starts.utcoffset()
    schedule: dict[str, Any] = {
        "id": hsds_id("schedule", event.pk),
        "service_id": service_id,
        "valid_from": starts.date().isoformat(),
        "dtstart": starts.date().isoformat(),
        "timezone": offset.total_seconds() / 3600 if offset is not None else 0,
        "opens_at": starts.strftime("%H:%M"),
        "closes_at": ends.strftime("%H:%M") if ends else None,
        "description": event.title,
        "notes": "Ortszeit Europe/Berlin",
    }
    if event.recurrence == Recurrence.WEEKLY:
        schedule.update(freq="WEEKLY", interval=1, wkst="MO", byday=WEEKDAYS[starts.weekday()])
        if event.repeat_until:
            schedule["until"] = event.repeat_until.isoformat()
            schedule["valid_to"] = event.repeat_until.isoformat()
    else:
        schedule["valid_to"] = (ends or starts).date().isoformat()
    return schedule


def hsds_export() -> dict[str, Any]:
    offers = list(
        Offer.objects.published()
        .select_related("owner", "location", "location__gemeinde", "gemeinde")
        .prefetch_related("events")
        .order_by("pk")
    )
    profiles = {p.organisation_id: p for p in OrganisationProfile.objects.select_related("organisation")}
    organizations: dict[int, dict[str, Any]] = {}
    locations: dict[int, dict[str, Any]] = {}
    services: list[dict[str, Any]] = []
    service_at_locations: list[dict[str, Any]] = []
    base = settings.SITE_URL.rstrip("/")
    for offer in offers:
        if offer.owner_id not in organizations:
            organizations[offer.owner_id] = _organization(
                offer.owner_id, offer.owner.name, profiles.get(offer.owner_id)
            )
        service_id = hsds_id("service", offer.pk)
        services.append(
            {
                "id": service_id,
                "organization_id": hsds_id("organization", offer.owner_id),
                "name": offer.title,
                "description": offer.description or offer.summary or offer.title,
                "url": base + reverse("directory:offer", args=[offer.pk]),
                "email": offer.contact_email or None,
                "status": "active",
                "eligibility_description": offer.eligibility or None,
                "application_process": offer.how_to_access or None,
                "fees_description": ("kostenlos" if offer.is_free else offer.cost_note) or None,
                "last_modified": offer.updated_at.isoformat(),
                "assured_date": offer.last_confirmed_at.date().isoformat() if offer.last_confirmed_at else None,
                "languages": [
                    {
                        "id": hsds_id(f"service-language-{offer.pk}", code),
                        "service_id": service_id,
                        "name": SPOKEN_LANGUAGE_NAMES.get(code, code),
                        "code": code,
                    }
                    for code in offer.language_list
                ],
                "phones": [
                    {
                        "id": hsds_id("phone", offer.pk),
                        "service_id": service_id,
                        "number": offer.contact_phone,
                    }
                ]
                if offer.contact_phone
                else [],
                "schedules": [_schedule(e, service_id) for e in offer.events.all() if e.status == "published"],
                "attributes": [
                    {
                        "id": hsds_id(f"attribute-type-{offer.pk}", offer.offer_type),
                        "link_id": service_id,
                        "link_type": "service",
                        "link_entity": "service",
                        "taxonomy_term_id": hsds_id("taxonomy-term", offer.offer_type),
                        "value": offer.offer_type,
                    },
                ],
            }
        )
        if offer.location is not None:
            if offer.location_id not in locations:
                locations[offer.location_id] = _location(offer.location)
            service_at_locations.append(
                {
                    "id": hsds_id("service-at-location", f"{offer.pk}-{offer.location_id}"),
                    "service_id": service_id,
                    "location_id": hsds_id("location", offer.location_id),
                }
            )
    return compact(
        {
            "hsds_version": "3.0",
            "organizations": list(organizations.values()),
            "services": services,
            "locations": list(locations.values()),
            "service_at_locations": service_at_locations,
        }
    )
