from __future__ import annotations

import json
from datetime import timedelta

import icalendar
import jsonschema
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from teilhabe.core.testing import login_verified
from teilhabe.directory import services
from teilhabe.directory.models import Recurrence, Status, TranslationStatus
from teilhabe.directory.tests.helpers import grant_directory_roles, make_event, make_location, make_offer

pytestmark = pytest.mark.django_db


def test_ical_feed_parses_and_escapes(personas) -> None:
    offer = make_offer(personas.org_a)
    long_title = "Sprachcafé; Treffpunkt, Austausch – مقهى اللغة للتعارف والتبادل بين الثقافات " * 2
    make_event(
        personas.org_a,
        offer=offer,
        title=long_title,
        description="Zeile 1\nZeile 2; mit, Zeichen\\",
        recurrence=Recurrence.WEEKLY,
        repeat_until=timezone.localdate() + timedelta(days=60),
        location=make_location(personas.org_a),
    )
    make_event(personas.org_a, title="Entwurf", status=Status.DRAFT)
    response = Client().get(reverse("directory:event_feed"))
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(raw)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]) == long_title
    assert str(events[0]["DESCRIPTION"]) == "Zeile 1\nZeile 2; mit, Zeichen\\"
    assert events[0]["RRULE"]["FREQ"] == ["WEEKLY"]  # type: ignore[index]


def test_ical_feed_filters_by_type(personas) -> None:
    make_event(personas.org_a, title="Fußball", event_type="leisure")
    make_event(personas.org_a, title="Beratungstag", event_type="counselling")
    body = Client().get(reverse("directory:event_feed"), {"typ": "leisure"}).content.decode()
    assert "Fußball" in body and "Beratungstag" not in body


def test_weekly_event_stays_at_18_berlin_across_both_clock_changes(personas) -> None:
    """Issue 12, example 6: Thursday 18:00 Berlin from 2026-03-19, expanded by recurring-ical-events."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    import recurring_ical_events

    berlin = ZoneInfo("Europe/Berlin")
    make_event(
        personas.org_a,
        title="Elterncafé",
        starts_at=dt.datetime(2026, 3, 19, 18, 0, tzinfo=berlin),
        ends_at=dt.datetime(2026, 3, 19, 20, 0, tzinfo=berlin),
        recurrence=Recurrence.WEEKLY,
        repeat_until=dt.date(2026, 11, 26),
    )
    raw = Client().get(reverse("directory:event_feed")).content
    assert b"DTSTART;TZID=Europe/Berlin:20260319T180000" in raw and b"BEGIN:VTIMEZONE" in raw
    calendar = icalendar.Calendar.from_ical(raw)
    occurrences = recurring_ical_events.of(calendar).between(dt.date(2026, 3, 1), dt.date(2026, 12, 31))
    starts = [o["DTSTART"].dt.astimezone(berlin) for o in occurrences]
    assert len(starts) == 37 and starts[-1].date() == dt.date(2026, 11, 26)
    assert {(s.hour, s.minute, s.weekday()) for s in starts} == {(18, 0, 3)}  # across 29 March and 25 October


def test_hsds_export_validates_against_official_hsds_3_schemas(personas) -> None:
    """Issue 12, example 7: every service and organisation valid against the compiled HSDS 3.0 schemas."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from teilhabe.lib.tests.standards import standard

    service_schema = json.loads(standard("hsds-3", "compiled", "service.json").read_text())
    organization_schema = json.loads(standard("hsds-3", "compiled", "organization.json").read_text())
    services.profile_save(
        acting_user=None,
        organisation=personas.org_a,
        data={"description": "Jobcenter", "languages": ["de", "ar"], "is_public": True},
    )
    offer = make_offer(personas.org_a, location=make_location(personas.org_a), contact_phone="03984 1234")
    berlin = ZoneInfo("Europe/Berlin")
    make_event(
        personas.org_a,
        offer=offer,
        recurrence=Recurrence.WEEKLY,
        starts_at=dt.datetime(2026, 3, 19, 18, 0, tzinfo=berlin),
        ends_at=dt.datetime(2026, 3, 19, 20, 0, tzinfo=berlin),
    )
    make_offer(personas.org_b, title="Ohne Ort")  # no profile, no website, no e-mail: nothing may be null
    document = Client().get(reverse("directory_api:hsds")).json()
    assert len(document["services"]) == 2 and len(document["organizations"]) == 2
    for schema, items in ((service_schema, document["services"]), (organization_schema, document["organizations"])):
        validator = jsonschema.validators.validator_for(schema)(schema, format_checker=jsonschema.FormatChecker())
        for item in items:
            errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(item)]
            assert errors == [], errors
    schedule = document["services"][0]["schedules"][0]
    assert schedule["dtstart"] == "2026-03-19" and schedule["opens_at"] == "18:00" and schedule["timezone"] == 1
    assert schedule["freq"] == "WEEKLY" and schedule["byday"] == "TH"
    assert "null" not in json.dumps(document)


