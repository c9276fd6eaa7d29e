"""The integration concept: versions → fields of action → goals (tied to indicators) → measures.

A version is a draft until a council decision adopts it (body, date, Drucksache number); then its plan
content is frozen. Implementation tracking (measure status, milestone completion, evidence) continues on
the adopted version — that is what the status report reports on (decision 0080).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _office_ids(user: Any, permission: str) -> set[int]:
    from teilhabe.accounts.access import organisation_ids_with

    return organisation_ids_with(user, permission)


class ConceptQuerySet(models.QuerySet["Concept"]):
    def visible_to(self, user: Any) -> ConceptQuerySet:
        """The concept is a district-wide plan: everyone holding ``concept.view`` or ``concept.manage``
        somewhere reads it (Gemeinden must see the goals their measures serve); nobody else."""
        if _office_ids(user, "concept.view") or _office_ids(user, "concept.manage"):
            return self.all()
        return self.none()

    def managed_by(self, user: Any) -> ConceptQuerySet:
        return self.filter(owner_id__in=_office_ids(user, "concept.manage"))


class Concept(models.Model):
    """The integration concept of a district, kept by its office (Geschäftsstelle)."""

    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="concepts")
    kreis_ags = models.CharField(_("Kreis (AGS)"), max_length=5)
    title = models.CharField(_("Titel"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConceptQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("Integrationskonzept")
        verbose_name_plural = _("Integrationskonzepte")

    def __str__(self) -> str:
        return self.title

    def current_version(self) -> ConceptVersion | None:
        return self.versions.filter(status=VersionStatus.ADOPTED).order_by("-number").first()

    def draft_version(self) -> ConceptVersion | None:
        return self.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    ADOPTED = "adopted", _("beschlossen")


class ConceptVersion(models.Model):
    concept = models.ForeignKey(Concept, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("Fassung Nr."))
    title = models.CharField(_("Titel der Fassung"), max_length=200)
    preamble = models.TextField(_("Einleitung"), blank=True)
    valid_from = models.DateField(_("Laufzeit ab"), null=True, blank=True)
    valid_until = models.DateField(_("Laufzeit bis"), null=True, blank=True)
    status = models.CharField(_("Stand"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("Grundlage")
    )
    decision_body = models.CharField(_("Beschlussgremium"), max_length=200, blank=True)
    decision_date = models.DateField(_("Beschlussdatum"), null=True, blank=True)
    drucksache = models.CharField(_("Drucksache Nr."), max_length=60, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beschlossen von"),
    )
    adopted_at = models.DateTimeField(_("beschlossen am"), null=True, blank=True)
    is_public = models.BooleanField(_("auf der öffentlichen Seite zeigen"), default=True)
    comments_open = models.BooleanField(_("Gremien können kommentieren"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["concept_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["concept", "number"], name="unique_concept_version_number")]
        verbose_name = _("Fassung")
        verbose_name_plural = _("Fassungen")

    def __str__(self) -> str:
        return f"{self.title} (Fassung {self.number})"

    @property
    def owner(self) -> Any:
        return self.concept.owner

    @property
    def is_frozen(self) -> bool:
        return self.status == VersionStatus.ADOPTED


class FieldOfAction(models.Model):
    """Handlungsfeld. ``theme`` is the monitoring theme (A–I) it started from, empty if made up."""

    version = models.ForeignKey(ConceptVersion, on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveSmallIntegerField(default=0)
    theme = models.CharField(_("Monitoring-Themenfeld"), max_length=1, blank=True)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Leitlinie / Beschreibung"), blank=True)

    class Meta:
        ordering = ["version_id", "position", "pk"]
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")

    def __str__(self) -> str:
        return self.title


class Direction(models.TextChoices):
    HIGHER = "higher", _("höher ist besser")
    LOWER = "lower", _("niedriger ist besser")


class Goal(models.Model):
    field = models.ForeignKey(FieldOfAction, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("Ziel"), max_length=300)
    description = models.TextField(_("Erläuterung"), blank=True)

    class Meta:
        ordering = ["field_id", "position", "pk"]
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")

    def __str__(self) -> str:
        return self.title

    @property
    def version(self) -> ConceptVersion:
        return self.field.version


class GoalIndicator(models.Model):
    """A catalogue indicator that measures a goal: baseline (value, year), target (value, date), direction."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.PROTECT, related_name="+")
    baseline_value = models.FloatField(_("Ausgangswert"))
    baseline_year = models.PositiveSmallIntegerField(_("Ausgangsjahr"))
    target_value = models.FloatField(_("Zielwert"))
    target_date = models.DateField(_("Zieldatum"))
    direction = models.CharField(_("Richtung"), max_length=6, choices=Direction.choices, default=Direction.HIGHER)

    class Meta:
        ordering = ["goal_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["goal", "indicator"], name="unique_goal_indicator")]
        verbose_name = _("Zielindikator")
        verbose_name_plural = _("Zielindikatoren")

    def __str__(self) -> str:
        return f"{self.indicator.code} → {self.target_value}"


class MeasureStatus(models.TextChoices):
    PLANNED = "geplant", _("geplant")
    RUNNING = "laufend", _("laufend")
    DONE = "abgeschlossen", _("abgeschlossen")
    SUSPENDED = "ausgesetzt", _("ausgesetzt")


class MeasureQuerySet(models.QuerySet["Measure"]):
    def editable_by(self, user: Any) -> MeasureQuerySet:
        """The office edits all measures of its concepts; a Gemeinde (``concept.measures.own``) its own."""
        return self.filter(
            models.Q(goal__field__version__concept__owner_id__in=_office_ids(user, "concept.manage"))
            | models.Q(owner_id__in=_office_ids(user, "concept.measures.own"))
        )


class Measure(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("Maßnahme"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="concept_measures",
        verbose_name=_("verantwortliche Organisation"),
    )
    responsible = models.ForeignKey(
        "concept.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("verantwortliche Person"),
    )
    partners = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="concept_partner_measures", verbose_name=_("Partner")
    )
    partners_other = models.CharField(_("weitere Partner"), max_length=300, blank=True)
    gemeinden = models.ManyToManyField("regions.Gemeinde", blank=True, related_name="+", verbose_name=_("Gemeinden"))
    planungsraeume = models.ManyToManyField(
        "regions.Planungsraum", blank=True, related_name="+", verbose_name=_("Planungsräume")
    )
    budget = models.DecimalField(_("Budget (Euro)"), max_digits=12, decimal_places=2, null=True, blank=True)
    funding_source = models.CharField(_("Finanzierung"), max_length=200, blank=True)
    status = models.CharField(_("Stand"), max_length=14, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    start_date = models.DateField(_("Beginn"), null=True, blank=True)
    end_date = models.DateField(_("Ende"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["goal_id", "position", "pk"]
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")

    def __str__(self) -> str:
        return self.title

    @property
    def version(self) -> ConceptVersion:
        return self.goal.field.version


class Milestone(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("Meilenstein"), max_length=200)
    due_date = models.DateField(_("geplant bis"))
    done_on = models.DateField(_("erreicht am"), null=True, blank=True)

    class Meta:
        ordering = ["measure_id", "due_date", "pk"]
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: date) -> bool:
        return self.done_on is None and self.due_date < today


class Evidence(models.Model):
    """A link or a small document that shows what a measure achieved."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("Titel"), max_length=200)
    url = models.URLField(_("Link"), blank=True)
    file_name = models.CharField(_("Dateiname"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure_id", "-added_at"]
        verbose_name = _("Nachweis")
        verbose_name_plural = _("Nachweise")

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    """A body member's comment on a draft goal or measure; the office answers."""

    version = models.ForeignKey(ConceptVersion, on_delete=models.CASCADE, related_name="comments")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="comments")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, null=True, blank=True, related_name="comments")
    body = models.ForeignKey("concept.Body", on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    author_name = models.CharField(max_length=200)
    organisation_name = models.CharField(max_length=200, blank=True)
    text = models.TextField(_("Kommentar"))
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("Antwort der Geschäftsstelle"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:40]}"


class StatusReport(models.Model):
    """A built status report: data snapshot (JSON), its hash, and the PDF rendered from it."""

    version = models.ForeignKey(ConceptVersion, on_delete=models.PROTECT, related_name="status_reports")
    title = models.CharField(_("Titel"), max_length=200)
    period_start = models.DateField(_("Berichtszeitraum von"))
    period_end = models.DateField(_("Berichtszeitraum bis"))
    snapshot = models.JSONField()
    snapshot_sha256 = models.CharField(max_length=64)
    pdf = models.BinaryField(null=True, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_standard = models.CharField(max_length=20, blank=True)
    is_public = models.BooleanField(_("veröffentlicht"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("Sachstandsbericht")
        verbose_name_plural = _("Sachstandsberichte")

    def __str__(self) -> str:
        return self.title
