"""iCalendar (RFC 5545) for meeting invitations, written with the ``icalendar`` library.

Times carry ``TZID=Europe/Berlin`` with a VTIMEZONE generated from the zoneinfo database, so calendar
clients show the local time across daylight-saving changes. The UID is stable per meeting and SEQUENCE
grows with every re-invitation, so clients update the entry instead of adding a second one.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from teilhabe.concept.models import Meeting

BERLIN = ZoneInfo("Europe/Berlin")


def meeting_calendar(meeting: Meeting, *, method: str = "PUBLISH") -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Teilhabe//Gremien//DE")
    cal.add("version", "2.0")
    cal.add("method", method)
    start = meeting.starts_at.astimezone(BERLIN)
    end = meeting.ends_at.astimezone(BERLIN)
    cal.add_component(Timezone.from_tzinfo(BERLIN, first_date=start.date(), last_date=end.date()))
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{settings.TEILHABE_KREIS}.teilhabe")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"{meeting.body.name}: {meeting.title}")
    if meeting.location:
        event.add("location", meeting.location)
    if meeting.agenda:
        event.add("description", "Tagesordnung:\n" + meeting.agenda)
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(meeting.body.owner.name)
    event["organizer"] = organizer
    cal.add_component(event)
    return cal.to_ical()
