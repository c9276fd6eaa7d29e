"""iCalendar (RFC 5545) feed written by the ``icalendar`` library.

Times are local wall-clock times in ``Europe/Berlin`` with ``TZID`` and a ``VTIMEZONE`` component, so a
weekly event at Thursday 18:00 stays at 18:00 across both clock changes (a UTC ``DTSTART`` with a weekly
``RRULE`` would move by an hour). ``RRULE;UNTIL`` is given in UTC as RFC 5545 requires with a zoned start.
Escaping and folding at 75 octets are done by the library.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import icalendar
from django.urls import reverse
from django.utils import timezone

from teilhabe.directory.models import Event, Recurrence

BERLIN = ZoneInfo("Europe/Berlin")


def _local(value: datetime) -> datetime:
    return value.astimezone(BERLIN)


def event_component(event: Event, *, base_url: str, stamp: datetime) -> icalendar.Event:
    url = base_url.rstrip("/") + reverse("directory:events") + f"#veranstaltung-{event.pk}"
    component = icalendar.Event()
    component.add("uid", f"directory-event-{event.pk}@teilhabe")
    component.add("dtstamp", stamp.astimezone(UTC))
    component.add("dtstart", _local(event.starts_at))
    if event.ends_at:
        component.add("dtend", _local(event.ends_at))
    if event.recurrence == Recurrence.WEEKLY:
        rule: dict[str, object] = {"freq": "weekly"}
        if event.repeat_until:
            rule["until"] = datetime.combine(event.repeat_until, time(23, 59, 59), BERLIN).astimezone(UTC)
        component.add("rrule", rule)
    component.add("summary", event.title)
    if event.description:
        component.add("description", event.description)
    place = event.location.address_line if event.location else (event.gemeinde.name if event.gemeinde else "")
    if event.location and event.location.name:
        place = f"{event.location.name}, {place}" if place else event.location.name
    if place:
        component.add("location", place)
    if event.location and event.location.latitude is not None and event.location.longitude is not None:
        component.add("geo", (float(event.location.latitude), float(event.location.longitude)))
    component.add("categories", [str(event.get_event_type_display())])
    if event.owner.email:
        name = "".join(c for c in event.owner.name if c != '"' and c.isprintable())
        organizer = icalendar.vCalAddress(f"mailto:{event.owner.email}")
        organizer.params["cn"] = name
        component.add("organizer", organizer)
    component.add("url", url)
    component.add("last-modified", event.updated_at.astimezone(UTC))
    return component


def calendar_for(events: Iterable[Event], *, base_url: str) -> str:
    """The whole feed as text (CRLF lines); one ``VTIMEZONE`` for Europe/Berlin when there are events."""
    stamp = timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Teilhabe//Angebotsverzeichnis//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Veranstaltungen")
    calendar.add("x-wr-timezone", "Europe/Berlin")
    for event in events:
        calendar.add_component(event_component(event, base_url=base_url, stamp=stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical().decode("utf-8")
