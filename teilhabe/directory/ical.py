"""iCalendar (RFC 5545) text written by hand: CRLF lines, TEXT escaping and folding at 75 octets."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.urls import reverse
from django.utils import timezone

from teilhabe.directory.models import Event, Recurrence


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets without cutting a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = ""
    limit = 75
    for char in line:
        if len((current + char).encode("utf-8")) > limit:
            parts.append(current)
            current = char
            limit = 74  # continuation lines start with one space
        else:
            current += char
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(event: Event, *, base_url: str, stamp: datetime) -> list[str]:
    url = base_url.rstrip("/") + reverse("directory:events") + f"#veranstaltung-{event.pk}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:directory-event-{event.pk}@teilhabe",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(event.starts_at)}",
    ]
    if event.ends_at:
        lines.append(f"DTEND:{_utc(event.ends_at)}")
    if event.recurrence == Recurrence.WEEKLY:
        rule = "RRULE:FREQ=WEEKLY"
        if event.repeat_until:
            rule += f";UNTIL={event.repeat_until:%Y%m%d}T235959Z"
        lines.append(rule)
    lines.append(f"SUMMARY:{escape_text(event.title)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    place = event.location.address_line if event.location else (event.gemeinde.name if event.gemeinde else "")
    if event.location and event.location.name:
        place = f"{event.location.name}, {place}" if place else event.location.name
    if place:
        lines.append(f"LOCATION:{escape_text(place)}")
    if event.location and event.location.latitude is not None and event.location.longitude is not None:
        lines.append(f"GEO:{event.location.latitude:.6f};{event.location.longitude:.6f}")
    lines.append(f"CATEGORIES:{escape_text(event.get_event_type_display())}")
    if event.owner.email:
        # Parameter values are quoted strings: they cannot contain DQUOTE or control characters.
        name = "".join(c for c in event.owner.name if c != '"' and c.isprintable())
        lines.append(f'ORGANIZER;CN="{name}":mailto:{event.owner.email}')
    lines.append(f"URL:{url}")
    lines.append(f"LAST-MODIFIED:{_utc(event.updated_at)}")
    lines.append("END:VEVENT")
    return lines


def calendar_for(events: Iterable[Event], *, base_url: str) -> str:
    stamp = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Teilhabe//Angebotsverzeichnis//DE",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Veranstaltungen",
    ]
    for event in events:
        lines.extend(event_lines(event, base_url=base_url, stamp=stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
