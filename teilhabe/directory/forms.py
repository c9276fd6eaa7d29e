from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from teilhabe.accounts.models import Organisation
from teilhabe.core.file_formats import link_format
from teilhabe.directory.fragments import RememberedSelect
from teilhabe.directory.models import (
    OFFER_TEXT_FIELDS,
    SPOKEN_LANGUAGES,
    DialogueEntry,
    Event,
    Location,
    Offer,
    OfferType,
    OrganisationProfile,
    SynonymGroup,
    TargetGroup,
    tokens_split,
)
from teilhabe.lib.collation import german_sorted
from teilhabe.lib.tabular import clean_text
from teilhabe.regions.models import Gemeinde


def kreis_gemeinden() -> Any:
    # Without the boundary geometry: it is large and only the map needs it (cached there).
    return (
        Gemeinde.objects.filter(kreis_id=settings.TEILHABE_KREIS, is_gemeinde=True).order_by("name").defer("geometry")
    )


class _GermanOrder(forms.models.ModelChoiceIterator):
    """Choices in German order (teilhabe.lib.collation), the same on SQLite and PostgreSQL."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in german_sorted(self.queryset, key=lambda g: g.name):
            yield self.choice(obj)


class GemeindeChoiceField(forms.ModelChoiceField):
    iterator = _GermanOrder

    def label_from_instance(self, obj: Gemeinde) -> str:
        return obj.name


RADIUS_CHOICES = [("5", "5 km"), ("10", "10 km"), ("20", "20 km"), ("50", "50 km")]


class CleanTextMixin:
    """Removes control and invisible formatting characters (incl. bidi overrides such as U+202E) from every
    text value at input, so stored texts are valid in XML (XLIFF), iCal and HTML (``tabular.clean_text``)."""

    cleaned_data: dict[str, Any]

    def _clean_fields(self) -> None:
        super()._clean_fields()  # type: ignore[misc]
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, str):
                self.cleaned_data[name] = clean_text(value)


class SearchForm(forms.Form):
    """All filters are GET parameters, so every result list has a shareable address."""

    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=100)
    gemeinde = forms.ChoiceField(label=_("Gemeinde"), required=False, widget=RememberedSelect)
    typ = forms.ChoiceField(
        label=_("Art des Angebots"),
        required=False,
        widget=RememberedSelect,
        choices=[("", _("alle Arten")), *OfferType.choices],
    )
    sprache = forms.ChoiceField(
        label=_("Gesprochene Sprache"),
        required=False,
        widget=RememberedSelect,
        choices=[("", _("alle Sprachen")), *SPOKEN_LANGUAGES],
    )
    zielgruppe = forms.ChoiceField(
        label=_("Zielgruppe"),
        required=False,
        widget=RememberedSelect,
        choices=[("", _("alle Zielgruppen")), *TargetGroup.choices],
    )
    kostenlos = forms.BooleanField(label=_("nur kostenlose Angebote"), required=False)
    barrierefrei = forms.BooleanField(label=_("nur stufenlos erreichbare Orte"), required=False)
    nahe = forms.ChoiceField(label=_("In der Nähe von (Gemeinde)"), required=False, widget=RememberedSelect)
    lat = forms.FloatField(label=_("Mein Standort: Breitengrad"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Mein Standort: Längengrad"), required=False, min_value=-180, max_value=180)
    umkreis = forms.ChoiceField(
        label=_("Umkreis"), required=False, choices=RADIUS_CHOICES, initial="10", widget=RememberedSelect
    )

    def __init__(
        self,
        *args: Any,
        gemeinden: list[Gemeinde] | None = None,
        choices: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        """``choices``: the Gemeinden as (AGS, name) in German order (the search keeps them in memory);
        else ``gemeinden`` or the Kreis' Gemeinden from the database."""
        super().__init__(*args, **kwargs)
        if choices is None:
            gemeinden = gemeinden if gemeinden is not None else list(kreis_gemeinden())
            choices = [(g.ags, g.name) for g in german_sorted(gemeinden, key=lambda g: g.name)]
        self.gemeinde_choices = choices
        self.fields["gemeinde"].choices = [("", _("alle Gemeinden")), *choices]  # type: ignore[attr-defined]
        self.fields["nahe"].choices = [("", _("—")), *choices]  # type: ignore[attr-defined]
        # The browser fills the location ("Meinen Standort verwenden"); no raw coordinate boxes.
        self.fields["lat"].widget = forms.HiddenInput()
        self.fields["lon"].widget = forms.HiddenInput()

    MAIN_FIELDS = ("q", "gemeinde", "typ")

    def main_fields(self) -> list[forms.BoundField]:
        """The short form shown first: search term, Gemeinde, kind of offer."""
        return [self[name] for name in self.MAIN_FIELDS]

    def more_fields(self) -> list[forms.BoundField]:
        """The rest, folded away in ``<details>`` (open when one of them is set)."""
        return [f for f in self.visible_fields() if f.name not in self.MAIN_FIELDS]

    def more_is_set(self) -> bool:
        data = self.data if self.is_bound else {}
        return any(data.get(f.name) not in (None, "", "10") for f in self.more_fields())