def test_api_lists_published_offers_in_requested_language(personas) -> None:
    offer = make_offer(personas.org_a, title="Hausaufgabenhilfe")
    services.translation_save(acting_user=None, obj=offer, language="uk", data={"title": "Допомога з уроками"})
    make_offer(personas.org_a, title="Entwurf", status=Status.DRAFT)
    data = Client().get(reverse("directory_api:offers"), {"lang": "uk"}).json()
    assert data["count"] == 1
    assert data["results"][0]["title"] == "Допомога з уроками"
    data = Client().get(reverse("directory_api:offers"), {"lang": "fa"}).json()
    assert data["results"][0]["translation_notice"] == "missing"
    detail = Client().get(reverse("directory_api:offer", args=[offer.pk])).json()
    assert detail["translations"]["uk"]["status"] == "current"


def test_api_rejects_bad_input_with_json_errors(personas) -> None:
    client = Client()
    assert client.get(reverse("directory_api:offers"), {"typ": "nope"}).status_code == 400
    assert client.get(reverse("directory_api:offers"), {"page": "0"}).status_code == 400
    assert client.get(reverse("directory_api:offers"), {"page": "9"}).status_code == 404
    assert client.get(reverse("directory_api:offers"), {"lat": "x"}).json()["error"]["code"] == "invalid_filter"


def test_openapi_document(personas) -> None:
    schema = Client().get(reverse("directory_api:openapi")).json()
    assert schema["openapi"].startswith("3.")
    paths = {"/offers/", "/offers/{id}/", "/events/", "/organisations/", "/hsds.json"}
    assert {"/api/v1/directory" + p for p in paths} <= set(schema["paths"])
    # Generated from the serializers that write the responses (decision 0040), not hand-written.
    assert "translation_notice" in schema["components"]["schemas"]["Offer"]["properties"]


def test_xliff_round_trip(personas) -> None:
    grant_directory_roles(personas)
    offer = make_offer(personas.org_a, title="Nähcafé", summary="Gemeinsam nähen")
    client = login_verified(Client(), personas.alice)
    exported = client.get(reverse("directory_staff:xliff_export"), {"sprache": "en"}).content.decode()
    assert 'target-language="en"' in exported and f'id="offer-{offer.pk}-title"' in exported
    # What an agency sends back: the same unit ids with targets filled in.
    translated = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file original="x" source-language="de" target-language="en" datatype="plaintext"><body>'
        f'<trans-unit id="offer-{offer.pk}-title"><source>Nähcafé</source><target>Sewing café</target>'
        "</trans-unit></body></file></xliff>"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("en.xlf", translated.encode(), content_type="application/x-xliff+xml")
    response = client.post(reverse("directory_staff:xliff_import"), {"file": upload})
    assert response.status_code == 200
    translation = offer.translations.get(language="en")
    assert translation.title == "Sewing café" and translation.status == TranslationStatus.CURRENT


