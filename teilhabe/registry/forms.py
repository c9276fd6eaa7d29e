"""Forms for case records. Field-group forms are built from FIELD_GROUPS, so the catalogue stays data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from teilhabe.accounts.models import Organisation
from teilhabe.regions.models import Gemeinde
from teilhabe.registry.fieldgroups import FIELD_GROUPS, FieldGroup
from teilhabe.registry.legal import RECORDING_BASES, TRANSMISSION_BASES, choices_for
from teilhabe.registry.models import Case, Consent, EventKind, GoalStatus, PlanArea, PlanGoal
from teilhabe.registry.nationalities import nationality_choices


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name (Originalschrift oder Umschrift)"), required=False, max_length=100)
    birth_year = forms.IntegerField(label=_("Geburtsjahr"), required=False, min_value=1900, max_value=2100)


class CaseForm(forms.ModelForm):
    nationalities = forms.MultipleChoiceField(
        label=_("Staatsangehörigkeiten"), required=False, choices=nationality_choices
    )
    legal_basis = forms.ChoiceField(label=_("Rechtsgrundlage"), choices=choices_for(RECORDING_BASES))
    azr_number = forms.RegexField(
        label=_("AZR-Nummer"),
        required=False,
        regex=r"^\d{12}$",
        error_messages={"invalid": _("12 Ziffern (registry.azr_format).")},
    )

    class Meta:
        model = Case
        fields = [
            "reference",
            "family_name",
            "given_names",
            "family_name_latin",
            "given_names_latin",
            "birth_year",
            "birth_month",
            "birth_day",
            "birth_date_is_placeholder",
            "sex",
            "nationalities",
            "azr_number",
            "arrival_date",
            "allocation_date",
            "gemeinde",
            "legal_basis",
        ]
        widgets = {
            "arrival_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "allocation_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, with_azr: bool = True, owner_kind: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["legal_basis"].choices = recording_choices(owner_kind)  # type: ignore[attr-defined]
        self.fields["gemeinde"].queryset = Gemeinde.objects.filter(  # type: ignore[attr-defined]
            kreis_id=settings.TEILHABE_KREIS
        ).order_by("name")
        if not with_azr:
            del self.fields["azr_number"]
        elif self.instance.pk:
            self.initial["azr_number"] = self.instance.azr_number


def recording_choices(owner_kind: str | None) -> list[tuple[str, str]]:
    """Recording bases the owning organisation's kind may use (privacy/registry.yaml ``recording_bases``)."""
    from teilhabe.privacy.sharing import recording_bases

    choices = choices_for(RECORDING_BASES)
    if owner_kind is None:
        return choices
    allowed = set(recording_bases(owner_kind))
    return [(value, label) for value, label in choices if value in allowed]


