"""Hypothesis round trips export → import for the directory's standard formats (XLIFF, iCal)."""

from __future__ import annotations

from typing import Any

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from teilhabe.directory.models import Event, Offer
from teilhabe.directory.tests.helpers import make_event, make_offer
from teilhabe.directory.xliff import export_xliff, import_xliff
from teilhabe.lib.tabular import clean_text

pytestmark = pytest.mark.django_db
TEXT = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=60).filter(
    lambda t: clean_text(t).strip() and clean_text(t.replace("\x00", "")).strip()
)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@SETTINGS
@given(title=TEXT, summary=TEXT, translated=TEXT)
def test_xliff_export_is_always_valid_and_reimports(personas: Any, title: str, summary: str, translated: str) -> None:
    offer = Offer.objects.filter(owner=personas.org_a).first() or make_offer(personas.org_a)
    # Stored texts may hold control characters from before input cleaning (PostgreSQL cannot hold NUL).
    title, summary = title.replace("\x00", ""), summary.replace("\x00", "")
    Offer.objects.filter(pk=offer.pk).update(title=title[:200], summary=summary[:300])
    exported = export_xliff(Offer.objects.filter(pk=offer.pk), target_language="uk")
    root = etree.fromstring(exported)
    sources = [e.text or "" for e in root.iter("{urn:oasis:names:tc:xliff:document:1.2}source")]
    assert clean_text(title[:200]).strip() in [s.strip() for s in sources]
    ns = b'<target state="needs-translation"/>'
    element = etree.Element("target", {"state": "translated"})
    element.text = clean_text(translated)
    filled = exported.replace(ns, etree.tostring(element), 1)
    report = import_xliff(filled, acting_user=None, offers=Offer.objects.all(), events=Event.objects.none())
    assert report.errors == []


@SETTINGS
@given(title=TEXT, description=TEXT)
def test_ical_feed_round_trips_texts(personas: Any, title: str, description: str) -> None:
    event = Event.objects.filter(owner=personas.org_a).first() or make_event(personas.org_a)
    Event.objects.filter(pk=event.pk).update(title=clean_text(title)[:200], description=clean_text(description))
    calendar = icalendar.Calendar.from_ical(Client().get(reverse("directory:event_feed")).content)
    (component,) = list(calendar.walk("VEVENT"))
    assert str(component["SUMMARY"]) == clean_text(title)[:200]
    assert str(component.get("DESCRIPTION", "")) == clean_text(description)
