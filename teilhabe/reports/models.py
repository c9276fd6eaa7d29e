"""Integrationsmonitoring report: a definition per district, editions, chapter commentary, builds."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportDefinitionQuerySet(models.QuerySet["ReportDefinition"]):
    def visible_to(self, user: Any) -> ReportDefinitionQuerySet:
        from teilhabe.accounts.access import has_district_permission, organisation_ids_with

        if has_district_permission(user, "reports.manage"):
            return self.all()
        return self.filter(owner_id__in=organisation_ids_with(user, "reports.manage"))


class ReportDefinition(models.Model):
    """The report series of one district (e.g. „Integrationsmonitoring Landkreis Uckermark“)."""

    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="report_definitions")
    kreis_ags = models.CharField(_("Kreis (AGS)"), max_length=5)
    title = models.CharField(_("Titel der Berichtsreihe"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportDefinitionQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("Berichtsreihe")
        verbose_name_plural = _("Berichtsreihen")

    def __str__(self) -> str:
        return self.title


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    PUBLISHED = "published", _("veröffentlicht")


class ReportEditionQuerySet(models.QuerySet["ReportEdition"]):
    def visible_to(self, user: Any) -> ReportEditionQuerySet:
        return self.filter(definition__in=ReportDefinition.objects.visible_to(user))

    def published(self) -> ReportEditionQuerySet:
        return self.filter(status=EditionStatus.PUBLISHED, published_build__isnull=False)


class ReportEdition(models.Model):
    """One edition of the report (e.g. 2025): years covered, chapters, texts; frozen once published."""

    definition = models.ForeignKey(ReportDefinition, on_delete=models.PROTECT, related_name="editions")
    slug = models.SlugField(_("Kurzname für die Adresse"), max_length=80, unique=True)
    title = models.CharField(_("Titel"), max_length=200)
    subtitle = models.CharField(_("Untertitel"), max_length=200, blank=True)
    stichtag = models.DateField(_("Stichtag"))
    years = models.JSONField(_("Berichtsjahre"), default=list)
    indicator_codes = models.JSONField(_("Indikatoren (leer: alle veröffentlichten)"), default=list, blank=True)
    gemeinde_ags = models.JSONField(_("Gemeinden (leer: alle)"), default=list, blank=True)
    foreword = models.TextField(_("Vorwort"), blank=True)
    summary = models.TextField(_("Zusammenfassung (Text)"), blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Vorausgabe (für Veränderungen)"),
    )
    status = models.CharField(max_length=10, choices=EditionStatus.choices, default=EditionStatus.DRAFT)
    published_build = models.ForeignKey(
        "ReportBuild", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportEditionQuerySet.as_manager()

    class Meta:
        ordering = ["-stichtag", "-pk"]
        verbose_name = _("Berichtsausgabe")
        verbose_name_plural = _("Berichtsausgaben")

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self) -> Any:
        return self.definition.owner

    @property
    def is_published(self) -> bool:
        return self.status == EditionStatus.PUBLISHED

    def latest_done_build(self) -> ReportBuild | None:
        # Callers read its snapshot; the PDF (megabytes) is loaded only if asked for.
        return self.builds.filter(status=BuildStatus.DONE).defer("pdf").order_by("-pk").first()


class ReportChapter(models.Model):
    """A chapter = one field of action (theme); the commentary text lives in its revisions."""

    edition = models.ForeignKey(ReportEdition, on_delete=models.CASCADE, related_name="chapters")
    theme = models.CharField(_("Handlungsfeld"), max_length=1)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("Kapitelüberschrift"), max_length=200)

    class Meta:
        ordering = ["edition_id", "position", "theme"]
        constraints = [models.UniqueConstraint(fields=["edition", "theme"], name="unique_chapter_theme")]

    def __str__(self) -> str:
        return self.title

    def current_revision(self) -> ChapterCommentaryRevision | None:
        return self.revisions.order_by("-pk").first()

    @property
    def commentary(self) -> str:
        revision = self.current_revision()
        return revision.text if revision else ""


class ChapterCommentaryRevision(models.Model):
    """Every saved version of a chapter commentary (append-only history)."""

    chapter = models.ForeignKey(ReportChapter, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField(_("Kommentar"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.chapter_id}@{self.created_at:%Y-%m-%d %H:%M}"


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("wartet")
    RUNNING = "running", _("läuft")
    DONE = "done", _("fertig")
    FAILED = "failed", _("fehlgeschlagen")


class ReportBuild(models.Model):
    """One run of the report build with its data snapshot and the resulting PDF."""

    edition = models.ForeignKey(ReportEdition, on_delete=models.CASCADE, related_name="builds")
    status = models.CharField(max_length=10, choices=BuildStatus.choices, default=BuildStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    refresh_data = models.BooleanField(default=False)
    snapshot = models.JSONField(null=True, blank=True)
    snapshot_sha256 = models.CharField(max_length=64, blank=True)
    snapshot_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    pdf = models.BinaryField(null=True, blank=True)
    pdf_size = models.PositiveIntegerField(default=0)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_standard = models.CharField(max_length=20, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.edition_id}#{self.pk}"

    @property
    def data_as_of(self) -> Any:
        """When the values of this build's snapshot were taken (a rebuild reuses an earlier snapshot)."""
        source = self.snapshot_from if self.snapshot_from_id else self
        return source.started_at or source.created_at if source is not None else self.created_at

    @property
    def is_finished(self) -> bool:
        return self.status in (BuildStatus.DONE, BuildStatus.FAILED)