def fieldgroup_form_class(group: FieldGroup, owner_kind: str | None = None) -> type[forms.Form]:
    fields: dict[str, forms.Field] = {}
    for spec in group.fields:
        if spec.kind == "date":
            fields[spec.name] = forms.DateField(
                label=str(spec.label), required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
        elif spec.kind == "choice":
            fields[spec.name] = forms.ChoiceField(label=str(spec.label), required=False, choices=list(spec.choices))
        elif spec.kind == "textarea":
            fields[spec.name] = forms.CharField(
                label=str(spec.label),
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        else:
            fields[spec.name] = forms.CharField(label=str(spec.label), required=False, max_length=200)
    fields["legal_basis"] = forms.ChoiceField(label=_("Rechtsgrundlage"), choices=recording_choices(owner_kind))
    return type(f"{group.name.title()}Form", (forms.Form,), fields)


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Ereignis"))
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    detail = forms.CharField(label=_("Angabe"), required=False, max_length=200)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]


class GoalForm(forms.ModelForm):
    description = forms.CharField(label=_("Ziel"), max_length=300)

    class Meta:
        model = PlanGoal
        fields = ["area", "description", "status", "review_on"]
        widgets = {"review_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, areas: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.value, a.label) for a in PlanArea if a.value in areas]  # type: ignore[attr-defined]
        self.fields["status"].choices = GoalStatus.choices  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["description"] = self.instance.text


class TransmissionForm(forms.Form):
    """Offers only what the sharing matrix (privacy/registry.yaml) allows for the sending organisation:
    recipients of kinds with at least one route, the legal bases of those routes, the readable groups that
    can go anywhere. The chosen combination is checked again here and, as the real guard, in the service."""

    recipient = forms.ModelChoiceField(label=_("Empfänger"), queryset=Organisation.objects.none())
    groups = forms.MultipleChoiceField(label=_("Zu übermittelnde Feldgruppen"), widget=forms.CheckboxSelectMultiple)
    legal_basis = forms.ChoiceField(label=_("Rechtsgrundlage"), required=False)
    consent = forms.ModelChoiceField(
        label=_("Einwilligung (nur bei Rechtsgrundlage Einwilligung)"),
        queryset=Consent.objects.none(),
        required=False,
    )
    purpose = forms.CharField(label=_("Zweck"), max_length=300)

    def __init__(self, *args: Any, case: Case, groups: list[str], **kwargs: Any) -> None:
        from teilhabe.privacy import sharing

        super().__init__(*args, **kwargs)
        self.sender_kind = case.owner.kind
        self.routes = sharing.routes(self.sender_kind, groups)
        kinds = {kind for kind, _basis, _groups in self.routes}
        bases = {basis for _kind, basis, _groups in self.routes}
        offered = {g for _kind, _basis, allowed in self.routes for g in allowed}
        self.fields["recipient"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            is_active=True, kind__in=kinds
        ).exclude(pk=case.owner_id)
        self.fields["legal_basis"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *[(value, label) for value, label in choices_for(TRANSMISSION_BASES) if value in bases],
        ]
        self.fields["groups"].choices = [(g, FIELD_GROUPS[g].label) for g in groups if g in offered]  # type: ignore[attr-defined]
        self.fields["consent"].queryset = case.consents.filter(withdrawn_at__isnull=True)  # type: ignore[attr-defined]
        self.fields["consent"].label_from_instance = lambda c: f"{c} – {c.given_at:%d.%m.%Y}"  # type: ignore[attr-defined]

    def route_rows(self) -> list[dict[str, Any]]:
        """The allowed routes for display: recipient kind, legal basis, groups."""
        from teilhabe.accounts.models import OrganisationKind
        from teilhabe.registry.legal import LegalBasis

        return [
            {
                "kind": OrganisationKind(kind).label,
                "basis": LegalBasis(basis).label,
                "groups": [FIELD_GROUPS[g].label for g in allowed],
            }
            for kind, basis, allowed in self.routes
        ]

    def clean(self) -> dict[str, Any]:
        from teilhabe.privacy import sharing

        data = super().clean() or {}
        recipient, basis, groups = data.get("recipient"), data.get("legal_basis"), data.get("groups") or []
        if recipient is not None and basis:
            refused = sharing.refused_groups(self.sender_kind, recipient.kind, groups, basis)
            if refused:
                self.add_error(
                    "groups",
                    _("Nach der Übermittlungsmatrix nicht zulässig: %(groups)s (registry.sharing_refused).")
                    % {"groups": ", ".join(str(FIELD_GROUPS[g].label) for g in refused)},
                )
        return data


class ConsentForm(forms.Form):
    purpose = forms.CharField(label=_("Zweck"), max_length=300)
    data_items = forms.MultipleChoiceField(label=_("Datenkategorien"), widget=forms.CheckboxSelectMultiple)
    recipients = forms.ModelMultipleChoiceField(label=_("Empfänger"), queryset=Organisation.objects.none())
    language = forms.ChoiceField(
        label=_("Sprache des gezeigten Textes"),
        choices=[
            ("de", "Deutsch"),
            ("en", "English"),
            ("ar", "العربية"),
            ("fa", "فارسی"),
            ("uk", "Українська"),
            ("ru", "Русский"),
            ("tr", "Türkçe"),
        ],
    )
    text_version = forms.CharField(
        label=_("Fassung des Einwilligungstextes"), max_length=60, initial="KiIM-Einwilligung 2026-01"
    )

    def __init__(self, *args: Any, case: Case, groups: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["data_items"].choices = [(g, FIELD_GROUPS[g].label) for g in groups]  # type: ignore[attr-defined]
        self.fields["recipients"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).exclude(pk=case.owner_id)


def event_kind_choices(groups: list[str]) -> list[tuple[str, str]]:
    from teilhabe.registry.models import EVENT_GROUP

    return [(k.value, str(k.label)) for k in EventKind if EVENT_GROUP[k] in groups]
