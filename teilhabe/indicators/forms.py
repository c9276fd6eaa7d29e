from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from teilhabe.accounts.access import organisations_with
from teilhabe.accounts.models import Organisation
from teilhabe.indicators.catalogue import THEMES, load_catalogue
from teilhabe.indicators.models import AgencyValue, Indicator
from teilhabe.lib.collation import german_sorted
from teilhabe.regions.models import Gemeinde, Kreis

CODE_PATTERN = r"^[A-Z]{2,5}-[0-9A-Z]{1,4}$"


def agency_key_choices() -> list[tuple[str, str]]:
    keys = load_catalogue().source_keys.values()
    return [(k.key, f"{k.key} – {k.label}") for k in keys if "agency" in k.providers]


def all_key_choices() -> list[tuple[str, str]]:
    return [(k.key, f"{k.key} – {k.label}") for k in load_catalogue().source_keys.values() if k.kind == "count"]


def region_choices() -> list[tuple[str, str]]:
    kreis = Kreis.objects.filter(ags=settings.TEILHABE_KREIS).first()
    choices = [(kreis.ags, f"{kreis.name} (Kreis)")] if kreis else []
    gemeinden = Gemeinde.objects.filter(kreis_id=settings.TEILHABE_KREIS, is_gemeinde=True).defer("geometry")
    choices += [(g.ags, g.name) for g in german_sorted(gemeinden, key=lambda g: g.name)]
    return choices


class OrganisationChoiceMixin(forms.Form):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Liefernde Organisation")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = organisations_with(user, "indicators.manage").order_by("name")
        self.fields["organisation"].queryset = queryset  # type: ignore[attr-defined]
        if queryset.count() == 1:
            self.fields["organisation"].initial = queryset.first()


class AgencyValueForm(OrganisationChoiceMixin):
    source_key = forms.ChoiceField(label=_("Quellschlüssel"), choices=[])
    ags = forms.ChoiceField(label=_("Gebiet"), choices=[])
    year = forms.IntegerField(label=_("Jahr"), min_value=1990, max_value=2100)
    value = forms.FloatField(label=_("Wert"), min_value=0)
    source_document = forms.CharField(
        label=_("Quelldokument"),
        max_length=300,
        help_text=_("z. B. „BA, Beschäftigte nach Staatsangehörigkeit, Stichtag 30.06.2024“"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source_key"].choices = agency_key_choices()  # type: ignore[attr-defined]
        self.fields["ags"].choices = region_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key, ags = data.get("source_key"), data.get("ags", "")
        level = "gemeinde" if len(ags) == 8 else "kreis"
        data["level"] = level
        existing = AgencyValue.objects.filter(source_key=key, level=level, ags=ags, year=data.get("year") or 0).first()
        organisation = data.get("organisation")
        if existing is not None and organisation is not None and existing.owner_id != organisation.pk:
            self.add_error(
                "organisation",
                _("Dieser Wert wird von „%(org)s“ gepflegt und kann nur dort geändert werden.")
                % {"org": existing.owner.name},
            )
        if key and level not in load_catalogue().source_keys[key].levels:
            self.add_error(
                "ags", _("Dieser Quellschlüssel wird nicht auf Ebene %(level)s geliefert.") % {"level": level}
            )
        return data


class ImportForm(OrganisationChoiceMixin):
    file = forms.FileField(
        label=_("Datei (CSV oder XLSX)"),
        help_text=_(
            "Spalten: quellschluessel, ebene, ags, jahr, wert, quelldokument. "
            "Trennzeichen ; oder , – Kodierung UTF-8 oder Windows-1252."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("Die Datei ist größer als 10 MB."))
        return upload


class CustomIndicatorForm(OrganisationChoiceMixin):
    code = forms.RegexField(
        label=_("Kennung"),
        regex=CODE_PATTERN,
        max_length=20,
        help_text=_("z. B. KR-01 (Großbuchstaben, Bindestrich, Nummer)"),
    )
    name_de = forms.CharField(label=_("Name (deutsch)"), max_length=200)
    name_en = forms.CharField(label=_("Name (englisch)"), max_length=200, required=False)
    theme = forms.ChoiceField(label=_("Handlungsfeld"), choices=list(THEMES.items()))
    numerator = forms.MultipleChoiceField(label=_("Zähler (Summe der gewählten Quellschlüssel)"), choices=[])
    denominator = forms.MultipleChoiceField(
        label=_("Nenner (leer lassen für eine reine Anzahl)"), choices=[], required=False
    )
    multiplier = forms.TypedChoiceField(
        label=_("Faktor"),
        coerce=float,
        choices=[("100", _("je 100 (Prozent)")), ("1000", _("je 1 000")), ("1", _("ohne Faktor"))],
    )
    unit = forms.CharField(label=_("Einheit"), max_length=60, initial="%")
    definition = forms.CharField(label=_("Definition"), widget=forms.Textarea(attrs={"rows": 3}))
    caveats = forms.CharField(label=_("Hinweise"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    disclosure_method = forms.ChoiceField(
        label=_("Geheimhaltung"),
        choices=[("suppress", _("Sperrung kleiner Fallzahlen")), ("round", _("Rundung auf Vielfache von 5"))],
    )
    min_count = forms.IntegerField(
        label=_("Mindestfallzahl"),
        min_value=2,
        max_value=50,
        required=False,
        help_text=_("leer: Standard der Installation"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["numerator"].choices = all_key_choices()  # type: ignore[attr-defined]
        self.fields["denominator"].choices = all_key_choices()  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if Indicator.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Diese Kennung ist schon vergeben."))
        return code
