"""The network: contact records, bodies and their members, meetings, decisions, action items, responsibilities.

Contact records hold personal data (name, function, e-mail) and are owned by the organisation that keeps
them (normally the district office). A contact is linked to a platform account only where the person logs in.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _ids(user: Any, permission: str) -> set[int]:
    from teilhabe.accounts.access import organisation_ids_with

    return organisation_ids_with(user, permission)


class ContactQuerySet(models.QuerySet["Contact"]):
    def visible_to(self, user: Any) -> ContactQuerySet:
        return self.filter(owner_id__in=_ids(user, "concept.manage"))


class Contact(models.Model):
    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="concept_contacts")
    name = models.CharField(_("Name"), max_length=200)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Organisation"),
    )
    organisation_other = models.CharField(_("Organisation (falls nicht auf der Plattform)"), max_length=200, blank=True)
    function = models.CharField(_("Funktion"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concept_contacts",
        verbose_name=_("Benutzerkonto (nur wer sich anmeldet)"),
    )

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("Kontakt")
        verbose_name_plural = _("Kontakte")

    def __str__(self) -> str:
        org = self.organisation_name
        return f"{self.name} ({org})" if org else self.name

    @property
    def organisation_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_other  # type: ignore[union-attr]


class BodyKind(models.TextChoices):
    STEUERUNGSGRUPPE = "steuerungsgruppe", _("Steuerungsgruppe")
    RUNDER_TISCH = "runder_tisch", _("Runder Tisch")
    ARBEITSGRUPPE = "arbeitsgruppe", _("Arbeitsgruppe")
    NETZWERK = "netzwerk", _("Netzwerk")
    AKTIVGRUPPE = "aktivgruppe", _("Regionale Aktivgruppe")


class BodyQuerySet(models.QuerySet["Body"]):
    def visible_to(self, user: Any) -> BodyQuerySet:
        """The office sees its bodies; everyone else only the bodies they belong to (as member or deputy)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            models.Q(owner_id__in=_ids(user, "concept.manage"))
            | models.Q(members__contact__user=user, members__until__isnull=True)
            | models.Q(members__deputy__user=user, members__until__isnull=True)
            | models.Q(responsible__user=user)
        ).distinct()


class Body(models.Model):
    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="concept_bodies")
    kind = models.CharField(_("Art"), max_length=20, choices=BodyKind.choices)
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Auftrag"), blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("gehört zu")
    )
    planungsraum = models.ForeignKey(
        "regions.Planungsraum", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    gemeinde = models.ForeignKey("regions.Gemeinde", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    responsible = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("verantwortlich")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BodyQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")

    def __str__(self) -> str:
        return self.name


class BodyMember(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="memberships")
    function = models.CharField(_("Funktion im Gremium"), max_length=200, blank=True)
    deputy = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputyships",
        verbose_name=_("Vertretung"),
    )
    since = models.DateField(_("seit"), null=True, blank=True)
    until = models.DateField(_("bis"), null=True, blank=True)

    class Meta:
        ordering = ["body_id", "contact__name"]
        verbose_name = _("Mitglied")
        verbose_name_plural = _("Mitglieder")

    def __str__(self) -> str:
        return f"{self.contact} in {self.body}"


class MinutesStatus(models.TextChoices):
    NONE = "", _("noch kein Protokoll")
    DRAFT = "draft", _("Entwurf")
    APPROVED = "approved", _("genehmigt")


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("Titel"), max_length=200)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    location = models.CharField(_("Ort"), max_length=300, blank=True)
    agenda = models.TextField(_("Tagesordnung"), blank=True)
    invitation_sent_at = models.DateTimeField(_("Einladung versandt am"), null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE: bumped on every re-invitation
    minutes = models.TextField(_("Protokoll"), blank=True)
    minutes_status = models.CharField(
        _("Stand des Protokolls"), max_length=10, choices=MinutesStatus.choices, blank=True
    )
    minutes_approved_in = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="approved_minutes"
    )
    minutes_approved_at = models.DateTimeField(_("Protokoll genehmigt am"), null=True, blank=True)

    class Meta:
        ordering = ["body_id", "-starts_at"]
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")

    def __str__(self) -> str:
        return self.title

    @property
    def minutes_frozen(self) -> bool:
        return self.minutes_status == MinutesStatus.APPROVED


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("anwesend")
    DEPUTY = "deputy", _("vertreten")
    EXCUSED = "excused", _("entschuldigt")
    ABSENT = "absent", _("abwesend")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("Anwesenheit"), max_length=10, choices=AttendanceStatus.choices)

    class Meta:
        ordering = ["meeting_id", "contact__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "contact"], name="unique_attendance")]

    def __str__(self) -> str:
        return f"{self.contact} {self.status}"


class DecisionKind(models.TextChoices):
    DECISION = "decision", _("Beschluss")
    AGREEMENT = "agreement", _("Vereinbarung")


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("Art"), max_length=10, choices=DecisionKind.choices, default=DecisionKind.AGREEMENT)
    text = models.TextField(_("Wortlaut"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting_id", "pk"]
        verbose_name = _("Beschluss/Vereinbarung")
        verbose_name_plural = _("Beschlüsse und Vereinbarungen")

    def __str__(self) -> str:
        return self.text[:80]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("offen")
    DONE = "done", _("erledigt")
    DROPPED = "dropped", _("entfallen")


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def overdue(self, today: date) -> ActionItemQuerySet:
        return self.filter(status=ActionStatus.OPEN, due_date__lt=today)


class ActionItem(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(_("Aufgabe"), max_length=300)
    owner = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="action_items", verbose_name=_("wer"))
    due_date = models.DateField(_("bis wann"))
    status = models.CharField(_("Stand"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_on = models.DateField(_("erledigt am"), null=True, blank=True)
    last_reminded_on = models.DateField(_("zuletzt erinnert am"), null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("Aufgabe")
        verbose_name_plural = _("Aufgaben")

    def __str__(self) -> str:
        return self.title

    @property
    def body(self) -> Body:
        return self.decision.meeting.body

    def is_overdue(self, today: date) -> bool:
        return self.status == ActionStatus.OPEN and self.due_date < today


class ResponsibilityQuerySet(models.QuerySet["Responsibility"]):
    def editable_by(self, user: Any) -> ResponsibilityQuerySet:
        return self.filter(
            models.Q(owner_id__in=_ids(user, "concept.manage"))
            | models.Q(owner_id__in=_ids(user, "concept.measures.own"))
        )

    def public(self) -> ResponsibilityQuerySet:
        return self.filter(is_public=True)


class Responsibility(models.Model):
    """Who is responsible for which task, in the district office or in a Gemeinde (one organigram node)."""

    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="concept_responsibilities",
        verbose_name=_("Organisation (Kreisverwaltung oder Gemeinde)"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("berichtet an")
    )
    position = models.PositiveSmallIntegerField(default=0)
    role_title = models.CharField(_("Rolle"), max_length=200, help_text=_("z. B. Integrationsbeauftragte"))
    tasks = models.TextField(_("Aufgaben"), blank=True)
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("Person")
    )
    gemeinde = models.ForeignKey("regions.Gemeinde", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    is_public = models.BooleanField(_("öffentlich zeigen"), default=False)

    objects = ResponsibilityQuerySet.as_manager()

    class Meta:
        ordering = ["parent_id", "position", "pk"]
        verbose_name = _("Zuständigkeit")
        verbose_name_plural = _("Zuständigkeiten")

    def __str__(self) -> str:
        return self.role_title
