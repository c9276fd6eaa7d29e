"""Staff forms of the report editor (German labels, errors with codes)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from teilhabe.accounts.models import Organisation
from teilhabe.indicators.models import Indicator
from teilhabe.lib.collation import german_sorted
from teilhabe.regions.models import Gemeinde
from teilhabe.reports.models import ReportEdition

MARKUP_HELP = _(
    "Erlaubt: „## Überschrift“, „- Aufzählung“, „1. Nummerierung“, „**fett**“, „[Linktext](https://…)“. "
    "HTML wird als Text angezeigt."
)


class DefinitionForm(forms.Form):
    title = forms.CharField(label=_("Titel der Berichtsreihe"), max_length=200)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Herausgebende Organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisations  # type: ignore[attr-defined]


def _parse_years(text: str) -> list[int]:
    years = []
    for part in str(text).replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1990 <= int(part) <= 2100:
            raise forms.ValidationError(
                _("„%(part)s“ ist kein Jahr (z. B. 2022, 2023, 2024)."), code="year_invalid", params={"part": part}
            )
        years.append(int(part))
    return sorted(set(years))


class EditionForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    subtitle = forms.CharField(label=_("Untertitel"), max_length=200, required=False)
    slug = forms.SlugField(
        label=_("Kurzname für die Adresse"),
        max_length=80,
        help_text=_("z. B. bericht-2025; nur Kleinbuchstaben, Ziffern, Bindestriche."),
    )
    stichtag = forms.DateField(label=_("Stichtag"), widget=forms.DateInput(attrs={"type": "date"}))
    years = forms.CharField(
        label=_("Berichtsjahre"), required=False, help_text=_("Kommagetrennt; leer: alle Jahre mit Daten.")
    )
    previous = forms.ModelChoiceField(
        label=_("Vorausgabe (für Veränderungen)"), queryset=ReportEdition.objects.none(), required=False
    )
    foreword = forms.CharField(
        label=_("Vorwort"), widget=forms.Textarea(attrs={"rows": 6}), required=False, help_text=MARKUP_HELP
    )
    summary = forms.CharField(
        label=_("Zusammenfassung"), widget=forms.Textarea(attrs={"rows": 6}), required=False, help_text=MARKUP_HELP
    )
    indicator_codes = forms.MultipleChoiceField(
        label=_("Indikatoren (keine Auswahl: alle veröffentlichten)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    gemeinde_ags = forms.MultipleChoiceField(
        label=_("Gemeinden (keine Auswahl: alle)"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, definition: Any, edition: ReportEdition | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.edition = edition
        editions = definition.editions.all() if definition else ReportEdition.objects.none()
        if edition is not None:
            editions = editions.exclude(pk=edition.pk)
            self.fields["slug"].disabled = True
        self.fields["previous"].queryset = editions  # type: ignore[attr-defined]
        self.fields["indicator_codes"].choices = [  # type: ignore[attr-defined]
            (i.code, f"{i.code} {i.name_de}") for i in Indicator.objects.published().order_by("theme", "code")
        ]
        kreis_ags = definition.kreis_ags if definition else settings.TEILHABE_KREIS
        gemeinden = Gemeinde.objects.filter(kreis_id=kreis_ags, is_gemeinde=True).defer("geometry")
        self.fields["gemeinde_ags"].choices = [  # type: ignore[attr-defined]
            (g.ags, g.name) for g in german_sorted(gemeinden, key=lambda g: g.name)
        ]

    def clean_years(self) -> list[int]:
        return _parse_years(self.cleaned_data.get("years", ""))

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if self.edition is None and ReportEdition.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Dieser Kurzname ist schon vergeben."), code="slug_taken")
        return str(slug)


class ChapterForm(forms.Form):
    title = forms.CharField(label=_("Kapitelüberschrift"), max_length=200)
    text = forms.CharField(
        label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 14}), required=False, help_text=MARKUP_HELP
    )


class BuildForm(forms.Form):
    refresh_data = forms.BooleanField(
        label=_("Aktuelle Daten übernehmen (neuer Datenstand statt der gespeicherten Momentaufnahme)"), required=False
    )


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ich habe den Bericht geprüft. Die Ausgabe wird öffentlich und danach nicht mehr geändert."),
        error_messages={"required": _("Bitte bestätigen Sie die Veröffentlichung.")},
    )
