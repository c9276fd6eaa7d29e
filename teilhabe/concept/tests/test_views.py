"""Staff pages × personas: the office edits, Gemeinden their own measures, others get 403/404; audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from teilhabe.audit.models import AuditEvent
from teilhabe.concept import services
from teilhabe.concept.models import Measure, MeasureStatus
from teilhabe.core.testing import login_verified

from .conftest import World

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    return login_verified(Client(), user)  # type: ignore[arg-type]


def test_the_office_reads_and_edits_the_concept(world: World) -> None:
    client = _client(world.office_user)
    version = world.concept.versions.get()
    for url in (
        reverse("concept_staff:index"),
        reverse("concept_staff:version", args=[version.pk]),
        reverse("concept_staff:goal", args=[world.goal.pk]),
        reverse("concept_staff:measure", args=[world.measure_a.pk]),
        reverse("concept_staff:measure_edit", args=[world.measure_a.pk]),
        reverse("concept_staff:target_create", args=[world.goal.pk]),
        reverse("concept_staff:responsibilities"),
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(
        reverse("concept_staff:goal_create", args=[world.goal.field_id]), {"title": "Sprachkurse füllen"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="concept.goal_create", username="kora").exists()


def test_a_gemeinde_edits_its_own_measure_only(world: World) -> None:
    client = _client(world.gero_a)
    page = client.get(reverse("concept_staff:goal", args=[world.goal.pk]))
    assert page.status_code == 200 and "Jobcafé B" in page.content.decode()  # the plan is readable
    url_a = reverse("concept_staff:measure_edit", args=[world.measure_a.pk])
    data = {"title": "Jobcafé A (neu)", "owner": world.gemeinde_a.pk, "status": MeasureStatus.RUNNING}
    assert client.post(url_a, data).status_code == 302
    world.measure_a.refresh_from_db()
    assert world.measure_a.title == "Jobcafé A (neu)"
    assert AuditEvent.objects.filter(action="concept.measure_update", username="gero_a").exists()
    # Gemeinde B's measure: 404 for every write, nothing changes.
    for name in ("measure_edit", "milestone_create", "evidence_add"):
        response = client.post(
            reverse(f"concept_staff:{name}", args=[world.measure_b.pk]), {"title": "x", "owner": world.gemeinde_a.pk}
        )
        assert response.status_code == 404, name
    world.measure_b.refresh_from_db()
    assert world.measure_b.title == "Jobcafé B" and not world.measure_b.milestones.exists()
    # Office actions: 403.
    version = world.concept.versions.get()
    assert client.post(reverse("concept_staff:version_adopt", args=[version.pk])).status_code == 403
    assert client.get(reverse("concept_staff:goal_edit", args=[world.goal.pk])).status_code == 403


def test_a_gemeinde_cannot_create_measures_for_another_organisation(world: World) -> None:
    client = _client(world.gero_a)
    url = reverse("concept_staff:measure_create", args=[world.goal.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Fremd", "owner": world.gemeinde_b.pk, "status": "geplant"})
    assert response.status_code == 200  # form error: B is not a choice
    assert not Measure.objects.filter(title="Fremd").exists()
    client.post(url, {"title": "Eigen", "owner": world.gemeinde_a.pk, "status": "geplant"})
    assert Measure.objects.get(title="Eigen").owner == world.gemeinde_a


def test_staff_without_concept_rights_get_403(world: World) -> None:
    for user in (world.p.alice, world.p.charlie, world.p.kreisadmin):
        client = _client(user)
        assert client.get(reverse("concept_staff:index")).status_code == 403
        assert client.get(reverse("concept_staff:goal", args=[world.goal.pk])).status_code == 403
        assert client.get(reverse("concept_staff:measure", args=[world.measure_a.pk])).status_code == 403


def test_an_adopted_version_refuses_plan_edits_through_the_views(world: World) -> None:
    version = world.concept.versions.get()
    client = _client(world.office_user)
    response = client.post(
        reverse("concept_staff:version_adopt", args=[version.pk]),
        {"body": "Kreistag", "decision_date": "2025-03-12", "drucksache": "DS 2025/041"},
    )
    assert response.status_code == 302
    client.post(reverse("concept_staff:goal_edit", args=[world.goal.pk]), {"title": "Geändert"})
    world.goal.refresh_from_db()
    assert world.goal.title == "Mehr Beschäftigung"
    # Status still changes (implementation tracking).
    client.post(
        reverse("concept_staff:measure_edit", args=[world.measure_a.pk]),
        {"status": MeasureStatus.DONE, "title": "ignored", "owner": world.gemeinde_a.pk},
    )
    world.measure_a.refresh_from_db()
    assert world.measure_a.status == MeasureStatus.DONE and world.measure_a.title == "Jobcafé A"


def test_evidence_upload_and_download_are_scoped_and_audited(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _client(world.gero_a)
    upload = SimpleUploadedFile("bericht.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(
        reverse("concept_staff:evidence_add", args=[world.measure_a.pk]), {"title": "Bericht", "document": upload}
    )
    evidence = world.measure_a.evidence.get()
    assert client.get(reverse("concept_staff:evidence", args=[evidence.pk])).content == b"%PDF-1.4 test"
    assert AuditEvent.objects.filter(action="concept.evidence_download", object_id=str(evidence.pk)).exists()
    assert _client(world.p.charlie).get(reverse("concept_staff:evidence", args=[evidence.pk])).status_code == 403


def test_history_lists_changed_fields(world: World) -> None:
    services.measure_save(
        acting_user=world.office_user, goal=world.goal, changes={"budget": 5000}, measure=world.measure_a
    )
    page = _client(world.office_user).get(reverse("concept_staff:measure", args=[world.measure_a.pk])).content.decode()
    # German labels from the audit layer, never the action code or the model field name
    assert "Integrationskonzept: Maßnahme geändert" in page and "Budget (Euro)" in page
    assert "concept.measure_update" not in page and ">budget<" not in page


def test_version_history_names_fields_in_german(world: World) -> None:
    version = world.concept.versions.get()
    services.version_adopt(
        acting_user=world.office_user, version=version, body="Kreistag", decision_date=date(2025, 3, 1), drucksache="1"
    )
    page = _client(world.office_user).get(reverse("concept_staff:version", args=[version.pk])).content.decode()
    assert "Beschlussgremium, Beschlussdatum, Drucksache Nr., Stand" in page
    assert "decision_body" not in page


def test_milestone_marked_reached(world: World) -> None:
    milestone = services.milestone_save(
        acting_user=world.office_user, measure=world.measure_a, changes={"title": "Start", "due_date": date(2025, 1, 1)}
    )
    _client(world.gero_a).post(reverse("concept_staff:milestone_done", args=[milestone.pk]))
    milestone.refresh_from_db()
    assert milestone.done_on is not None
    assert _client(world.gero_b).post(reverse("concept_staff:milestone_done", args=[milestone.pk])).status_code == 404
