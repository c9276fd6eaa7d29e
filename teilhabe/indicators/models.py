"""Indicators (catalogue + district-defined), agency aggregates as a source, computed indicator values."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from teilhabe.indicators.catalogue import (
    THEMES,
    Category,
    IndicatorDef,
    Term,
)


class Level(models.TextChoices):
    GEMEINDE = "gemeinde", _("Gemeinde")
    PLANUNGSRAUM = "planungsraum", _("Planungsraum")
    KREIS = "kreis", _("Kreis")


class Suppression(models.TextChoices):
    NONE = "", _("veröffentlicht")
    PRIMARY = "primary", _("Primärsperrung")
    SECONDARY = "secondary", _("Sekundärsperrung")
    COMPLEMENT = "complement", _("Sperrung der Gegenzahl")
    DOMINANCE = "dominance", _("Dominanzregel")


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def published(self) -> IndicatorQuerySet:
        return self.filter(is_published=True)

    def visible_to(self, user: Any) -> IndicatorQuerySet:
        """Catalogue indicators: everybody with monitoring access; custom ones: their owner (or published)."""
        from teilhabe.accounts.access import has_district_permission, organisation_ids_with

        if has_district_permission(user, "indicators.view"):
            return self.all()
        orgs = organisation_ids_with(user, "indicators.view") | organisation_ids_with(user, "indicators.manage")
        return self.filter(models.Q(is_custom=False) | models.Q(owner_id__in=orgs) | models.Q(is_published=True))

    @staticmethod
    def is_visible_to(indicator: Indicator, user: Any) -> bool:
        """``visible_to`` for one loaded indicator (``indicator in Indicator.objects.visible_to(user)``)."""
        from teilhabe.accounts.access import has_district_permission, organisation_ids_with

        if has_district_permission(user, "indicators.view"):
            return True
        if not indicator.is_custom or indicator.is_published:
            return True
        orgs = organisation_ids_with(user, "indicators.view") | organisation_ids_with(user, "indicators.manage")
        return indicator.owner_id in orgs


class Indicator(models.Model):
    """One indicator. Catalogue rows are synced from catalogue.yaml; custom rows are created in the UI."""

    code = models.CharField(_("Kennung"), max_length=20, unique=True)
    name_de = models.CharField(_("Name (deutsch)"), max_length=200)
    name_en = models.CharField(_("Name (englisch)"), max_length=200)
    theme = models.CharField(_("Handlungsfeld"), max_length=1, choices=list(THEMES.items()))
    kind = models.CharField(_("Art"), max_length=20, default="rate")
    unit = models.CharField(_("Einheit"), max_length=60)
    multiplier = models.FloatField(_("Faktor"), default=100)
    definition = models.TextField(_("Definition"))
    sources = models.JSONField(_("Datenquellen"), default=list)
    disaggregations = models.JSONField(_("Aufgliederungen"), default=dict)
    migration_definition = models.CharField(_("Definition Migrationshintergrund"), max_length=40)
    anchor = models.CharField(_("Bezug"), max_length=300, blank=True)
    caveats = models.TextField(_("Hinweise"), blank=True)
    categories = models.JSONField(_("Kategorien mit Zähler und Nenner"), default=list)
    denominator_lag = models.PositiveSmallIntegerField(_("Nenner aus Vorjahr (Jahre)"), default=0)
    disclosure_method = models.CharField(
        _("Geheimhaltung"),
        max_length=10,
        default="suppress",
        choices=[("suppress", _("Sperrung")), ("round", _("Rundung"))],
    )
    min_count = models.PositiveSmallIntegerField(_("Mindestfallzahl"), null=True, blank=True)
    rounding_base = models.PositiveSmallIntegerField(_("Rundungsbasis"), default=5)
    kreis_from_gemeinden = models.BooleanField(default=True)
    categories_additive = models.BooleanField(default=True)
    value_key = models.CharField(max_length=60, blank=True)
    count_key = models.CharField(max_length=60, blank=True)
    references = models.JSONField(default=list)
    is_custom = models.BooleanField(_("vom Kreis definiert"), default=False)
    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="indicators"
    )
    is_published = models.BooleanField(_("veröffentlicht"), default=False)
    # Once published, an indicator's values may be cited: it can be withdrawn, but no longer deleted.
    ever_published = models.BooleanField(_("schon einmal veröffentlicht"), default=False)
    version = models.PositiveIntegerField(_("Version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["theme", "code"]
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")

    def __str__(self) -> str:
        return f"{self.code} {self.name_de}"

    @property
    def k(self) -> int:
        """The minimum count for this indicator: its own ``min_count``, never below the installation's floor."""
        return max(int(self.min_count or 0), int(settings.DISCLOSURE_MIN_COUNT))

    def source_names(self) -> list[str]:
        """The data sources in words ("Statistik der Bundesagentur für Arbeit"), not their catalogue codes."""
        from teilhabe.indicators.catalogue import load_catalogue

        names = load_catalogue().data_sources
        return [names.get(code, code) for code in self.sources]

    def category_list(self) -> list[Category]:
        return [
            Category(
                c.get("code", ""),
                c.get("name_de", self.name_de),
                c.get("name_en", self.name_en),
                tuple(Term.parse(t) for t in c.get("numerator", [])),
                tuple(Term.parse(t) for t in c.get("denominator", [])),
            )
            for c in self.categories
        ]

    def as_definition(self) -> IndicatorDef:
        return IndicatorDef(
            code=self.code,
            name_de=self.name_de,
            name_en=self.name_en,
            theme=self.theme,
            kind=self.kind,
            unit=self.unit,
            multiplier=self.multiplier,
            definition=self.definition,
            sources=tuple(self.sources),
            disaggregations=dict(self.disaggregations),
            migration_definition=self.migration_definition,
            anchor=self.anchor,
            caveats=self.caveats,
            categories=tuple(self.category_list()),
            denominator_lag=self.denominator_lag,
            disclosure_method=self.disclosure_method,
            min_count=self.min_count,
            rounding_base=self.rounding_base,
            kreis_from_gemeinden=self.kreis_from_gemeinden,
            categories_additive=self.categories_additive,
            value_key=self.value_key,
            count_key=self.count_key,
            references=tuple((str(r[0]), str(r[1])) for r in self.references),
        )

    @property
    def keys(self) -> set[str]:
        return self.as_definition().keys


