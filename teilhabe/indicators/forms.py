from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from teilhabe.accounts.access import organisations_with
from teilhabe.accounts.models import Organisation
from teilhabe.core.file_formats import link_format
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
    value = forms.CharField(
        label=_("Wert"),
        max_length=40,
        help_text=_("Anzahlen als ganze Zahl (1234 oder 1.234), andere Werte mit Dezimalkomma (12,5)."),
    )
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
        raw_value = data.get("value")
        if raw_value is not None and key:
            from teilhabe.lib.tabular import NumberError, parse_number

            source = load_catalogue().source_keys.get(key)
            try:
                number = parse_number(raw_value, integer=source is None or source.kind == "count")
                if number < 0:
                    raise NumberError(_("Der Wert darf nicht negativ sein."))
                data["value"] = float(number)
            except NumberError as error:
                self.add_error("value", str(error))
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
            "Trennzeichen ; , oder Tabulator – Kodierung UTF-8, Windows-1252 oder UTF-16 (Excel „Unicode-Text“); auch XLSX/ODS."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        link_format(self, "file", "behoerdenwerte")

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
        choices=[("100", _("je 100 (Prozent, %)")), ("1000", _("je 1.000")), ("1", _("ohne Faktor"))],
        help_text=_("Die Einheit ergibt sich daraus: %, je 1.000, bei einer reinen Anzahl „Anzahl“."),
    )
    definition = forms.CharField(label=_("Definition"), widget=forms.Textarea(attrs={"rows": 3}))
    caveats = forms.CharField(label=_("Hinweise"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    disclosure_method = forms.ChoiceField(
        label=_("Geheimhaltung"),
        choices=[("suppress", _("Sperrung kleiner Fallzahlen")), ("round", _("Rundung auf Vielfache von 5"))],
    )
    min_count = forms.IntegerField(
        label=_("Mindestfallzahl"),
        max_value=50,
        required=False,
        help_text=_("leer: Standard der Installation; kleinere Werte als der Standard sind nicht möglich."),
    )

    def __init__(self, *args: Any, instance: Indicator | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            category = instance.categories[0] if instance.categories else {}
            kwargs["initial"] = {
                "code": instance.code,
                "organisation": instance.owner_id,
                "name_de": instance.name_de,
                "name_en": instance.name_en,
                "theme": instance.theme,
                "numerator": category.get("numerator", []),
                "denominator": category.get("denominator", []),
                "multiplier": f"{instance.multiplier:g}",
                "definition": instance.definition,
                "caveats": instance.caveats,
                "disclosure_method": instance.disclosure_method,
                "min_count": instance.min_count,
            }
        super().__init__(*args, **kwargs)
        self.fields["numerator"].choices = all_key_choices()  # type: ignore[attr-defined]
        self.fields["denominator"].choices = all_key_choices()  # type: ignore[attr-defined]
        floor = settings.DISCLOSURE_MIN_COUNT
        self.fields["min_count"].min_value = floor  # type: ignore[attr-defined]
        self.fields["min_count"].validators.append(MinValueValidator(floor))
        if instance is not None:
            # The code and the owner identify the indicator and stay as they are.
            for name in ("code", "organisation"):
                self.fields[name].disabled = True

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if self.instance is not None:
            return self.instance.code
        if Indicator.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Diese Kennung ist schon vergeben."))
        return code
