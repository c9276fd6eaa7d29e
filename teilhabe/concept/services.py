"""Writes of the integration concept; every change is audited in the same transaction (convention 5).

Plan content (fields of action, goals, indicator targets, measures' plan fields) can only change in a
draft version. After adoption only implementation tracking changes: a measure's status, a milestone's
completion, evidence (decision 0080). Errors are ``ConceptError`` with a stable code and a German message.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from teilhabe.audit.services import record
from teilhabe.concept.models import (
    Comment,
    Concept,
    ConceptVersion,
    Evidence,
    FieldOfAction,
    Goal,
    GoalIndicator,
    Measure,
    Milestone,
    VersionStatus,
)
from teilhabe.indicators.catalogue import THEMES

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

# Measure fields that record implementation and stay editable after adoption.
TRACKING_FIELDS = ("status",)
MEASURE_PLAN_FIELDS = (
    "title",
    "description",
    "owner",
    "responsible",
    "partners_other",
    "budget",
    "funding_source",
    "start_date",
    "end_date",
    "position",
)
MEASURE_M2M = ("partners", "gemeinden", "planungsraeume")


class ConceptError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


def is_frozen_now(version: ConceptVersion) -> bool:
    """The version's state as stored now (an object loaded earlier in the request may be stale)."""
    return version.is_frozen or ConceptVersion.objects.filter(pk=version.pk, status=VersionStatus.ADOPTED).exists()


def require_draft(version: ConceptVersion) -> None:
    if is_frozen_now(version):
        raise ConceptError(
            "version_frozen",
            "Diese Fassung ist beschlossen und kann nicht mehr geändert werden. "
            "Legen Sie eine neue Fassung als Kopie an.",
        )


def _apply(obj: models.Model, changes: dict[str, Any], allowed: tuple[str, ...]) -> list[str]:
    """Set the allowed fields that differ; foreign keys are compared by id (unsaved objects have none)."""
    changed = []
    for name in allowed:
        if name not in changes:
            continue
        model_field = obj._meta.get_field(name)
        new = changes[name]
        if isinstance(model_field, models.ForeignKey):
            current = getattr(obj, model_field.attname)
            differs = current != (new.pk if new is not None else None)
        else:
            differs = getattr(obj, name) != new
        if differs:
            setattr(obj, name, new)
            changed.append(name)
    return changed