LANGUAGE_FIELD_CHOICES = SPOKEN_LANGUAGES
TARGET_FIELD_CHOICES = TargetGroup.choices


class TokenMultipleChoiceField(forms.MultipleChoiceField):
    """Checkbox list stored in the model's ',a,b,' token string."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return tokens_split(value)
        return value


class ProposalForm(CleanTextMixin, forms.Form):
    """Public proposal without an account. Honeypot 'website' is hidden by CSS and aria-hidden."""

    title = forms.CharField(label=_("Name des Angebots"), max_length=200)
    offer_type = forms.ChoiceField(label=_("Art des Angebots"), choices=OfferType.choices)
    gemeinde = GemeindeChoiceField(
        label=_("Gemeinde"),
        queryset=Gemeinde.objects.none(),
        required=False,
        empty_label=_("im ganzen Kreis"),
    )
    summary = forms.CharField(label=_("Kurzbeschreibung"), max_length=300, required=False)
    description = forms.CharField(label=_("Beschreibung"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    eligibility = forms.CharField(
        label=_("Wer kann teilnehmen?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    how_to_access = forms.CharField(
        label=_("Wann und wo? Wie meldet man sich an?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_free = forms.BooleanField(label=_("Das Angebot ist kostenlos"), required=False)
    cost_note = forms.CharField(label=_("Kosten"), max_length=200, required=False)
    languages = TokenMultipleChoiceField(
        label=_("Gesprochene Sprachen"),
        choices=LANGUAGE_FIELD_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    target_groups = TokenMultipleChoiceField(
        label=_("Zielgruppen"),
        choices=TARGET_FIELD_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    contact_email = forms.EmailField(label=_("E-Mail des Angebots"), required=False)
    contact_phone = forms.CharField(label=_("Telefon des Angebots"), max_length=40, required=False)
    internet = forms.URLField(label=_("Internetseite des Angebots"), required=False, assume_scheme="https")
    submitter_name = forms.CharField(label=_("Ihr Name (wird nicht veröffentlicht)"), max_length=150, required=False)
    submitter_email = forms.EmailField(
        label=_("Ihre E-Mail für Rückfragen (wird nicht veröffentlicht)"), required=False
    )
    consent = forms.BooleanField(
        label=_(
            "Ich bin einverstanden, dass die Kontaktdaten des Angebots (E-Mail, Telefon) veröffentlicht "
            "werden, und bin dazu berechtigt."
        ),
        required=False,
    )
    website = forms.CharField(
        required=False,
        label=_("Bitte leer lassen"),
        # Out of the tab order: the row is aria-hidden, so people never reach it, bots still fill it in.
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gemeinde"].queryset = kreis_gemeinden()  # type: ignore[attr-defined]

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Dieses Feld muss leer bleiben."), code="honeypot")
        return ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("contact_email") or data.get("contact_phone")) and not data.get("consent"):
            self.add_error(
                "consent",
                forms.ValidationError(
                    _("Kontaktdaten veröffentlichen wir nur mit Ihrer Einwilligung."), code="consent_required"
                ),
            )
        return data

    def offer_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        result = {
            k: data.get(k)
            for k in [
                "title",
                "offer_type",
                "summary",
                "description",
                "eligibility",
                "how_to_access",
                "is_free",
                "cost_note",
                "contact_email",
                "contact_phone",
            ]
        }
        result["website"] = data.get("internet", "")
        result["languages"] = list(data.get("languages") or [])
        result["target_groups"] = list(data.get("target_groups") or [])
        return result


class ModerationForm(ProposalForm):
    owner = forms.ModelChoiceField(label=_("Anbieter im Verzeichnis"), queryset=Organisation.objects.none())
    message = forms.CharField(
        label=_("Nachricht an die einreichende Person"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("website", "submitter_name", "submitter_email", "consent"):
            del self.fields[name]
        self.fields["owner"].queryset = owners if owners is not None else Organisation.objects.none()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        return forms.Form.clean(self) or {}


class OfferForm(CleanTextMixin, forms.ModelForm):
    website = forms.URLField(label=_("Internetseite"), required=False, assume_scheme="https")
    languages = TokenMultipleChoiceField(
        label=_("Gesprochene Sprachen"),
        choices=LANGUAGE_FIELD_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    target_groups = TokenMultipleChoiceField(
        label=_("Zielgruppen"),
        choices=TARGET_FIELD_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Offer
        fields = [
            "owner",
            "offer_type",
            *OFFER_TEXT_FIELDS,
            "is_free",
            "target_groups",
            "languages",
            "gemeinde",
            "location",
            "contact_email",
            "contact_phone",
            "website",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "eligibility": forms.Textarea(attrs={"rows": 2}),
            "how_to_access": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, owners: Any = None, locations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners if owners is not None else Organisation.objects.none()  # type: ignore[attr-defined]
        self.fields["gemeinde"].queryset = kreis_gemeinden()  # type: ignore[attr-defined]
        self.fields["location"].queryset = locations if locations is not None else Location.objects.none()  # type: ignore[attr-defined]


class LocationForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Location
        fields = [
            "owner",
            "name",
            "street",
            "postcode",
            "city",
            "gemeinde",
            "latitude",
            "longitude",
            "opening_hours",
            "wheelchair_accessible",
            "accessible_toilet",
            "hearing_loop",
            "accessibility_note",
        ]
        widgets = {"opening_hours": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gemeinde"].queryset = kreis_gemeinden()  # type: ignore[attr-defined]
        self.fields["owner"].queryset = owners if owners is not None else Organisation.objects.none()  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["owner"].disabled = True


class EventForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "event_type",
            "title",
            "description",
            "offer",
            "gemeinde",
            "location",
            "starts_at",
            "ends_at",
            "recurrence",
            "repeat_until",
            "is_free",
            "status",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "repeat_until": forms.DateInput(attrs={"type": "date"}),
        }


class ProfileForm(CleanTextMixin, forms.ModelForm):
    website = forms.URLField(label=_("Internetseite"), required=False, assume_scheme="https")
    languages = TokenMultipleChoiceField(
        label=_("Sprachen"),
        choices=LANGUAGE_FIELD_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    fields_of_work = TokenMultipleChoiceField(
        label=_("Arbeitsfelder"),
        choices=OfferType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = OrganisationProfile
        fields = [
            "description",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "languages",
            "fields_of_work",
            "gemeinden",
            "networks",
            "is_mso",
            "is_public",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "gemeinden": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gemeinden"].queryset = kreis_gemeinden()  # type: ignore[attr-defined]


class TranslationForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    summary = forms.CharField(label=_("Kurzbeschreibung"), max_length=300, required=False)
    description = forms.CharField(label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    eligibility = forms.CharField(
        label=_("Wer kann teilnehmen?"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    how_to_access = forms.CharField(
        label=_("So erreichen Sie das Angebot"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    cost_note = forms.CharField(label=_("Kosten"), max_length=200, required=False)


class DialogueForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = DialogueEntry
        fields = ["date", "kind", "contacts", "topics", "next_steps", "follow_up_on"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "follow_up_on": forms.DateInput(attrs={"type": "date"}),
            "topics": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }


class OutreachForm(forms.Form):
    gemeinde = forms.ChoiceField(label=_("Gemeinde"), required=False)
    sprache = forms.ChoiceField(label=_("Sprache"), required=False, choices=[("", _("alle")), *SPOKEN_LANGUAGES])
    nur_mso = forms.BooleanField(label=_("nur Migrantenorganisationen"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gemeinde"].choices = [  # type: ignore[attr-defined]
            ("", _("alle Gemeinden")),
            *[(g.ags, g.name) for g in german_sorted(kreis_gemeinden(), key=lambda g: g.name)],
        ]


class XliffImportForm(forms.Form):
    file = forms.FileField(label=_("XLIFF-Datei (1.2)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        link_format(self, "file", "xliff")


class OfferImportForm(forms.Form):
    file = forms.FileField(label=_("Angebotsliste (CSV oder XLSX)"))
    owner = forms.ModelChoiceField(label=_("Anbieter der importierten Angebote"), queryset=Organisation.objects.none())
    publish = forms.BooleanField(label=_("Angebote sofort veröffentlichen (sonst als Entwurf anlegen)"), required=False)

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        link_format(self, "file", "angebote")
        owners = owners if owners is not None else Organisation.objects.none()
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        first = owners.first()
        if first is not None:
            self.fields["owner"].initial = first.pk


class SynonymGroupForm(forms.ModelForm):
    offer_type_list = forms.MultipleChoiceField(
        label=_("Passende Arten von Angeboten"),
        choices=OfferType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SynonymGroup
        fields = ["language", "terms", "is_active"]
        widgets = {
            "language": forms.Select(choices=settings.LANGUAGES),
            "terms": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["offer_type_list"].initial = tokens_split(self.instance.offer_types)

    def clean_terms(self) -> str:
        terms = [t.strip() for t in self.cleaned_data["terms"].split(",") if t.strip()]
        if len(terms) < 2:
            raise forms.ValidationError(_("Bitte mindestens zwei Begriffe angeben, durch Komma getrennt."))
        if any(len(t) > 80 for t in terms):
            raise forms.ValidationError(_("Ein Begriff darf höchstens 80 Zeichen lang sein."))
        return ", ".join(terms)
