from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from teilhabe.directory.models import TranslationStatus


class LegalPage(models.Model):
    """Impressum, Datenschutzerklärung and Erklärung zur Barrierefreiheit, edited by the district."""

    class Slug(models.TextChoices):
        IMPRESSUM = "impressum", _("Impressum")
        DATENSCHUTZ = "datenschutz", _("Datenschutzerklärung")
        BARRIEREFREIHEIT = "barrierefreiheit", _("Erklärung zur Barrierefreiheit")

    slug = models.CharField(max_length=30, choices=Slug.choices, unique=True)
    title = models.CharField(_("Titel"), max_length=200)
    body = models.TextField(
        _("Text"),
        help_text=_("Absätze durch Leerzeilen trennen; Zeilen mit „## “ am Anfang werden Zwischenüberschriften."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("Rechtstext")
        verbose_name_plural = _("Rechtstexte")

    def __str__(self) -> str:
        return self.title


class LegalPageTranslation(models.Model):
    """A district-maintained translation of one legal page into one public language besides German.

    Keyed by the page's slug (the German page may still be the generated starting text, without a row).
    The status follows the directory's translations (``TranslationStatus``): ``current`` and ``machine``
    are shown, ``outdated`` is shown with a note, ``missing`` (or no row at all once the German text was
    edited) shows the German text marked ``lang="de"``. The German text stays legally binding.
    """

    slug = models.CharField(max_length=30, choices=LegalPage.Slug.choices)
    language = models.CharField(_("Sprache"), max_length=8)
    title = models.CharField(_("Titel"), max_length=200)
    body = models.TextField(
        _("Text"),
        help_text=_("Absätze durch Leerzeilen trennen; Zeilen mit „## “ am Anfang werden Zwischenüberschriften."),
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=TranslationStatus.choices, default=TranslationStatus.CURRENT
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["slug", "language"], name="unique_legal_page_translation")]
        verbose_name = _("Übersetzung (Rechtstext)")
        verbose_name_plural = _("Übersetzungen (Rechtstexte)")

    def __str__(self) -> str:
        return f"{self.slug}/{self.language}"


class AccessibilityFeedback(models.Model):
    """A report of an accessibility barrier (Feedback-Mechanismus nach § 7 BITV 2.0)."""

    page_url = models.CharField(_("Betroffene Seite"), max_length=500, blank=True)
    message = models.TextField(_("Beschreibung der Barriere"))
    name = models.CharField(_("Name"), max_length=150, blank=True)
    email = models.EmailField(_("E-Mail für Rückfragen"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y} {self.page_url}"


class ProcessHeartbeat(models.Model):
    """Liveness of the background processes (task worker, scheduler) and the last run of scheduled jobs.

    ``name`` is ``worker:<host>-<pid>``, ``scheduler:<host>-<pid>`` or ``job:<command>``; ``beat_at`` is the
    last sign of life (every few seconds) or the end of the job's last run. See ``teilhabe/core/worker.py``.
    """

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("Lebenszeichen")
        verbose_name_plural = _("Lebenszeichen")

    def __str__(self) -> str:
        return self.name


class StoredFragment(models.Model):
    """Rendered HTML (page bodies, SVG charts) stored when the data behind it changes, so a page view
    reads it instead of building it (``teilhabe.core.fragments``; docs/decisions/0130-*).

    ``key`` is a SHA-256 over everything the HTML depends on (kind, parameters, language and the data
    version), so a recomputation that writes values makes the old rows unreachable at once; the
    prerender job deletes rows it did not produce or read for a while.
    """

    key = models.CharField(max_length=64, primary_key=True)
    title = models.TextField(blank=True)
    html = models.TextField()
    stored_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["stored_at"])]

    def __str__(self) -> str:
        return self.key
