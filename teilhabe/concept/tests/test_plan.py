"""Versions, freezing, copies, audited writes, measure progress from milestones."""

from __future__ import annotations

from datetime import date

import pytest

from teilhabe.audit.models import AuditEvent
from teilhabe.concept import services
from teilhabe.concept.attainment import measure_progress
from teilhabe.concept.models import FieldOfAction, Measure, MeasureStatus, VersionStatus
from teilhabe.indicators.catalogue import THEMES

from .conftest import World

pytestmark = pytest.mark.django_db


def _adopt(world: World) -> None:
    services.version_adopt(
        acting_user=world.office_user,
        version=world.concept.versions.get(),
        body="Kreistag",
        decision_date=date(2025, 3, 12),
        drucksache="DS 2025/041",
    )


def test_a_new_concept_starts_with_the_monitoring_themes_as_fields_of_action(world: World) -> None:
    version = world.concept.versions.get()
    assert [f.title for f in version.fields.order_by("position")] == list(THEMES.values())
    assert AuditEvent.objects.filter(action="concept.create", object_id=str(world.concept.pk)).exists()


def test_fields_of_action_are_editable_in_a_draft(world: World) -> None:
    version = world.concept.versions.get()
    field = version.fields.get(theme="H")
    services.field_save(acting_user=world.office_user, version=version, changes={"title": "Sicherheit"}, field=field)
    field.refresh_from_db()
    assert field.title == "Sicherheit"
    event = AuditEvent.objects.get(action="concept.field_update", object_id=str(field.pk))
    assert event.changed_fields == ["title"] and event.username == "kora"


def test_an_adopted_version_is_frozen(world: World) -> None:
    _adopt(world)
    version = world.concept.versions.get()
    assert version.status == VersionStatus.ADOPTED and version.drucksache == "DS 2025/041"
    field = version.fields.get(theme="E")
    attempts = [
        lambda: services.field_save(acting_user=world.office_user, version=version, changes={"title": "Neu"}),
        lambda: services.goal_save(acting_user=world.office_user, field=field, changes={"title": "x"}, goal=world.goal),
        lambda: services.goal_delete(acting_user=world.office_user, goal=world.goal),
        lambda: services.measure_save(
            acting_user=world.office_user, goal=world.goal, changes={"title": "x"}, measure=world.measure_a
        ),
        lambda: services.measure_save(
            acting_user=world.office_user, goal=world.goal, changes={"title": "neu", "owner": world.gemeinde_a}
        ),
        lambda: services.measure_save(
            acting_user=world.office_user,
            goal=world.goal,
            changes={"gemeinden": []} | {"budget": 5},
            measure=world.measure_a,
        ),
        lambda: services.measure_delete(acting_user=world.office_user, measure=world.measure_a),
        lambda: services.target_delete(acting_user=world.office_user, target=world.goal.targets.get()),
        lambda: services.milestone_save(
            acting_user=world.office_user, measure=world.measure_a, changes={"title": "M", "due_date": date(2026, 1, 1)}
        ),
        lambda: services.version_adopt(
            acting_user=world.office_user,
            version=version,
            body="Kreistag",
            decision_date=date(2025, 4, 1),
            drucksache="x",
        ),
        lambda: services.version_update(acting_user=world.office_user, version=version, changes={"title": "anders"}),
    ]
    for number, attempt in enumerate(attempts):
        with pytest.raises(services.ConceptError) as exc:
            attempt()
        assert exc.value.code == "version_frozen", number
    world.measure_a.refresh_from_db()
    assert world.measure_a.title == "Jobcafé A"
    assert Measure.objects.count() == 2


def test_implementation_tracking_continues_on_an_adopted_version(world: World) -> None:
    services.milestone_save(
        acting_user=world.office_user, measure=world.measure_a, changes={"title": "Start", "due_date": date(2025, 6, 1)}
    )
    _adopt(world)
    services.measure_save(
        acting_user=world.gero_a, goal=world.goal, changes={"status": MeasureStatus.RUNNING}, measure=world.measure_a
    )
    milestone = world.measure_a.milestones.get()
    services.milestone_save(
        acting_user=world.gero_a, measure=world.measure_a, changes={"done_on": date(2025, 6, 3)}, milestone=milestone
    )
    world.measure_a.refresh_from_db()
    assert world.measure_a.status == MeasureStatus.RUNNING
    assert AuditEvent.objects.filter(action="concept.measure_update", changed_fields=["status"]).exists()


def test_the_next_version_starts_as_a_copy(world: World) -> None:
    services.milestone_save(
        acting_user=world.office_user, measure=world.measure_a, changes={"title": "Start", "due_date": date(2025, 6, 1)}
    )
    world.measure_a.gemeinden.set([])
    _adopt(world)
    first = world.concept.versions.get()
    second = services.version_copy(acting_user=world.office_user, version=first)
    assert second.number == 2 and second.status == VersionStatus.DRAFT and second.based_on == first
    assert second.fields.count() == first.fields.count()
    goal = second.fields.get(theme="E").goals.get()
    assert goal.title == "Mehr Beschäftigung" and goal.pk != world.goal.pk
    assert goal.targets.get().target_value == 50.0
    assert sorted(goal.measures.values_list("title", flat=True)) == ["Jobcafé A", "Jobcafé B"]
    assert goal.measures.get(title="Jobcafé A").milestones.count() == 1
    # The copy is editable, the adopted original is not touched.
    services.goal_save(
        acting_user=world.office_user, field=goal.field, changes={"title": "Noch mehr Beschäftigung"}, goal=goal
    )
    world.goal.refresh_from_db()
    assert world.goal.title == "Mehr Beschäftigung"
    with pytest.raises(services.ConceptError):
        services.version_copy(acting_user=world.office_user, version=first)


def test_measure_progress_comes_from_milestones(world: World) -> None:
    m = world.measure_a
    for title, due, done in (
        ("A", date(2025, 1, 1), date(2025, 1, 2)),
        ("B", date(2025, 2, 1), None),
        ("C", date(2026, 1, 1), None),
    ):
        services.milestone_save(
            acting_user=world.office_user, measure=m, changes={"title": title, "due_date": due, "done_on": done}
        )
    progress = measure_progress(m, date(2025, 6, 1))
    assert (progress.done, progress.total, progress.overdue, progress.percent) == (1, 3, 1, 33)
    assert progress.next_due == date(2025, 2, 1)


def test_a_field_with_goals_cannot_be_deleted(world: World) -> None:
    with pytest.raises(services.ConceptError):
        services.field_delete(acting_user=world.office_user, field=world.goal.field)
    assert FieldOfAction.objects.filter(pk=world.goal.field_id).exists()


def test_target_date_must_follow_the_baseline(world: World) -> None:
    with pytest.raises(services.ConceptError) as exc:
        services.target_save(
            acting_user=world.office_user,
            goal=world.goal,
            changes={"baseline_year": 2024, "target_date": date(2023, 12, 31)},
            target=world.goal.targets.get(),
        )
    assert exc.value.code == "target_before_baseline"
