"""Writes of the reports app; every change is audited in the same transaction."""

from __future__ import annotations

import hashlib
import time
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from teilhabe.audit.services import record
from teilhabe.indicators.catalogue import THEMES
from teilhabe.reports.models import (
    BuildStatus,
    ChapterCommentaryRevision,
    EditionStatus,
    ReportBuild,
    ReportChapter,
    ReportDefinition,
    ReportEdition,
)


class ReportError(ValueError):
    """A German message for staff with a stable code."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


def definition_create(*, acting_user: Any, owner: Any, kreis_ags: str, title: str) -> ReportDefinition:
    with transaction.atomic():
        definition = ReportDefinition.objects.create(owner=owner, kreis_ags=kreis_ags, title=title)
        record("report.definition_create", actor=acting_user, organisation=owner, obj=definition)
    return definition


def edition_create(
    *,
    acting_user: Any,
    definition: ReportDefinition,
    title: str,
    slug: str,
    stichtag: date,
    years: list[int] | None = None,
    subtitle: str = "",
    foreword: str = "",
    summary: str = "",
    previous: ReportEdition | None = None,
    indicator_codes: list[str] | None = None,
    gemeinde_ags: list[str] | None = None,
) -> ReportEdition:
    """A new draft edition with one chapter per field of action, in catalogue order."""
    if previous is None:
        previous = definition.editions.order_by("-stichtag", "-pk").first()
    with transaction.atomic():
        edition = ReportEdition.objects.create(
            definition=definition,
            title=title,
            slug=slug,
            subtitle=subtitle,
            stichtag=stichtag,
            years=sorted(years or []),
            foreword=foreword,
            summary=summary,
            previous=previous,
            indicator_codes=indicator_codes or [],
            gemeinde_ags=gemeinde_ags or [],
        )
        ReportChapter.objects.bulk_create(
            [
                ReportChapter(edition=edition, theme=code, position=pos, title=name)
                for pos, (code, name) in enumerate(THEMES.items(), start=1)
            ]
        )
        record("report.edition_create", actor=acting_user, organisation=definition.owner, obj=edition)
    return edition


def _require_draft(edition: ReportEdition) -> None:
    if edition.status != EditionStatus.DRAFT:
        raise ReportError("edition_published", "Eine veröffentlichte Ausgabe kann nicht mehr geändert werden.")


EDITABLE_FIELDS = (
    "title",
    "subtitle",
    "stichtag",
    "years",
    "foreword",
    "summary",
    "previous",
    "indicator_codes",
    "gemeinde_ags",
)


def edition_update(*, acting_user: Any, edition: ReportEdition, changes: dict[str, Any]) -> ReportEdition:
    _require_draft(edition)
    changed = [f for f in EDITABLE_FIELDS if f in changes and getattr(edition, f) != changes[f]]
    if not changed:
        return edition
    with transaction.atomic():
        for name in changed:
            setattr(edition, name, changes[name])
        edition.save()
        record(
            "report.edition_update",
            actor=acting_user,
            organisation=edition.owner,
            obj=edition,
            changed_fields=changed,
        )
    return edition


def commentary_save(*, acting_user: Any, chapter: ReportChapter, text: str, title: str | None = None) -> bool:
    """Store a new revision when the text (or title) changed; returns whether something was saved."""
    _require_draft(chapter.edition)
    text = text.replace("\r\n", "\n").strip()
    changed = []
    with transaction.atomic():
        if title is not None and title.strip() and title.strip() != chapter.title:
            chapter.title = title.strip()
            chapter.save(update_fields=["title"])
            changed.append("title")
        if text != chapter.commentary:
            revision = ChapterCommentaryRevision.objects.create(chapter=chapter, text=text, author=acting_user)
            changed.append("commentary")
        else:
            revision = None
        if changed:
            record(
                "report.commentary_save",
                actor=acting_user,
                organisation=chapter.edition.owner,
                obj=chapter,
                changed_fields=changed,
                extra={"edition": chapter.edition_id, "revision": revision.pk if revision else None},
            )
    return bool(changed)


def build_request(
    *, acting_user: Any, edition: ReportEdition, refresh_data: bool = False, enqueue: bool = True
) -> ReportBuild:
    """Queue a build; the worker (django-tasks ``db_worker``) renders it. ``enqueue=False``: caller runs it."""
    if refresh_data:
        _require_draft(edition)
    with transaction.atomic():
        build = ReportBuild.objects.create(edition=edition, refresh_data=refresh_data, requested_by=acting_user)
        record(
            "report.build_request",
            actor=acting_user,
            organisation=edition.owner,
            obj=build,
            extra={"edition": edition.pk, "refresh_data": refresh_data},
        )
        if enqueue:
            transaction.on_commit(lambda: _enqueue(build))
    return build


def _enqueue(build: ReportBuild) -> None:
    from teilhabe.reports.tasks import build_report_task

    result = build_report_task.enqueue(build.pk)
    ReportBuild.objects.filter(pk=build.pk, task_id="").update(task_id=str(result.id)[:64])


def fail_builds_of_lost_tasks(task_ids: list[str], message: str) -> None:
    """Reaper hook (teilhabe.core.worker): builds whose worker died end as failed; a new build can start."""
    ReportBuild.objects.filter(task_id__in=task_ids, status__in=[BuildStatus.QUEUED, BuildStatus.RUNNING]).update(
        status=BuildStatus.FAILED, error=message, finished_at=timezone.now(), step="Fehler"
    )


def _progress(build_id: int, percent: int, step: str) -> None:
    ReportBuild.objects.filter(pk=build_id).update(progress=min(100, percent), step=step[:200])


def previous_snapshot(edition: ReportEdition) -> dict[str, Any] | None:
    previous = edition.previous
    if previous is None:
        return None
    build = previous.published_build or previous.latest_done_build()
    return build.snapshot if build else None


def run_build(build_id: int) -> ReportBuild:
    """Take (or reuse) the snapshot, render charts and the PDF, store everything on the build."""
    from teilhabe.reports.content import build_content
    from teilhabe.reports.pdf import render_pdf
    from teilhabe.reports.snapshot import snapshot_hash, take_snapshot

    build = ReportBuild.objects.select_related("edition__definition").get(pk=build_id)
    if build.status != BuildStatus.QUEUED:  # a task delivered twice must not render twice
        return build
    edition = build.edition
    started = time.monotonic()
    ReportBuild.objects.filter(pk=build.pk).update(
        status=BuildStatus.RUNNING, started_at=timezone.now(), progress=1, step="Daten"
    )
    try:
        source = None if build.refresh_data else edition.latest_done_build()
        if edition.published_build_id:
            source = edition.published_build
        if source is not None and source.snapshot:
            snapshot = source.snapshot
        else:
            snapshot = take_snapshot(edition)
            source = None
        _progress(build.pk, 10, "Inhalte")
        with translation.override("de"):  # the PDF is the German edition, whoever started the build
            content = build_content(edition, snapshot, previous_snapshot(edition))
            pdf, standard = render_pdf(
                content,
                snapshot,
                edition_label=edition.slug,
                progress=lambda p, s: _progress(build.pk, p, s),
            )
    except Exception as exc:  # any failure is shown to staff on the build, not lost in a log
        ReportBuild.objects.filter(pk=build.pk).update(
            status=BuildStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now(), step="Fehler"
        )
        build.refresh_from_db()
        return build
    ReportBuild.objects.filter(pk=build.pk).update(
        status=BuildStatus.DONE,
        progress=100,
        step="fertig",
        snapshot=snapshot,
        snapshot_sha256=snapshot_hash(snapshot),
        snapshot_from=source,
        pdf=pdf,
        pdf_size=len(pdf),
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        pdf_standard=standard,
        duration_ms=int((time.monotonic() - started) * 1000),
        finished_at=timezone.now(),
    )
    build.refresh_from_db()
    return build


def build_download(*, acting_user: Any, build: ReportBuild) -> bytes:
    record(
        "report.build_download",
        actor=acting_user,
        organisation=build.edition.owner,
        obj=build,
        extra={"edition": build.edition_id},
    )
    return bytes(build.pdf or b"")


def edition_publish(*, acting_user: Any, edition: ReportEdition, build: ReportBuild) -> ReportEdition:
    """Deliberate publication: the chosen finished build becomes the public PDF and HTML edition."""
    _require_draft(edition)
    if build.edition_id != edition.pk or build.status != BuildStatus.DONE:
        raise ReportError(
            "build_not_done", "Nur ein fertig erstellter Bericht dieser Ausgabe kann veröffentlicht werden."
        )
    with transaction.atomic():
        edition.status = EditionStatus.PUBLISHED
        edition.published_build = build
        edition.published_at = timezone.now()
        edition.published_by = acting_user
        edition.save(update_fields=["status", "published_build", "published_at", "published_by", "updated_at"])
        record(
            "report.publish",
            actor=acting_user,
            organisation=edition.owner,
            obj=edition,
            changed_fields=["status", "published_build"],
            extra={"build": build.pk, "pdf_sha256": build.pdf_sha256, "snapshot_sha256": build.snapshot_sha256},
        )
        # The HTML edition's pages are rendered into the fragment store once, not on their first view.
        from teilhabe.indicators.prerender import schedule

        schedule()
    return edition
