"""Staff forms. Model forms validate only; views hand ``cleaned_data`` to the audited services.

Edit forms get ``initial`` (never ``instance``), so validation does not touch the stored object and the
service sees exactly which fields changed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from teilhabe.accounts.models import Organisation
from teilhabe.concept import models as m
from teilhabe.indicators.catalogue import THEMES
from teilhabe.indicators.models import Indicator
from teilhabe.regions.models import Gemeinde, Planungsraum

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def initial_for(obj: Any, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    return model_to_dict(obj, fields=list(fields))


class ConceptForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200, initial=_("Integrationskonzept"))
    owner = forms.ModelChoiceField(label=_("Geschäftsstelle"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisations  # type: ignore[attr-defined]


class VersionForm(forms.ModelForm):
    class Meta:
        model = m.ConceptVersion
        fields = ["title", "preamble", "valid_from", "valid_until", "is_public", "comments_open"]
        widgets = {"valid_from": DATE, "valid_until": DATE}


class AdoptForm(forms.Form):
    body = forms.CharField(label=_("Beschlussgremium"), max_length=200, initial=_("Kreistag"))
    decision_date = forms.DateField(label=_("Beschlussdatum"), widget=DATE)
    drucksache = forms.CharField(label=_("Drucksache Nr."), max_length=60)


class FieldForm(forms.ModelForm):
    theme = forms.ChoiceField(label=_("Monitoring-Themenfeld"), required=False, choices=[("", "–"), *THEMES.items()])

    class Meta:
        model = m.FieldOfAction
        fields = ["title", "description", "theme"]


class GoalForm(forms.ModelForm):
    class Meta:
        model = m.Goal
        fields = ["title", "description"]


class TargetForm(forms.ModelForm):
    class Meta:
        model = m.GoalIndicator
        fields = ["indicator", "baseline_value", "baseline_year", "target_value", "target_date", "direction"]
        widgets = {"target_date": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(is_custom=False).order_by("code")  # type: ignore[attr-defined]

    def validate_unique(self) -> None:  # the goal is set by the service
        return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, target_date = data.get("baseline_year"), data.get("target_date")
        if year and target_date and target_date.year <= year:
            self.add_error("target_date", _("Das Zieldatum muss nach dem Ausgangsjahr liegen."))
        return data


class MeasureForm(forms.ModelForm):
    class Meta:
        model = m.Measure
        fields = [
            "title",
            "description",
            "owner",
            "responsible",
            "partners",
            "partners_other",
            "gemeinden",
            "planungsraeume",
            "budget",
            "funding_source",
            "status",
            "start_date",
            "end_date",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args: Any, owners: Any, contacts: Any, frozen: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["responsible"].queryset = contacts  # type: ignore[attr-defined]
        self.fields["partners"].queryset = Organisation.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["gemeinden"].queryset = Gemeinde.objects.filter(kreis_id=settings.TEILHABE_KREIS)  # type: ignore[attr-defined]
        self.fields["planungsraeume"].queryset = Planungsraum.objects.filter(  # type: ignore[attr-defined]
            gemeinde__kreis_id=settings.TEILHABE_KREIS
        ).select_related("gemeinde")
        if frozen:  # adopted version: only the implementation status remains editable
            for name, fld in self.fields.items():
                if name != "status":
                    fld.disabled = True


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = m.Milestone
        fields = ["title", "due_date"]
        widgets = {"due_date": DATE}


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    document = forms.FileField(label=_("Dokument (höchstens 10 MB)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("url") and not data.get("document"):
            raise forms.ValidationError(
                _("Bitte einen Link angeben oder ein Dokument hochladen."), code="evidence_empty"
            )
        return data


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Ihr Kommentar"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    body = forms.ModelChoiceField(label=_("als Mitglied von"), queryset=m.Body.objects.none())

    def __init__(self, *args: Any, bodies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Antwort"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class StatusReportForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    period_start = forms.DateField(label=_("Berichtszeitraum von"), widget=DATE)
    period_end = forms.DateField(label=_("Berichtszeitraum bis"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("Das Ende liegt vor dem Beginn."))
        return data


# --- network ----------------------------------------------------------------------------------------


class ContactForm(forms.ModelForm):
    class Meta:
        model = m.Contact
        fields = ["name", "organisation", "organisation_other", "function", "email", "phone", "user"]

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]


class BodyForm(forms.ModelForm):
    class Meta:
        model = m.Body
        fields = ["kind", "name", "description", "parent", "gemeinde", "planungsraum", "responsible"]

    def __init__(self, *args: Any, bodies: Any, contacts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = bodies  # type: ignore[attr-defined]
        self.fields["responsible"].queryset = contacts  # type: ignore[attr-defined]
        self.fields["gemeinde"].queryset = Gemeinde.objects.filter(kreis_id=settings.TEILHABE_KREIS)  # type: ignore[attr-defined]
        self.fields["planungsraum"].queryset = Planungsraum.objects.filter(  # type: ignore[attr-defined]
            gemeinde__kreis_id=settings.TEILHABE_KREIS
        )


class MemberForm(forms.ModelForm):
    class Meta:
        model = m.BodyMember
        fields = ["contact", "function", "deputy", "since"]
        widgets = {"since": DATE}

    def __init__(self, *args: Any, contacts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts  # type: ignore[attr-defined]
        self.fields["deputy"].queryset = contacts  # type: ignore[attr-defined]


class MeetingForm(forms.ModelForm):
    class Meta:
        model = m.Meeting
        fields = ["title", "starts_at", "ends_at", "location", "agenda"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("Das Ende muss nach dem Beginn liegen."))
        return data


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Protokoll"), widget=forms.Textarea(attrs={"rows": 10}))


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art"), choices=m.DecisionKind.choices)
    text = forms.CharField(label=_("Wortlaut"), widget=forms.Textarea(attrs={"rows": 3}))
    action_title = forms.CharField(label=_("daraus folgende Aufgabe"), max_length=300, required=False)
    action_owner = forms.ModelChoiceField(label=_("wer"), queryset=m.Contact.objects.none(), required=False)
    action_due = forms.DateField(label=_("bis wann"), widget=DATE, required=False)

    def __init__(self, *args: Any, contacts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action_owner"].queryset = contacts  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action_title") and not (data.get("action_owner") and data.get("action_due")):
            raise forms.ValidationError(
                _("Eine Aufgabe braucht eine verantwortliche Person und ein Datum."), code="action_incomplete"
            )
        return data


class ResponsibilityForm(forms.ModelForm):
    class Meta:
        model = m.Responsibility
        fields = ["owner", "parent", "role_title", "tasks", "contact", "gemeinde", "is_public"]

    def __init__(self, *args: Any, owners: Any, parents: Any, contacts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["contact"].queryset = contacts  # type: ignore[attr-defined]
        self.fields["gemeinde"].queryset = Gemeinde.objects.filter(kreis_id=settings.TEILHABE_KREIS)  # type: ignore[attr-defined]
