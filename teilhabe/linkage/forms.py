from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from teilhabe.registry.legal import RECORDING_BASES, choices_for


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=[("same", _("dieselbe Person")), ("different", _("verschiedene Personen"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Begründung"), max_length=300)


class MergeForm(forms.Form):
    survivor = forms.TypedChoiceField(label=_("Führende Akte (bleibt bestehen)"), coerce=int)
    reason = forms.CharField(label=_("Begründung der Zusammenführung"), max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Begründung"), max_length=300)


class LinkTransmissionForm(forms.Form):
    case = forms.TypedChoiceField(label=_("Eigene Akte"), coerce=int)
    reason = forms.CharField(label=_("Begründung der Zuordnung"), max_length=300)


class OpenAsCaseForm(forms.Form):
    legal_basis = forms.ChoiceField(label=_("Rechtsgrundlage der eigenen Akte"), choices=choices_for(RECORDING_BASES))
    reference = forms.CharField(label=_("Eigenes Aktenzeichen"), max_length=40, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fallliste (CSV oder XLSX)"))
    legal_basis = forms.ChoiceField(label=_("Rechtsgrundlage"), choices=choices_for(RECORDING_BASES))
    commit = forms.BooleanField(label=_("Jetzt übernehmen (sonst nur Probelauf)"), required=False)