def test_xliff_import_refuses_entity_expansion_and_foreign_entries(personas) -> None:
    grant_directory_roles(personas)
    foreign = make_offer(personas.org_b, title="Von B")
    client = login_verified(Client(), personas.alice)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file target-language="en">'
        b'<body><trans-unit id="offer-1-title"><source>x</source><target>&b;</target></trans-unit>'
        b"</body></file></xliff>"
    )
    body = client.post(
        reverse("directory_staff:xliff_import"), {"file": SimpleUploadedFile("a.xlf", bomb)}
    ).content.decode()
    assert "xliff.parse" in body
    other = (
        f'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file target-language="en">'
        f'<body><trans-unit id="offer-{foreign.pk}-title"><source>x</source><target>Hijack</target>'
        "</trans-unit></body></file></xliff>"
    ).encode()
    body = client.post(
        reverse("directory_staff:xliff_import"), {"file": SimpleUploadedFile("b.xlf", other)}
    ).content.decode()
    assert "xliff.not_found" in body
    assert not foreign.translations.exists()


def test_xliff_export_with_pasted_control_characters_is_valid_and_round_trips(personas) -> None:
    """Issue 12, example 3: texts from Word with control characters; the own export parses and re-imports."""
    from lxml import etree
    from translate.storage.xliff import xlifffile

    from teilhabe.directory.models import Offer
    from teilhabe.directory.xliff import export_xliff, import_xliff

    offer = make_offer(personas.org_a, title="Nähcafé", summary="Gemeinsam nähen")
    # Stored before input cleaning existed (or by a data migration): the export must still be valid XML.
    Offer.objects.filter(pk=offer.pk).update(summary="Gemeinsam\x0b nähen\x07 \u202eund reden")
    exported = export_xliff(Offer.objects.filter(pk=offer.pk), target_language="ar")
    etree.fromstring(exported)  # well-formed
    units = {u.xmlelement.get("id"): u for u in xlifffile.parsestring(exported).units}
    assert units[f"offer-{offer.pk}-summary"].source == "Gemeinsam nähen und reden"
    # Translated by an agency: targets filled, state "translated"; the same file comes back.
    filled = exported.replace(
        b'state="needs-translation"/>', b'state="translated">\xd8\xaa\xd8\xb1\xd8\xac\xd9\x85\xd8\xa9</target>'
    )
    report = import_xliff(filled, acting_user=None, offers=Offer.objects.all(), events=Offer.objects.none())
    assert report.errors == [] and report.saved == 1
    assert offer.translations.get(language="ar").title == "ترجمة"


def test_xliff_import_honours_state(personas) -> None:
    """Issue 12, example 8: needs-translation/new with a copy of the source are not current translations."""
    from teilhabe.directory.models import Offer
    from teilhabe.directory.xliff import import_xliff

    offer = make_offer(personas.org_a, title="Nähcafé", summary="Gemeinsam nähen")
    document = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file original="x" source-language="de" target-language="ar" datatype="plaintext"><body>'
        f'<trans-unit id="offer-{offer.pk}-title"><source>Nähcafé</source>'
        '<target state="needs-translation">Nähcafé</target></trans-unit>'
        f'<trans-unit id="offer-{offer.pk}-summary"><source>Gemeinsam nähen</source>'
        '<target state="new">Gemeinsam nähen</target></trans-unit>'
        "</body></file></xliff>"
    ).encode()
    report = import_xliff(document, acting_user=None, offers=Offer.objects.all(), events=Offer.objects.none())
    assert report.saved == 0 and len(report.skipped) == 2
    assert not offer.translations.filter(language="ar").exists()
    copy = document.replace(b'state="needs-translation"', b'state="translated"').replace(b'state="new"', b"")
    report = import_xliff(copy, acting_user=None, offers=Offer.objects.all(), events=Offer.objects.none())
    assert report.saved == 0 and all("Kopie" in s for s in report.skipped)


def test_public_proposal_title_loses_bidi_override(personas) -> None:
    """Issue 12, example 3: U+202E in a public submission is neutralised at input."""
    from teilhabe.directory.forms import ProposalForm

    form = ProposalForm(data={"title": "Sprach\u202ecafé"})
    form.is_valid()
    assert form.cleaned_data.get("title") == "Sprachcafé"
