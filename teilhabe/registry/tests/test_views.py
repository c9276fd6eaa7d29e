"""Staff pages: create, edit, field groups, trajectory and plan; each write asserts its audit event."""

from __future__ import annotations

from django.urls import reverse

from teilhabe.audit.models import AuditEvent
from teilhabe.registry.models import Case, FieldGroupEntry, PlanGoal, TrajectoryEvent
from teilhabe.registry.tests.conftest import World


def test_create_case_via_form(world: World, regions) -> None:
    from teilhabe.regions.models import Gemeinde

    gemeinde = Gemeinde.objects.filter(kreis_id="12073").first()
    assert gemeinde is not None
    client = world.client(world.p.alice)
    assert client.get(reverse("registry:create")).status_code == 200
    response = client.post(
        reverse("registry:create"),
        {
            "family_name": "Петренко",
            "family_name_latin": "Petrenko",
            "given_names_latin": "Iryna",
            "birth_year": 1984,
            "birth_month": "",
            "birth_day": "",
            "sex": "w",
            "nationalities": ["166"],
            "arrival_date": "2022-04-01",
            "gemeinde": gemeinde.pk,
            "legal_basis": "art6_1_e",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(family_name_latin="Petrenko")
    assert case.owner == world.p.org_a and case.birth_month is None and case.gemeinde == gemeinde
    assert AuditEvent.objects.filter(action="case.create", object_id=str(case.pk), username="alice").exists()


def test_create_rejects_unknown_basis_and_partial_dates(world: World) -> None:
    client = world.client(world.p.alice)
    response = client.post(
        reverse("registry:create"),
        {"family_name": "X", "birth_day": 5, "sex": "x", "legal_basis": "art6_1_e"},
    )
    assert response.status_code == 200
    assert "registry.birth_without_year" in response.content.decode() or "registry.birth_day_without_month" in (
        response.content.decode()
    )
    assert Case.objects.count() == 1


def test_org_admin_cannot_create(world: World) -> None:
    assert world.client(world.p.bob).get(reverse("registry:create")).status_code == 403


def test_fieldgroup_form_and_art19(world: World) -> None:
    client = world.client(world.p.alice)
    url = reverse("registry:fieldgroup", kwargs={"pk": world.case.pk, "group": "wohnen"})
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"form": "gemeinschaftsunterkunft", "moved_in_on": "2022-05-01", "legal_basis": "sgb_x_67a"}
    )
    assert response.status_code == 302
    entry = FieldGroupEntry.objects.get(case=world.case, group="wohnen")
    assert entry.data["moved_in_on"] == "2022-05-01"
    event = AuditEvent.objects.filter(action="fieldgroup.update", username="alice").first()
    assert event is not None and event.extra["group"] == "wohnen"
    # Groups the role or organisation kind cannot write are not offered at all.
    for group in ("gesundheit", "aufenthalt", "identitaet", "unbekannt"):
        assert (
            client.get(reverse("registry:fieldgroup", kwargs={"pk": world.case.pk, "group": group})).status_code == 404
        )


def test_art9_form_requires_art9_basis(world: World) -> None:
    client = world.client(world.dora)
    url = reverse("registry:fieldgroup", kwargs={"pk": world.case.pk, "group": "gesundheit"})
    response = client.post(url, {"notes": "neu", "support_need": "nein", "legal_basis": "art6_1_e"})
    assert response.status_code == 200
    assert "registry.art9_basis_required" in response.content.decode()


def test_event_and_goal_forms(world: World) -> None:
    client = world.client(world.p.alice)
    response = client.post(
        reverse("registry:event_add", kwargs={"pk": world.case.pk}),
        {"kind": "employment_started", "date": "2024-02-01", "detail": "Pflegehilfe"},
    )
    assert response.status_code == 302
    assert TrajectoryEvent.objects.filter(case=world.case, kind="employment_started").exists()
    assert AuditEvent.objects.filter(action="case.event_add").exists()
    # Alice cannot add health events or goals (no Art. 9 permission): not among the choices.
    response = client.post(
        reverse("registry:goal_add", kwargs={"pk": world.case.pk}),
        {"area": "gesundheit", "description": "x", "status": "open"},
    )
    assert response.status_code == 200 and not PlanGoal.objects.filter(description="x").exists()
    response = client.post(
        reverse("registry:goal_add", kwargs={"pk": world.case.pk}),
        {"area": "arbeit", "description": "Vollzeitstelle", "status": "open", "review_on": "2025-01-01"},
    )
    assert response.status_code == 302
    goal = PlanGoal.objects.get(description="Vollzeitstelle")
    response = client.post(
        reverse("registry:goal_edit", kwargs={"pk": world.case.pk, "goal_pk": goal.pk}),
        {"area": "arbeit", "description": "Vollzeitstelle", "status": "achieved"},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == "achieved"
    assert AuditEvent.objects.filter(action="case.goal_update", extra__goal_id=goal.pk).exists()
    health_goal = PlanGoal.objects.get(area="gesundheit")
    assert (
        client.get(reverse("registry:goal_edit", kwargs={"pk": world.case.pk, "goal_pk": health_goal.pk})).status_code
        == 404
    )


def test_detail_page_lists_actions(world: World) -> None:
    response = world.client(world.p.alice).get(reverse("registry:detail", kwargs={"pk": world.case.pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("registry:transmit", kwargs={"pk": world.case.pk}) in body
    assert reverse("registry:history", kwargs={"pk": world.case.pk}) not in body
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
