"""Audit by construction (issue 10, item 4): every response that shows a seeded person's name has an audit
event of the reading user, over all KiIM routes × personas; the guard also covers views that forget it."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, reverse

from teilhabe.audit.models import AuditEvent
from teilhabe.registry import services
from teilhabe.registry.ledger import PersonDataAuditMiddleware
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import Case
from teilhabe.registry.tests.conftest import SEEDED_GIVEN, SEEDED_NAME, SEEDED_ORIGINAL, World
from teilhabe.registry.urls import urlpatterns

NEEDLES = (SEEDED_NAME, SEEDED_ORIGINAL, SEEDED_GIVEN)


def _urls(world: World, transmission_pk: int) -> list[str]:
    case = world.case
    goal = case.goals.first()
    urls = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        keys = set(pattern.pattern.converters)
        name = f"registry:{pattern.name}"
        if not keys:
            urls.append(reverse(name))
            continue
        if pattern.name in ("outgoing", "incoming", "approve", "reject", "revoke"):
            urls.append(reverse(name, kwargs={"pk": transmission_pk}))
        elif "group" in keys:
            urls.extend(reverse(name, kwargs={"pk": case.pk, "group": g}) for g in ("sprachkurs", "gesundheit"))
        elif "event_pk" in keys:
            event = case.events.current().first()
            assert event is not None
            urls.append(reverse(name, kwargs={"pk": case.pk, "event_pk": event.pk}))
        elif "goal_pk" in keys and goal is not None:
            urls.append(reverse(name, kwargs={"pk": case.pk, "goal_pk": goal.pk}))
        elif pattern.name in ("consent_withdraw", "notice_done", "azr_grant", "azr_revoke"):
            continue  # POST only
        else:
            urls.append(reverse(name, kwargs={"pk": case.pk, **(pattern.default_args or {})}))
    return urls


@pytest.mark.both_databases
def test_every_response_naming_a_person_has_an_audit_event(world: World) -> None:
    transmission = services.transmission_request(
        acting_user=world.p.alice,
        case=world.case,
        recipient=world.p.org_b,
        groups=["identitaet", "sprachkurs"],
        legal_basis=LegalBasis.AUFENTHG_87,
        purpose="Unterrichtung",
    )
    urls = [*_urls(world, transmission.pk), reverse("registry:list") + f"?q={SEEDED_NAME[:6].lower()}"]
    personas = [world.p.alice, world.p.bob, world.p.charlie, world.dora, world.erik, world.p.dpo, world.p.kreisadmin]
    shown = 0
    for user in personas:
        client = world.client(user)
        for url in urls:
            last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
            response = client.get(url)
            if response.status_code != 200 or getattr(response, "streaming", False):
                continue
            body = response.content.decode("utf-8", errors="ignore")
            if any(needle in body for needle in NEEDLES):
                shown += 1
                assert AuditEvent.objects.filter(id__gt=last, username=user.username).exists(), (user.username, url)
    assert shown >= 8  # the walk did reach pages with the person's name


def test_guard_writes_the_event_a_view_forgot(world: World) -> None:
    """A (hypothetical) new view renders the name without calling an audited accessor."""
    case_pk = world.case.pk

    def careless_view(request):
        case = Case.objects.get(pk=case_pk)
        return HttpResponse(f"<p>{case.family_name_latin}</p>", content_type="text/html")

    request = RequestFactory().get("/staff/kiim/neu-vergessen/")
    request.user = world.p.alice
    before = AuditEvent.objects.count()
    PersonDataAuditMiddleware(careless_view)(request)
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None and AuditEvent.objects.count() == before + 1
    assert event.action == "case.read" and event.object_id == str(case_pk) and event.extra["via"] == "response"
    assert SEEDED_NAME not in event.canonical_payload()  # the event names the record, never the person


def test_edit_form_read_is_audited(world: World) -> None:
    """Example 4: GET /staff/kiim/1/bearbeiten/ showed the identity without an event."""
    client = world.client(world.p.alice)
    before = AuditEvent.objects.filter(action="case.read", object_id=str(world.case.pk)).count()
    body = client.get(reverse("registry:edit", kwargs={"pk": world.case.pk})).content.decode()
    assert SEEDED_NAME in body
    events = AuditEvent.objects.filter(action="case.read", object_id=str(world.case.pk), username="alice")
    latest = events.order_by("-id").first()
    assert events.count() == before + 1 and latest is not None and latest.extra.get("via") != "response"
