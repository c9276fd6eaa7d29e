"""Surveys: XLSForm questionnaires in versions, anonymous responses, one-time access codes.

Privacy by construction: ``Response`` has no field for an IP address, user agent, time of day or access
code; the day of submission is the finest time grain kept. One-time codes are marked used without any
link to the response they unlocked.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from teilhabe.accounts.models import Organisation

MANAGE = "surveys.manage"


class SurveyQuerySet(models.QuerySet["Survey"]):
    def visible_to(self, user: Any, permission: str = MANAGE) -> SurveyQuerySet:
        from teilhabe.accounts.access import has_district_permission, organisation_ids_with

        if has_district_permission(user, permission):
            return self.all()
        return self.filter(owner_id__in=organisation_ids_with(user, permission))

    def public(self) -> SurveyQuerySet:
        return self.filter(status=Survey.Status.OPEN)


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        OPEN = "open", _("Im Feld")
        CLOSED = "closed", _("Abgeschlossen")

    class Access(models.TextChoices):
        OPEN = "open", _("Offen (ohne Zugangscode)")
        CODES = "codes", _("Nur mit einmaligem Zugangscode")

    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("Erhebungsjahr"))
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    access = models.CharField(_("Zugang"), max_length=10, choices=Access.choices, default=Access.OPEN)
    k_threshold = models.PositiveSmallIntegerField(_("Mindestfallzahl je Zelle"), default=10)
    # Weighting: margin key → question name, e.g. {"altersgruppe": "age_band", "geschlecht": "sex"}.
    weighting = models.JSONField(_("Gewichtung (Randverteilung → Frage)"), default=dict, blank=True)
    # Gemeinde groups: group code → {"label": "...", "ags": ["12073…", …]}; the answer of
    # ``weighting["gemeindegruppe"]`` holds the group code.
    # Trimming of raked weights: bounds as multiples of the mean weight N/n (``weighting.rake``).
    trim_lower = models.FloatField(_("Untere Kappungsgrenze (× mittleres Gewicht)"), default=0.2)
    trim_upper = models.FloatField(_("Obere Kappungsgrenze (× mittleres Gewicht)"), default=5.0)
    gemeinde_groups = models.JSONField(_("Gemeindegruppen"), default=dict, blank=True)
    # Monitoring inputs: source key → {"question": name, "values": [codes counted]}; "umf_befragte" counts all.
    indicator_inputs = models.JSONField(_("Monitoring-Eingänge"), default=dict, blank=True)
    weighting_report = models.JSONField(default=dict, blank=True)  # iterations, deff, trimmed, stichtag
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("Befragung")
        verbose_name_plural = _("Befragungen")

    def __str__(self) -> str:
        return self.title

    @property
    def current_version(self) -> SurveyVersion | None:
        return self.versions.order_by("-number").first()


class SurveyVersion(models.Model):
    """One uploaded XLSForm and pyxform's output. Frozen as soon as the survey is in the field."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    file_name = models.CharField(max_length=200)
    xlsform = models.BinaryField()
    form = models.JSONField()  # pyxform's JSON form (children, choices, binds, translations)
    xform = models.TextField()  # pyxform's XForm (XML), for ODK tools and the codebook
    languages = models.JSONField(default=list)  # [{"code": "ar", "name": "العربية (ar)", "key": "...", "dir": "rtl"}]
    warnings = models.JSONField(default=list)  # German texts
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    frozen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "-number"]
        constraints = [models.UniqueConstraint(fields=["survey", "number"], name="unique_survey_version")]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None

    def language(self, code: str) -> dict[str, str] | None:
        return next((lang for lang in self.languages if lang["code"] == code), None)


class Response(models.Model):
    class Mode(models.TextChoices):
        WEB = "web", _("Online")
        INTERVIEW = "interview", _("Interview")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="responses")
    language = models.CharField(max_length=12)
    answers = models.JSONField()  # {question name: value}; select_multiple as a list of codes
    submitted_on = models.DateField()  # the day only: no time of day, no address, no user agent
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.WEB)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    complete = models.BooleanField(default=True)  # every relevant question answered
    weight = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_on", "id"]
        indexes = [models.Index(fields=["survey", "submitted_on"], name="survey_response_day_idx")]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk}"


class FormOpening(models.Model):
    """How often a form was opened, per day and language (an anonymous counter for completion rates)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="openings")
    language = models.CharField(max_length=12)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "language", "day"], name="unique_form_opening")]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.language} {self.day}: {self.count}"


class AccessCode(models.Model):
    """A one-time code printed on an invitation letter; ``used`` is set without linking the response."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=12, unique=True)
    language = models.CharField(max_length=12)
    batch = models.PositiveSmallIntegerField(default=1)
    used = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["batch", "id"]

    def __str__(self) -> str:
        return self.code
