"""Short search form and events with a date filter (issue 13, item 6)."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
from django.test import Client
from django.utils import timezone

from teilhabe.directory.tests.helpers import make_event

pytestmark = pytest.mark.django_db


def test_search_form_is_short_with_the_rest_folded(client: Client, regions: None) -> None:
    page = lxml.html.fromstring(client.get("/angebote/").content)
    form = page.xpath("//form[@role='search']")[0]
    before_details = form.xpath(
        "./div[contains(@class,'form-grid')]//select | ./div[contains(@class,'form-grid')]//input"
    )
    assert [e.get("name") for e in before_details] == ["q", "gemeinde", "typ"]
    details = form.xpath(".//details")[0]
    assert details.get("open") is None
    assert {e.get("name") for e in details.xpath(".//input | .//select")} >= {"sprache", "kostenlos", "umkreis"}
    # No raw latitude/longitude boxes: they are hidden, filled by "Meinen Standort verwenden".
    assert form.xpath(".//input[@name='lat']")[0].get("type") == "hidden"
    # Checkboxes sit next to their labels.
    checkbox = form.xpath(".//input[@name='kostenlos']")[0]
    assert checkbox.getparent().get("class") == "checkbox-pair"
    assert (
        client.get("/angebote/?kostenlos=on").content.decode().count('<details class="directory-filters__more" open')
        == 1
    )


def test_events_date_filter_and_pagination(client: Client, personas) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    make_event(
        personas.org_a,
        title="Frühes Treffen",
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=1),
    )
    make_event(
        personas.org_a,
        title="Spätes Treffen",
        starts_at=now + timedelta(days=40),
        ends_at=now + timedelta(days=40, hours=1),
    )
    day = (now + timedelta(days=30)).date().isoformat()
    later = client.get(f"/angebote/veranstaltungen/?von={day}").content.decode()
    assert "Spätes Treffen" in later and "Frühes Treffen" not in later
    earlier = client.get(f"/angebote/veranstaltungen/?bis={day}").content.decode()
    assert "Frühes Treffen" in earlier and "Spätes Treffen" not in earlier
    for i in range(31):
        make_event(
            personas.org_a,
            title=f"Treffen {i}",
            starts_at=now + timedelta(days=3, minutes=i),
            ends_at=now + timedelta(days=3, hours=1),
        )
    first = client.get(f"/angebote/veranstaltungen/?bis={day}").content.decode()
    assert f"von=&amp;bis={day}&amp;seite=2" in first
