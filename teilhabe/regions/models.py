"""Land → Kreis → Gemeinde (8-digit AGS) → Planungsraum, with dated Gebietsstand and reference values."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Land(models.Model):
    code = models.CharField(_("Landesschlüssel"), max_length=2, primary_key=True)
    name = models.CharField(_("Name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("Land")
        verbose_name_plural = _("Länder")

    def __str__(self) -> str:
        return self.name


class PopulationMixin(models.Model):
    area_km2 = models.DecimalField(_("Fläche (km²)"), max_digits=10, decimal_places=2, null=True)
    population = models.PositiveIntegerField(_("Bevölkerung"), null=True)
    population_male = models.PositiveIntegerField(_("männlich"), null=True)
    population_female = models.PositiveIntegerField(_("weiblich"), null=True)
    population_date = models.DateField(_("Bevölkerungsstand"), null=True)
    gebietsstand = models.DateField(_("Gebietsstand"))

    class Meta:
        abstract = True


class Kreis(PopulationMixin):
    ags = models.CharField(_("Kreisschlüssel"), max_length=5, primary_key=True)
    name = models.CharField(_("Name"), max_length=150)
    kreis_typ = models.CharField(_("Kreistyp"), max_length=50)
    land = models.ForeignKey(Land, on_delete=models.PROTECT, related_name="kreise")
    regierungsbezirk = models.CharField(_("Regierungsbezirk"), max_length=100, blank=True)
    geometry = models.JSONField(_("Grenze (GeoJSON)"), null=True, blank=True)

    class Meta:
        ordering = ["ags"]
        verbose_name = _("Kreis")
        verbose_name_plural = _("Kreise")

    def __str__(self) -> str:
        return self.name


# Degree of urbanisation as the Gemeindeverzeichnis words it (German data), shown in the page's language.
URBANISATION_LABELS = {
    "dicht besiedelt": _("dicht besiedelt"),
    "mittlere Besiedlungsdichte": _("mittlere Besiedlungsdichte"),
    "gering besiedelt": _("gering besiedelt"),
}


class Gemeinde(PopulationMixin):
    ags = models.CharField(_("AGS"), max_length=8, primary_key=True)
    ars = models.CharField(_("ARS"), max_length=12, blank=True)
    name = models.CharField(_("Name"), max_length=150)
    typ_code = models.CharField(_("Typ (Schlüssel)"), max_length=2, blank=True)
    typ = models.CharField(_("Typ"), max_length=60, blank=True)
    # Two special areas (condominium, coastal waters) belong to no Kreis.
    kreis = models.ForeignKey(Kreis, on_delete=models.PROTECT, related_name="gemeinden", null=True, blank=True)
    land = models.ForeignKey(Land, on_delete=models.PROTECT, related_name="gemeinden")
    gemeindeverband_ars = models.CharField(_("Gemeindeverband (ARS)"), max_length=9, blank=True)
    gemeindeverband_name = models.CharField(_("Gemeindeverband"), max_length=150, blank=True)
    gemeindeverband_typ = models.CharField(_("Art des Gemeindeverbands"), max_length=60, blank=True)
    plz = models.CharField(_("PLZ der Verwaltung"), max_length=5, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    verstaedterung = models.CharField(_("Verstädterung"), max_length=40, blank=True)
    is_gemeinde = models.BooleanField(_("Gemeinde (nicht gemeindefreies Gebiet)"), default=True)
    geometry = models.JSONField(_("Grenze (GeoJSON)"), null=True, blank=True)

    class Meta:
        ordering = ["ags"]
        verbose_name = _("Gemeinde")
        verbose_name_plural = _("Gemeinden")

    def __str__(self) -> str:
        return self.name

    @property
    def verstaedterung_label(self) -> str:
        """Degree of urbanisation in the active language (the source's German word if unknown)."""
        return str(URBANISATION_LABELS.get(self.verstaedterung, self.verstaedterung))

    @property
    def short_name(self) -> str:
        """Name without the official suffix (", Stadt", ", Hansestadt")."""
        return self.name.split(",")[0]


class PlanungsraumQuerySet(models.QuerySet["Planungsraum"]):
    def visible_to(self, user: object) -> PlanungsraumQuerySet:
        from teilhabe.accounts.access import organisation_ids_with

        return self.filter(owner_id__in=organisation_ids_with(user, "regions.planungsraum.manage"))  # type: ignore[arg-type]


class Planungsraum(models.Model):
    """A small area (Ortsteil, statistischer Bezirk) that a Kommune defines inside one Gemeinde."""

    gemeinde = models.ForeignKey(Gemeinde, on_delete=models.PROTECT, related_name="planungsraeume")
    code = models.CharField(_("Schlüssel"), max_length=20, help_text=_("Kennung wie im Melderegister-Auszug"))
    name = models.CharField(_("Name"), max_length=150)
    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="planungsraeume")
    geometry = models.JSONField(_("Grenze (GeoJSON)"), null=True, blank=True)
    valid_from = models.DateField(_("gültig ab"), null=True, blank=True)
    valid_until = models.DateField(_("gültig bis"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanungsraumQuerySet.as_manager()

    class Meta:
        ordering = ["gemeinde_id", "code"]
        constraints = [models.UniqueConstraint(fields=["gemeinde", "code"], name="unique_planungsraum_code")]
        verbose_name = _("Planungsraum")
        verbose_name_plural = _("Planungsräume")

    def __str__(self) -> str:
        return f"{self.name} ({self.gemeinde.short_name})"


class ReferenceValue(models.Model):
    """An official value for comparison: Zensus 2022 shares per Gemeinde/Kreis, INKAR series per Kreis."""

    class Level(models.TextChoices):
        GEMEINDE = "gemeinde", _("Gemeinde")
        KREIS = "kreis", _("Kreis")
        LAND = "land", _("Land")
        BUND = "bund", _("Deutschland")

    source = models.CharField(_("Quelle"), max_length=30, db_index=True)  # "zensus2022", "inkar"
    indicator = models.CharField(_("Kennzahl"), max_length=60)
    level = models.CharField(max_length=10, choices=Level.choices)
    ags = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField(_("Jahr"))
    value = models.FloatField(_("Wert"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "indicator", "level", "ags", "year"], name="unique_reference_value"
            ),
        ]
        indexes = [models.Index(fields=["level", "ags"], name="refvalue_region_idx")]
        verbose_name = _("Referenzwert")
        verbose_name_plural = _("Referenzwerte")

    def __str__(self) -> str:
        return f"{self.source}:{self.indicator} {self.ags} {self.year} = {self.value}"


class ReferenceIndicator(models.Model):
    """Label, unit and licence credit of a reference indicator (from the source's codebook)."""

    source = models.CharField(max_length=30)
    indicator = models.CharField(max_length=60)
    label = models.CharField(max_length=200)
    unit = models.CharField(max_length=60, blank=True)
    credit = models.CharField(max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "indicator"], name="unique_reference_indicator")]

    def __str__(self) -> str:
        return self.label
