from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from teilhabe.accounts.models import Organisation
from teilhabe.surveys.models import Survey


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["owner", "title", "slug", "year", "access", "k_threshold"]

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        # Deny by default: without the caller's organisations the form offers none.
        owner.queryset = organisations if organisations is not None else Organisation.objects.none()
        owner.label = _("Organisation")
        self.fields["k_threshold"].help_text = _("Mindestens 10: kleinere Zellen werden nie veröffentlicht.")

    def clean_k_threshold(self) -> int:
        value = int(self.cleaned_data["k_threshold"])
        if value < 10:
            raise forms.ValidationError(_("Die Mindestfallzahl beträgt mindestens 10."))
        return value


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm (.xlsx)"),
        help_text=_("Je Sprache eine Spalte „label::Sprache (code)“, z. B. „label::العربية (ar)“."),
    )


class CodesForm(forms.Form):
    count = forms.IntegerField(label=_("Anzahl Codes"), min_value=1, max_value=5000, initial=100)
    language = forms.ChoiceField(label=_("Sprache der Briefe"))

    def __init__(self, *args: Any, languages: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(lang["code"], f"{lang['name']} ({lang['code']})") for lang in languages]


class ExportForm(forms.Form):
    language = forms.ChoiceField(label=_("Sprache der Beschriftungen"))
    labels = forms.ChoiceField(
        label=_("Antworten als"), choices=[("labels", _("Beschriftungen")), ("codes", _("Codes"))], initial="labels"
    )
    format = forms.ChoiceField(label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")], initial="xlsx")

    def __init__(self, *args: Any, languages: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(lang["key"], f"{lang['name']} ({lang['code']})") for lang in languages]


class CrossTabForm(forms.Form):
    row = forms.ChoiceField(label=_("Zeilen"))
    column = forms.ChoiceField(label=_("Spalten"))
    weighted = forms.BooleanField(label=_("Gewichtet"), required=False)

    def __init__(self, *args: Any, questions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("row", "column"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = questions


LANGUAGE_NAMES = dict(settings.LANGUAGES)
