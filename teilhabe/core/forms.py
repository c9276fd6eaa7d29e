from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from teilhabe.core.models import AccessibilityFeedback, LegalPage, LegalPageTranslation


class AccessibilityFeedbackForm(forms.ModelForm):
    # Honeypot: hidden from people (CSS and aria-hidden), bots fill it in.
    website = forms.CharField(
        required=False,
        label=_("Bitte leer lassen"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = AccessibilityFeedback
        fields = ["page_url", "message", "name", "email"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}

    def clean_website(self) -> str:
        value = self.cleaned_data.get("website", "")
        if value:
            raise forms.ValidationError(_("Dieses Feld muss leer bleiben."))
        return value


class LegalPageForm(forms.ModelForm):
    class Meta:
        model = LegalPage
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24})}
        labels = {"body": _("Text")}
        help_texts = {
            "body": _(
                "Absätze durch eine Leerzeile trennen; eine Zeile mit „## “ am Anfang wird zur Überschrift; "
                "technische Namen (z. B. Cookies) in `Backticks` setzen. Die Vorschau unter dem Formular zeigt "
                "den gespeicherten Stand."
            )
        }


class LegalPageTranslationForm(forms.ModelForm):
    class Meta:
        model = LegalPageTranslation
        fields = ["title", "body", "status"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24})}
        labels = LegalPageForm.Meta.labels
        help_texts = LegalPageForm.Meta.help_texts
