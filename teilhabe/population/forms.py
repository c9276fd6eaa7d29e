from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from teilhabe.accounts.access import organisations_with
from teilhabe.accounts.models import Organisation
from teilhabe.core.file_formats import link_format
from teilhabe.population.models import IMPORT_PERMISSION

MAX_UPLOAD_BYTES = 512 * 1024 * 1024


class UploadForm(forms.Form):
    datei = forms.FileField(
        label=_("Auszug (CSV oder XLSX)"),
        help_text=_(
            "UTF-8 oder Windows-1252, Trennzeichen Semikolon oder Komma; Spalten wie in der Formatbeschreibung:"
        ),
    )
    stichtag = forms.DateField(
        label=_("Stichtag"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Ein erneuter Import zum selben Stichtag ersetzt den vorherigen."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        link_format(self, "datei", "melderegister")

    def clean_datei(self) -> Any:
        upload = self.cleaned_data["datei"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Die Datei ist größer als 512 MB."))
        if not upload.name.lower().endswith((".csv", ".txt", ".tsv", ".xlsx", ".ods")):
            raise forms.ValidationError(_("Bitte eine CSV- oder XLSX-Datei hochladen."))
        return upload

    @staticmethod
    def owner_for(user: Any) -> Organisation | None:
        """The organisation the import belongs to: the first one in which the user may import."""
        return organisations_with(user, IMPORT_PERMISSION).order_by("pk").first()
