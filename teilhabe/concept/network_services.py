"""Writes of the network: contacts, bodies, members, meetings, minutes, decisions, action items,
responsibilities. Every write is audited in its transaction; e-mails go out on commit.

Minutes are approved at the *next* meeting of the same body; from then on they are frozen.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from teilhabe.audit.services import record
from teilhabe.concept.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    Body,
    BodyMember,
    Contact,
    Decision,
    Meeting,
    MinutesStatus,
    Responsibility,
)
from teilhabe.concept.services import ConceptError, _apply


def contact_save(*, acting_user: Any, owner: Any, changes: dict[str, Any], contact: Contact | None = None) -> Contact:
    fields = ("name", "organisation", "organisation_other", "function", "email", "phone", "user")
    with transaction.atomic():
        created = contact is None
        obj = contact or Contact(owner=owner)
        changed = _apply(obj, changes, fields)
        if created or changed:
            obj.save()
            # Field names only: contact details are personal data and stay out of the audit trail.
            record(
                "concept.contact_create" if created else "concept.contact_update",
                actor=acting_user,
                organisation=owner,
                obj=obj,
                changed_fields=changed,
            )
    return obj


def body_save(*, acting_user: Any, owner: Any, changes: dict[str, Any], body: Body | None = None) -> Body:
    fields = ("kind", "name", "description", "parent", "gemeinde", "planungsraum", "responsible")
    with transaction.atomic():
        created = body is None
        obj = body or Body(owner=owner)
        changed = _apply(obj, changes, fields)
        if created or changed:
            obj.save()
            record(
                "concept.body_create" if created else "concept.body_update",
                actor=acting_user,
                organisation=owner,
                obj=obj,
                changed_fields=changed,
            )
    return obj


def member_add(*, acting_user: Any, body: Body, changes: dict[str, Any]) -> BodyMember:
    with transaction.atomic():
        member = BodyMember.objects.create(
            body=body,
            contact=changes["contact"],
            function=changes.get("function", ""),
            deputy=changes.get("deputy"),
            since=changes.get("since"),
        )
        record("concept.member_add", actor=acting_user, organisation=body.owner, obj=member, extra={"body": body.pk})
    return member


def member_end(*, acting_user: Any, member: BodyMember, until: date) -> BodyMember:
    with transaction.atomic():
        member.until = until
        member.save(update_fields=["until"])
        record(
            "concept.member_end",
            actor=acting_user,
            organisation=member.body.owner,
            obj=member,
            changed_fields=["until"],
        )
    return member


MEETING_FIELDS = ("title", "starts_at", "ends_at", "location", "agenda")


def meeting_save(*, acting_user: Any, body: Body, changes: dict[str, Any], meeting: Meeting | None = None) -> Meeting:
    with transaction.atomic():
        created = meeting is None
        obj = meeting or Meeting(body=body)
        changed = _apply(obj, changes, MEETING_FIELDS)
        if created or changed:
            obj.save()
            record(
                "concept.meeting_create" if created else "concept.meeting_update",
                actor=acting_user,
                organisation=body.owner,
                obj=obj,
                changed_fields=changed,
            )
    return obj


def invitees(meeting: Meeting) -> list[Contact]:
    """Current members, their deputies (for information) and the responsible person, with an e-mail address."""
    people: dict[int, Contact] = {}
    for member in meeting.body.members.filter(until__isnull=True).select_related("contact", "deputy"):
        for contact in (member.contact, member.deputy):
            if contact is not None and contact.email:
                people[contact.pk] = contact
    if meeting.body.responsible and meeting.body.responsible.email:
        people[meeting.body.responsible.pk] = meeting.body.responsible
    return sorted(people.values(), key=lambda c: c.name)


def meeting_invite(*, acting_user: Any, meeting: Meeting, base_url: str = "") -> int:
    """E-mail the invitation with an iCalendar attachment (METHOD:REQUEST) to every invitee; returns the count."""
    from teilhabe.concept.ical import meeting_calendar

    recipients = invitees(meeting)
    if not recipients:
        raise ConceptError("no_invitees", "Kein Mitglied dieses Gremiums hat eine E-Mail-Adresse.")
    with transaction.atomic():
        if meeting.invitation_sent_at is not None:
            meeting.sequence += 1
        meeting.invitation_sent_at = timezone.now()
        meeting.save(update_fields=["invitation_sent_at", "sequence"])
        record(
            "concept.meeting_invite",
            actor=acting_user,
            organisation=meeting.body.owner,
            obj=meeting,
            extra={"recipients": len(recipients), "sequence": meeting.sequence},
        )
        ics = meeting_calendar(meeting, method="REQUEST")
        subject = f"Einladung: {meeting.body.name} – {meeting.title}"
        local = timezone.localtime(meeting.starts_at)
        text = (
            f"Guten Tag,\n\nhiermit laden wir Sie zur Sitzung „{meeting.title}“ des Gremiums "
            f"„{meeting.body.name}“ ein.\n\nZeit: {local:%d.%m.%Y, %H:%M} Uhr\nOrt: {meeting.location or '–'}\n\n"
            f"Tagesordnung:\n{meeting.agenda or '–'}\n\nDen Termin finden Sie im Anhang (iCalendar).\n"
        )

        def send() -> None:
            for contact in recipients:
                message = EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, [contact.email])
                message.attach("einladung.ics", ics, "text/calendar; method=REQUEST; charset=utf-8")
                message.send()

        transaction.on_commit(send)
    return len(recipients)


def attendance_set(*, acting_user: Any, meeting: Meeting, statuses: dict[int, str]) -> None:
    """``statuses``: contact id → AttendanceStatus value; replaces the recorded attendance."""
    with transaction.atomic():
        for contact_id, status in statuses.items():
            Attendance.objects.update_or_create(meeting=meeting, contact_id=contact_id, defaults={"status": status})
        record(
            "concept.attendance_set",
            actor=acting_user,
            organisation=meeting.body.owner,
            obj=meeting,
            extra={"count": len(statuses)},
        )


def _require_minutes_open(meeting: Meeting) -> None:
    if meeting.minutes_frozen:
        raise ConceptError("minutes_frozen", "Das Protokoll ist genehmigt und kann nicht mehr geändert werden.")


def minutes_save(*, acting_user: Any, meeting: Meeting, text: str) -> Meeting:
    _require_minutes_open(meeting)
    with transaction.atomic():
        meeting.minutes = text.replace("\r\n", "\n").strip()
        meeting.minutes_status = MinutesStatus.DRAFT
        meeting.save(update_fields=["minutes", "minutes_status"])
        record(
            "concept.minutes_save",
            actor=acting_user,
            organisation=meeting.body.owner,
            obj=meeting,
            changed_fields=["minutes"],
        )
    return meeting


def minutes_approve(*, acting_user: Any, meeting: Meeting, at_meeting: Meeting) -> Meeting:
    """Approve the minutes of ``meeting`` at ``at_meeting``: a later meeting of the same body."""
    _require_minutes_open(meeting)
    if meeting.minutes_status != MinutesStatus.DRAFT:
        raise ConceptError("minutes_missing", "Es gibt noch keinen Protokollentwurf.")
    if at_meeting.body_id != meeting.body_id or at_meeting.starts_at <= meeting.starts_at:
        raise ConceptError(
            "approve_next_meeting", "Ein Protokoll wird in einer späteren Sitzung desselben Gremiums genehmigt."
        )
    with transaction.atomic():
        meeting.minutes_status = MinutesStatus.APPROVED
        meeting.minutes_approved_in = at_meeting
        meeting.minutes_approved_at = timezone.now()
        meeting.save(update_fields=["minutes_status", "minutes_approved_in", "minutes_approved_at"])
        record(
            "concept.minutes_approve",
            actor=acting_user,
            organisation=meeting.body.owner,
            obj=meeting,
            changed_fields=["minutes_status"],
            extra={"at_meeting": at_meeting.pk},
        )
    return meeting


def decision_add(
    *,
    acting_user: Any,
    meeting: Meeting,
    kind: str,
    text: str,
    action_title: str = "",
    action_owner: Contact | None = None,
    action_due: date | None = None,
) -> Decision:
    """A decision or agreement of the meeting; with ``action_title`` it becomes an action item."""
    _require_minutes_open(meeting)
    with transaction.atomic():
        decision = Decision.objects.create(meeting=meeting, kind=kind, text=text.strip())
        record("concept.decision_add", actor=acting_user, organisation=meeting.body.owner, obj=decision)
        if action_title:
            if action_owner is None or action_due is None:
                raise ConceptError(
                    "action_incomplete", "Eine Aufgabe braucht eine verantwortliche Person und ein Datum."
                )
            item = ActionItem.objects.create(
                decision=decision, title=action_title, owner=action_owner, due_date=action_due
            )
            record("concept.action_create", actor=acting_user, organisation=meeting.body.owner, obj=item)
    return decision


def action_status(*, acting_user: Any, item: ActionItem, status: str, today: date | None = None) -> ActionItem:
    if status not in ActionStatus.values:
        raise ConceptError("status_invalid", "Unbekannter Stand.")
    with transaction.atomic():
        item.status = status
        item.done_on = (today or timezone.localdate()) if status == ActionStatus.DONE else None
        item.save(update_fields=["status", "done_on"])
        record(
            "concept.action_status",
            actor=acting_user,
            organisation=item.decision.meeting.body.owner,
            obj=item,
            changed_fields=["status"],
            extra={"status": status},
        )
    return item


def send_reminders(*, today: date) -> int:
    """E-mail each owner of overdue open action items once a day (console backend in demo and tests)."""
    items = (
        ActionItem.objects.overdue(today)
        .exclude(last_reminded_on=today)
        .exclude(owner__email="")
        .select_related("owner", "decision__meeting__body__owner")
        .order_by("owner_id", "due_date")
    )
    by_owner: dict[int, list[ActionItem]] = {}
    for item in items:
        by_owner.setdefault(item.owner_id, []).append(item)
    sent = 0
    for owned in by_owner.values():
        owner = owned[0].owner
        lines = [
            f"- {i.title} (fällig seit {i.due_date:%d.%m.%Y}; {i.decision.meeting.body.name}, "
            f"Sitzung vom {timezone.localtime(i.decision.meeting.starts_at):%d.%m.%Y})"
            for i in owned
        ]
        body = (
            f"Guten Tag {owner.name},\n\nfolgende Aufgaben aus Gremiensitzungen sind überfällig:\n\n"
            + "\n".join(lines)
            + "\n\nBitte melden Sie den Stand der Geschäftsstelle oder tragen Sie ihn im Mitarbeitendenbereich ein.\n"
        )
        with transaction.atomic():
            EmailMessage(
                f"Erinnerung: {len(owned)} überfällige Aufgabe(n)", body, settings.DEFAULT_FROM_EMAIL, [owner.email]
            ).send()
            ActionItem.objects.filter(pk__in=[i.pk for i in owned]).update(last_reminded_on=today)
            for item in owned:
                record(
                    "concept.action_remind",
                    organisation=item.decision.meeting.body.owner,
                    obj=item,
                    username="concept_send_reminders",
                )
        sent += 1
    return sent


RESPONSIBILITY_FIELDS = ("owner", "parent", "role_title", "tasks", "contact", "gemeinde", "is_public", "position")


def responsibility_save(
    *, acting_user: Any, changes: dict[str, Any], responsibility: Responsibility | None = None
) -> Responsibility:
    parent = changes.get("parent")
    if responsibility is not None and parent is not None:
        node: Responsibility | None = parent
        while node is not None:
            if node.pk == responsibility.pk:
                raise ConceptError("cycle", "Eine Zuständigkeit kann nicht an sich selbst berichten.")
            node = node.parent
    with transaction.atomic():
        created = responsibility is None
        obj = responsibility or Responsibility()
        changed = _apply(obj, changes, RESPONSIBILITY_FIELDS)
        if created or changed:
            obj.save()
            record(
                "concept.responsibility_create" if created else "concept.responsibility_update",
                actor=acting_user,
                organisation=obj.owner,
                obj=obj,
                changed_fields=changed,
            )
    return obj