class AgencyValueQuerySet(models.QuerySet["AgencyValue"]):
    def visible_to(self, user: Any) -> AgencyValueQuerySet:
        from teilhabe.accounts.access import has_district_permission, organisation_ids_with

        if has_district_permission(user, "indicators.manage"):
            return self.all()
        return self.filter(owner_id__in=organisation_ids_with(user, "indicators.manage"))


class AgencyValue(models.Model):
    """An aggregate delivered by an agency (BA, Jobcenter, Sozialamt, Schulamt …) for one area and year."""

    source_key = models.CharField(_("Quellschlüssel"), max_length=60)
    level = models.CharField(
        _("Ebene"), max_length=12, choices=[(Level.GEMEINDE, _("Gemeinde")), (Level.KREIS, _("Kreis"))]
    )
    ags = models.CharField(_("AGS"), max_length=8)
    year = models.PositiveSmallIntegerField(_("Jahr"))
    value = models.FloatField(_("Wert"))
    contributions = models.JSONField(_("Beiträge einzelner Einheiten (für die Dominanzregel)"), null=True, blank=True)
    source_document = models.CharField(_("Quelldokument"), max_length=300)
    file_name = models.CharField(_("Dateiname"), max_length=200, blank=True)
    is_synthetic = models.BooleanField(_("synthetische Demodaten"), default=False)
    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="agency_values")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("erfasst am"))

    objects = AgencyValueQuerySet.as_manager()

    class Meta:
        ordering = ["source_key", "year", "ags"]
        constraints = [
            models.UniqueConstraint(fields=["source_key", "level", "ags", "year"], name="unique_agency_value")
        ]
        indexes = [models.Index(fields=["source_key", "year"], name="agencyvalue_key_year_idx")]
        verbose_name = _("Behördenaggregat")
        verbose_name_plural = _("Behördenaggregate")

    def __str__(self) -> str:
        return f"{self.source_key} {self.ags} {self.year}"


class IndicatorValue(models.Model):
    """A computed value with its inputs and its disclosure-controlled published form."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    category = models.CharField(max_length=40, blank=True)
    level = models.CharField(max_length=12, choices=Level.choices)
    region = models.CharField(max_length=40)  # AGS (Gemeinde 8, Kreis 5) or "AGS/code" for a Planungsraum
    year = models.PositiveSmallIntegerField()
    numerator = models.FloatField(null=True)
    denominator = models.FloatField(null=True)
    value = models.FloatField(null=True)
    components = models.JSONField(default=dict)  # {source key: input value}, for provenance and disclosure
    sources = models.JSONField(default=list)  # ["agency:ba_beschaeftigte_auslaender", "zensus:ew_gesamt"]
    is_synthetic = models.BooleanField(default=False)
    computed_at = models.DateTimeField()
    published_numerator = models.FloatField(null=True)
    published_denominator = models.FloatField(null=True)
    published_value = models.FloatField(null=True)
    suppression = models.CharField(max_length=12, choices=Suppression.choices, blank=True)

    class Meta:
        ordering = ["indicator_id", "category", "level", "region", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "category", "level", "region", "year"], name="unique_indicator_value"
            )
        ]
        indexes = [models.Index(fields=["indicator", "level", "year"], name="indvalue_ind_level_year_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.category} {self.region} {self.year}"

    @property
    def suppressed(self) -> bool:
        return bool(self.suppression)


class AgencyValueRevision(models.Model):
    """History of an aggregate cell: every replacement (old → new) and deletion, kept when the value changes."""

    source_key = models.CharField(_("Quellschlüssel"), max_length=60)
    level = models.CharField(_("Ebene"), max_length=12)
    ags = models.CharField(_("AGS"), max_length=8)
    year = models.PositiveSmallIntegerField(_("Jahr"))
    old_value = models.FloatField(_("alter Wert"), null=True, blank=True)  # None: newly created
    new_value = models.FloatField(_("neuer Wert"), null=True, blank=True)  # None: deleted
    old_source_document = models.CharField(_("altes Quelldokument"), max_length=300, blank=True)
    source_document = models.CharField(_("Quelldokument"), max_length=300, blank=True)
    file_name = models.CharField(_("Dateiname"), max_length=200, blank=True)
    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("geändert am"))

    class Meta:
        ordering = ["source_key", "level", "ags", "year", "changed_at"]
        indexes = [models.Index(fields=["source_key", "level", "ags", "year"], name="agencyrevision_cell_idx")]
        verbose_name = _("Änderung eines Behördenaggregats")
        verbose_name_plural = _("Änderungen von Behördenaggregaten")

    def __str__(self) -> str:
        return f"{self.source_key} {self.ags} {self.year}: {self.old_value} → {self.new_value}"


class IndicatorVersion(models.Model):
    """The definition of an own indicator before an edit: every version stays readable (history)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("Version"))
    definition = models.JSONField(_("Definition"))
    replaced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    replaced_at = models.DateTimeField(_("Ersetzt am"), auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["indicator", "version"], name="indicators_version_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_id} v{self.version}"