def _apply_m2m(obj: models.Model, changes: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    changed = []
    for name in names:
        if name not in changes:
            continue
        manager = getattr(obj, name)
        new = {o.pk for o in changes[name]}
        if set(manager.values_list("pk", flat=True)) != new:
            manager.set(list(changes[name]))
            changed.append(name)
    return changed


# --- concept and versions ---------------------------------------------------------------------------


def concept_create(
    *, acting_user: Any, owner: Any, kreis_ags: str, title: str, with_default_fields: bool = True
) -> Concept:
    """A concept with a first draft version whose fields of action are the monitoring themes (editable)."""
    with transaction.atomic():
        concept = Concept.objects.create(owner=owner, kreis_ags=kreis_ags, title=title)
        record("concept.create", actor=acting_user, organisation=owner, obj=concept)
        version = ConceptVersion.objects.create(concept=concept, number=1, title=title)
        record("concept.version_create", actor=acting_user, organisation=owner, obj=version)
        if with_default_fields:
            FieldOfAction.objects.bulk_create(
                [
                    FieldOfAction(version=version, position=pos, theme=code, title=name)
                    for pos, (code, name) in enumerate(THEMES.items(), start=1)
                ]
            )
    return concept


VERSION_FIELDS = ("title", "preamble", "valid_from", "valid_until", "is_public", "comments_open")


def version_update(*, acting_user: Any, version: ConceptVersion, changes: dict[str, Any]) -> list[str]:
    # Publication on the public site may be switched on an adopted version; everything else is plan content.
    if set(changes) - {"is_public"} and any(
        getattr(version, f) != changes[f] for f in changes if f in VERSION_FIELDS and f != "is_public"
    ):
        require_draft(version)
    with transaction.atomic():
        changed = _apply(version, changes, VERSION_FIELDS)
        if changed:
            version.save()
            record(
                "concept.version_update",
                actor=acting_user,
                organisation=version.owner,
                obj=version,
                changed_fields=changed,
            )
    return changed


def version_adopt(
    *, acting_user: Any, version: ConceptVersion, body: str, decision_date: date, drucksache: str
) -> ConceptVersion:
    """The council decision: record body, date and Drucksache number; the version is frozen from now on."""
    require_draft(version)
    if not body.strip() or not drucksache.strip():
        raise ConceptError("decision_incomplete", "Beschlussgremium und Drucksachennummer sind anzugeben.")
    with transaction.atomic():
        version.status = VersionStatus.ADOPTED
        version.decision_body = body.strip()
        version.decision_date = decision_date
        version.drucksache = drucksache.strip()
        version.adopted_by = acting_user
        version.adopted_at = timezone.now()
        version.comments_open = False
        version.save()
        record(
            "concept.version_adopt",
            actor=acting_user,
            organisation=version.owner,
            obj=version,
            changed_fields=["status", "decision_body", "decision_date", "drucksache"],
            extra={"drucksache": version.drucksache, "decision_date": decision_date.isoformat()},
        )
    return version


def version_copy(*, acting_user: Any, version: ConceptVersion, title: str = "") -> ConceptVersion:
    """The next version starts as a full copy (fields, goals, targets, measures, milestones) in draft."""
    concept = version.concept
    if concept.versions.filter(status=VersionStatus.DRAFT).exists():
        raise ConceptError("draft_exists", "Es gibt bereits eine Entwurfsfassung; bearbeiten Sie diese.")
    with transaction.atomic():
        number = (concept.versions.aggregate(n=models.Max("number"))["n"] or 0) + 1
        new = ConceptVersion.objects.create(
            concept=concept,
            number=number,
            title=title or version.title,
            preamble=version.preamble,
            valid_from=version.valid_from,
            valid_until=version.valid_until,
            based_on=version,
            is_public=False,
        )
        for fld in version.fields.prefetch_related("goals__targets", "goals__measures__milestones"):
            goals = list(fld.goals.all())
            fld.pk = None
            fld.version = new
            fld.save()
            for goal in goals:
                targets = list(goal.targets.all())
                measures = list(goal.measures.all())
                goal.pk = None
                goal.field = fld
                goal.save()
                for target in targets:
                    target.pk = None
                    target.goal = goal
                    target.save()
                for measure in measures:
                    m2m = {name: list(getattr(measure, name).all()) for name in MEASURE_M2M}
                    milestones = list(measure.milestones.all())
                    measure.pk = None
                    measure.goal = goal
                    measure.save()
                    for name, objs in m2m.items():
                        getattr(measure, name).set(objs)
                    for milestone in milestones:
                        milestone.pk = None
                        milestone.measure = measure
                        milestone.save()
        record(
            "concept.version_copy",
            actor=acting_user,
            organisation=concept.owner,
            obj=new,
            extra={"based_on": version.pk},
        )
    return new


# --- fields of action, goals, targets ----------------------------------------------------------------


def field_save(
    *, acting_user: Any, version: ConceptVersion, changes: dict[str, Any], field: FieldOfAction | None = None
) -> FieldOfAction:
    require_draft(version)
    with transaction.atomic():
        created = field is None
        obj = field or FieldOfAction(version=version)
        changed = _apply(obj, changes, ("title", "description", "theme", "position"))
        if created and not changes.get("position"):
            obj.position = (version.fields.aggregate(n=models.Max("position"))["n"] or 0) + 1
        if created or changed:
            obj.save()
            record(
                "concept.field_create" if created else "concept.field_update",
                actor=acting_user,
                organisation=version.owner,
                obj=obj,
                changed_fields=changed,
            )
    return obj


def field_delete(*, acting_user: Any, field: FieldOfAction) -> None:
    require_draft(field.version)
    if field.goals.exists():
        raise ConceptError("field_has_goals", "Ein Handlungsfeld mit Zielen kann nicht gelöscht werden.")
    with transaction.atomic():
        record("concept.field_delete", actor=acting_user, organisation=field.version.owner, obj=field)
        field.delete()


def goal_save(*, acting_user: Any, field: FieldOfAction, changes: dict[str, Any], goal: Goal | None = None) -> Goal:
    require_draft(field.version)
    with transaction.atomic():
        created = goal is None
        obj = goal or Goal(field=field)
        changed = _apply(obj, changes, ("title", "description", "position", "field"))
        if created:
            obj.position = (field.goals.aggregate(n=models.Max("position"))["n"] or 0) + 1
        if created or changed:
            obj.save()
            record(
                "concept.goal_create" if created else "concept.goal_update",
                actor=acting_user,
                organisation=field.version.owner,
                obj=obj,
                changed_fields=changed,
            )
    return obj


def goal_delete(*, acting_user: Any, goal: Goal) -> None:
    require_draft(goal.version)
    if goal.measures.exists():
        raise ConceptError("goal_has_measures", "Ein Ziel mit Maßnahmen kann nicht gelöscht werden.")
    with transaction.atomic():
        record("concept.goal_delete", actor=acting_user, organisation=goal.version.owner, obj=goal)
        goal.delete()


TARGET_FIELDS = ("indicator", "baseline_value", "baseline_year", "target_value", "target_date", "direction")


def target_save(
    *, acting_user: Any, goal: Goal, changes: dict[str, Any], target: GoalIndicator | None = None
) -> GoalIndicator:
    """Tie a catalogue indicator to a goal, with baseline, target and direction."""
    require_draft(goal.version)
    baseline_year = changes.get("baseline_year", target.baseline_year if target else None)
    target_date = changes.get("target_date", target.target_date if target else None)
    if baseline_year and target_date and target_date.year <= int(baseline_year):
        raise ConceptError("target_before_baseline", "Das Zieldatum muss nach dem Ausgangsjahr liegen.")
    with transaction.atomic():
        created = target is None
        obj = target or GoalIndicator(goal=goal)
        changed = _apply(obj, changes, TARGET_FIELDS)
        if created or changed:
            obj.save()
            record(
                "concept.target_create" if created else "concept.target_update",
                actor=acting_user,
                organisation=goal.version.owner,
                obj=obj,
                changed_fields=changed,
                extra={"goal": goal.pk},
            )
    return obj


def target_delete(*, acting_user: Any, target: GoalIndicator) -> None:
    require_draft(target.goal.version)
    with transaction.atomic():
        record("concept.target_delete", actor=acting_user, organisation=target.goal.version.owner, obj=target)
        target.delete()


# --- measures, milestones, evidence ------------------------------------------------------------------


def measure_save(*, acting_user: Any, goal: Goal, changes: dict[str, Any], measure: Measure | None = None) -> Measure:
    """Create or change a measure. On an adopted version only the status may change."""
    version = goal.version
    created = measure is None
    if is_frozen_now(version):
        plan_changes = _apply(Measure.objects.get(pk=measure.pk), changes, MEASURE_PLAN_FIELDS) if measure else ["new"]
        m2m_changes = [
            f
            for f in MEASURE_M2M
            if f in changes
            and (created or set(getattr(measure, f).values_list("pk", flat=True)) != {o.pk for o in changes[f]})
        ]
        if created or plan_changes or m2m_changes:
            require_draft(version)
    with transaction.atomic():
        obj = measure or Measure(goal=goal)
        changed = _apply(obj, changes, (*MEASURE_PLAN_FIELDS, *TRACKING_FIELDS))
        if created and "position" not in changes:
            obj.position = (goal.measures.aggregate(n=models.Max("position"))["n"] or 0) + 1
        if created or changed:
            obj.save()
        changed += _apply_m2m(obj, changes, MEASURE_M2M)
        if created or changed:
            record(
                "concept.measure_create" if created else "concept.measure_update",
                actor=acting_user,
                organisation=obj.owner,
                obj=obj,
                changed_fields=changed,
                extra={"goal": goal.pk, "version": version.pk},
            )
    return obj


def measure_delete(*, acting_user: Any, measure: Measure) -> None:
    require_draft(measure.version)
    with transaction.atomic():
        record("concept.measure_delete", actor=acting_user, organisation=measure.owner, obj=measure)
        measure.delete()


def milestone_save(
    *, acting_user: Any, measure: Measure, changes: dict[str, Any], milestone: Milestone | None = None
) -> Milestone:
    """Title and date are plan content; marking a milestone reached (``done_on``) is tracking."""
    created = milestone is None
    if created or any(f in changes and getattr(milestone, f) != changes[f] for f in ("title", "due_date")):
        require_draft(measure.version)
    with transaction.atomic():
        obj = milestone or Milestone(measure=measure)
        changed = _apply(obj, changes, ("title", "due_date", "done_on"))
        if created or changed:
            obj.save()
            record(
                "concept.milestone_create" if created else "concept.milestone_update",
                actor=acting_user,
                organisation=measure.owner,
                obj=obj,
                changed_fields=changed,
                extra={"measure": measure.pk},
            )
    return obj


def evidence_add(
    *,
    acting_user: Any,
    measure: Measure,
    title: str,
    url: str = "",
    file_name: str = "",
    content: bytes | None = None,
    content_type: str = "",
) -> Evidence:
    if not url and not content:
        raise ConceptError("evidence_empty", "Bitte einen Link angeben oder ein Dokument hochladen.")
    if content and len(content) > MAX_EVIDENCE_BYTES:
        raise ConceptError("evidence_too_large", "Das Dokument ist größer als 10 MB.")
    with transaction.atomic():
        evidence = Evidence.objects.create(
            measure=measure,
            title=title,
            url=url,
            file_name=file_name[:200],
            content=content,
            content_type=content_type[:100],
            added_by=acting_user,
        )
        record(
            "concept.evidence_add",
            actor=acting_user,
            organisation=measure.owner,
            obj=evidence,
            extra={"measure": measure.pk, "size": len(content or b"")},
        )
    return evidence


# --- participation ----------------------------------------------------------------------------------


def comment_create(
    *,
    acting_user: Any,
    version: ConceptVersion,
    body: Any,
    text: str,
    goal: Goal | None = None,
    measure: Measure | None = None,
) -> Comment:
    """A body member comments on a goal or measure of a draft version that is open for comments."""
    require_draft(version)
    if not version.comments_open:
        raise ConceptError("comments_closed", "Für diese Fassung ist die Beteiligung nicht geöffnet.")
    if not text.strip():
        raise ConceptError("comment_empty", "Der Kommentar ist leer.")
    from teilhabe.concept.models import Contact

    contact = Contact.objects.filter(user=acting_user, memberships__body=body).select_related("organisation").first()
    organisation = contact.organisation_name if contact else ""
    with transaction.atomic():
        comment = Comment.objects.create(
            version=version,
            goal=goal,
            measure=measure,
            body=body,
            author=acting_user,
            author_name=(acting_user.get_full_name() or acting_user.get_username())[:200],
            organisation_name=organisation[:200],
            text=text.strip(),
        )
        record("concept.comment_create", actor=acting_user, organisation=version.owner, obj=comment)
    return comment


def comment_answer(*, acting_user: Any, comment: Comment, answer: str) -> Comment:
    if not answer.strip():
        raise ConceptError("answer_empty", "Die Antwort ist leer.")
    with transaction.atomic():
        comment.answer = answer.strip()
        comment.answered_by = acting_user
        comment.answered_at = timezone.now()
        comment.save()
        record(
            "concept.comment_answer",
            actor=acting_user,
            organisation=comment.version.owner,
            obj=comment,
            changed_fields=["answer"],
        )
    return comment
