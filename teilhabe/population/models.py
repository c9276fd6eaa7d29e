"""Register imports (metadata only) and the aggregate counts that pages read. Microdata never live here:
they stay in the pseudonymous Parquet store (``store.py``)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

IMPORT_PERMISSION = "population.import"
VIEW_PERMISSION = "population.view"
GEMEINDE_PERMISSION = "population.view.gemeinde"
RELEASE_PERMISSION = "population.release"


class RegisterImportQuerySet(models.QuerySet["RegisterImport"]):
    def visible_to(self, user: Any, permission: str = VIEW_PERMISSION) -> RegisterImportQuerySet:
        from teilhabe.accounts.access import has_district_permission, organisation_ids_with

        if has_district_permission(user, permission):
            return self.all()
        return self.filter(owner_id__in=organisation_ids_with(user, permission))


class RegisterImport(models.Model):
    """One uploaded extract for one Stichtag: checked (dry run), then committed, later maybe replaced."""

    class Status(models.TextChoices):
        CHECKED = "geprueft", _("geprüft, nicht übernommen")
        COMMITTED = "uebernommen", _("übernommen")
        REPLACED = "ersetzt", _("durch neueren Import ersetzt")
        DISCARDED = "verworfen", _("verworfen")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="register_imports")
    kreis_ags = models.CharField(_("Kreis"), max_length=5)
    stichtag = models.DateField(_("Stichtag"))
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.CHECKED)
    original_filename = models.CharField(_("Dateiname"), max_length=255, blank=True)
    file_format = models.CharField(_("Format"), max_length=8, blank=True)
    encoding = models.CharField(_("Zeichenkodierung"), max_length=20, blank=True)
    delimiter = models.CharField(_("Trennzeichen"), max_length=2, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    rows_total = models.PositiveIntegerField(_("Zeilen"), default=0)
    rows_valid = models.PositiveIntegerField(_("fehlerfreie Zeilen"), default=0)
    error_count = models.PositiveIntegerField(_("Fehler"), default=0)
    warning_count = models.PositiveIntegerField(_("Warnungen"), default=0)
    # Problems carry row, column and code only, never cell values (no personal data in the main DB).
    problem_counts = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    valid_rows_only = models.BooleanField(_("nur fehlerfreie Zeilen übernommen"), default=False)
    population = models.PositiveIntegerField(_("Einwohner/innen (Haupt- und alleinige Wohnung)"), null=True)
    store_file = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    committed_at = models.DateTimeField(null=True, blank=True)
    # Set once the joint disclosure decision of the Stichtag is stored (``publication.publish``): pages show
    # the tables only from then on. ``disclosure``: k, rounds, seconds and the suppressed indicator inputs.
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    disclosure = models.JSONField(default=dict, blank=True)

    objects = RegisterImportQuerySet.as_manager()

    class Meta:
        ordering = ["-stichtag", "-created_at"]
        verbose_name = _("Melderegister-Import")
        verbose_name_plural = _("Melderegister-Importe")

    def __str__(self) -> str:
        return f"Melderegister {self.kreis_ags} {self.stichtag:%d.%m.%Y}"


class PopulationCount(models.Model):
    """Raw counts of persons (unprotected) by sex: pages protect every cell when they publish it."""

    class Level(models.TextChoices):
        KREIS = "kreis", _("Kreis")
        GEMEINDE = "gemeinde", _("Gemeinde")
        PLANUNGSRAUM = "planungsraum", _("Planungsraum")

    # No index of its own: ``popcount_lookup_idx`` starts with it. Every read names the import (or imports), so
    # that one index serves them all; each further index cost the commit of an import ~0.1 s on PostgreSQL for
    # Karlsruhe's 38,000 rows (decision 0176).
    register_import = models.ForeignKey(RegisterImport, on_delete=models.CASCADE, related_name="counts", db_index=False)
    stichtag = models.DateField()
    level = models.CharField(max_length=12, choices=Level.choices)
    area = models.CharField(max_length=40, help_text="AGS, Kreisschlüssel oder AGS:Planungsraum")
    dimension = models.CharField(max_length=40)
    category = models.CharField(max_length=40)
    male = models.PositiveIntegerField(default=0)
    female = models.PositiveIntegerField(default=0)
    other = models.PositiveIntegerField(default=0, help_text="divers und ohne Angabe")

    class Meta:
        indexes = [
            models.Index(fields=["register_import", "level", "area", "dimension"], name="popcount_lookup_idx"),
        ]
        verbose_name = _("Bevölkerungszahl")
        verbose_name_plural = _("Bevölkerungszahlen")

    def __str__(self) -> str:
        return f"{self.stichtag} {self.area} {self.dimension}={self.category}: {self.total}"

    @property
    def total(self) -> int:
        return self.male + self.female + self.other

    def by_sex(self) -> dict[str, int]:
        return {"m": self.male, "w": self.female, "x": self.other}


class PublishedTable(models.Model):
    """One published table (import × area × dimension) with its stored disclosure decision.

    ``cells`` is the grid with margins (last column row totals, last row column totals) as
    ``[value, reason]`` pairs; a suppressed cell is stored as ``[null, "primary" | "secondary"]``, so a page
    cannot show what it must not. Written only by ``teilhabe.population.publication``."""

    register_import = models.ForeignKey(RegisterImport, on_delete=models.CASCADE, related_name="published_tables")
    level = models.CharField(max_length=12)
    area = models.CharField(max_length=40)
    dimension = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    categories = models.JSONField(default=list)
    cells = models.JSONField(default=list)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["register_import", "level", "area", "dimension"], name="population_one_published_table"
            )
        ]
        verbose_name = _("veröffentlichte Tabelle")
        verbose_name_plural = _("veröffentlichte Tabellen")

    def __str__(self) -> str:
        return f"{self.register_import_id} {self.area} {self.dimension}"


class GemeindeReleaseQuerySet(models.QuerySet["GemeindeRelease"]):
    def active(self) -> GemeindeReleaseQuerySet:
        return self.filter(revoked_at__isnull=True)


class GemeindeRelease(models.Model):
    """The district's decision that a Gemeinde's staff see their own published population tables (product C12).

    Only disclosure-protected tables are shown, exactly as published for that area; never microdata or raw
    counts. ``scope`` says whether the small-area tables of the Gemeinde's Planungsräume are included.
    """

    class Scope(models.TextChoices):
        GEMEINDE = "gemeinde", _("Tabellen und Zeitreihe der Gemeinde")
        PLANUNGSRAUM = "planungsraum", _("Tabellen der Gemeinde und ihrer Planungsräume")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="population_releases",
        verbose_name=_("Empfangende Organisation"),
    )
    gemeinde = models.ForeignKey("regions.Gemeinde", on_delete=models.PROTECT, verbose_name=_("Gemeinde"))
    scope = models.CharField(_("Umfang"), max_length=20, choices=Scope.choices, default=Scope.PLANUNGSRAUM)
    basis = models.CharField(_("Grundlage"), max_length=300)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("Freigegeben am"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("Zurückgenommen am"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = GemeindeReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("Freigabe für eine Gemeinde")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "gemeinde"],
                condition=models.Q(revoked_at__isnull=True),
                name="population_one_active_release",
            )
        ]

    def __str__(self) -> str:
        return f"{self.gemeinde} → {self.organisation}"
