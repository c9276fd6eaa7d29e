"""Staff forms for a survey's analysis settings: weighting margins and trimming, Gemeinde groups, monitoring
inputs. Each form validates against the current questionnaire version and returns the JSON the survey stores
(``Survey.weighting``, ``Survey.gemeinde_groups``, ``Survey.indicator_inputs``); errors are German and name
the field or the line.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teilhabe.surveys import formspec
from teilhabe.surveys.margins import CATEGORIES, MARGINS, OPTIONAL_CATEGORIES
from teilhabe.surveys.source import INPUT_KEYS

_CODE = re.compile(r"^[a-z0-9_-]{1,30}$")


def select_choices(spec: formspec.Spec, language: str, *, multiple: bool = False) -> list[tuple[str, str]]:
    return [
        (q.key, f"{formspec.text(q.label, language) or q.key} ({q.key})")
        for q in spec.questions()
        if q.is_select and (multiple or not q.multiple)
    ]


def _codes(spec: formspec.Spec, key: str) -> list[str]:
    return [str(c["name"]) for c in spec.by_key()[key].choices]


class WeightingForm(forms.Form):
    """One optional question per register margin, plus the trimming bounds."""

    trim_lower = forms.FloatField(
        label=gettext_lazy("Untere Kappungsgrenze (× mittleres Gewicht)"), min_value=0.01, max_value=0.99, localize=True,
        help_text=gettext_lazy("Zwischen 0,01 und 0,99; üblich 0,2 bis 0,5."),
    )  # fmt: skip
    trim_upper = forms.FloatField(
        label=gettext_lazy("Obere Kappungsgrenze (× mittleres Gewicht)"), min_value=1.01, max_value=20, localize=True,
        help_text=gettext_lazy("Zwischen 1,01 und 20; üblich 3 bis 5."),
    )  # fmt: skip

    def __init__(self, *args: Any, spec: formspec.Spec, language: str, groups: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec, self.groups = spec, groups
        questions = [("", _("— nicht gewichten —")), *select_choices(spec, language)]
        for variable, label in MARGINS.items():
            self.fields[f"margin_{variable}"] = forms.ChoiceField(
                label=_("Frage für die Randverteilung „%(m)s“") % {"m": label}, choices=questions, required=False
            )
        self.order_fields([f"margin_{v}" for v in MARGINS])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: dict[str, str] = {v: str(data[f"margin_{v}"]) for v in MARGINS if data.get(f"margin_{v}")}
        if not chosen:
            raise forms.ValidationError(_("Bitte mindestens eine Randverteilung mit einer Frage verbinden."))
        seen: dict[str, str] = {}
        for variable, key in chosen.items():
            field = f"margin_{variable}"
            if key in seen:
                self.add_error(field, _("Diese Frage ist schon mit „%(m)s“ verbunden.") % {"m": MARGINS[seen[key]]})
                continue
            seen[key] = variable
            if variable == "gemeindegruppe":
                if not self.groups:
                    self.add_error(field, _("Bitte zuerst die Gemeindegruppen festlegen."))
                    continue
                expected, optional = set(self.groups), set()
            else:
                expected, optional = set(CATEGORIES[variable]), OPTIONAL_CATEGORIES.get(variable, set())
            codes = set(_codes(self.spec, key))
            missing, extra = sorted(expected - optional - codes), sorted(codes - expected)
            if missing:
                self.add_error(field, _("Der Frage fehlen die Antwortcodes %(c)s dieser Randverteilung.")
                               % {"c": ", ".join(missing)})  # fmt: skip
            elif extra:
                self.add_error(field, _("Die Antwortcodes %(c)s gibt es in dieser Randverteilung nicht.")
                               % {"c": ", ".join(extra)})  # fmt: skip
        lower, upper = data.get("trim_lower"), data.get("trim_upper")
        if lower is not None and upper is not None and not 0 < lower < 1 < upper:
            self.add_error("trim_upper", _("Es muss gelten: 0 < untere Grenze < 1 < obere Grenze."))
        data["weighting"] = chosen
        return data


class GemeindeGroupsForm(forms.Form):
    """Groups as lines ``code | Bezeichnung | Gemeinde; Gemeinde; …`` (Gemeinde by name or AGS); every
    Gemeinde of the Kreis in exactly one group."""

    groups = forms.CharField(
        label=gettext_lazy("Gemeindegruppen"),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=gettext_lazy(
            "Eine Gruppe je Zeile: Kürzel | Bezeichnung | Gemeinden durch Semikolon getrennt (Name oder AGS). "
            "Jede Gemeinde des Kreises gehört zu genau einer Gruppe."
        ),
    )

    def __init__(self, *args: Any, gemeinden: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gemeinden = gemeinden  # (ags, name)

    @staticmethod
    def as_text(groups: dict[str, dict[str, Any]], gemeinden: list[tuple[str, str]]) -> str:
        names = dict(gemeinden)
        return "\n".join(
            f"{code} | {group.get('label', code)} | {'; '.join(names.get(a, a) for a in group.get('ags', []))}"
            for code, group in groups.items()
        )

    def clean_groups(self) -> dict[str, dict[str, Any]]:
        by_name: dict[str, list[str]] = {}
        for ags, name in self.gemeinden:
            by_name.setdefault(name.casefold(), []).append(ags)
        known = {ags for ags, _name in self.gemeinden}
        groups: dict[str, dict[str, Any]] = {}
        owner: dict[str, int] = {}
        errors: list[str] = []
        lines = [(n, line) for n, line in enumerate(self.cleaned_data["groups"].splitlines(), start=1) if line.strip()]
        for number, line in lines:
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3 or not all(parts):
                errors.append(_("Zeile %(n)s: erwartet „Kürzel | Bezeichnung | Gemeinden“.") % {"n": number})
                continue
            code, label, members = parts
            if not _CODE.match(code):
                errors.append(_("Zeile %(n)s: Kürzel „%(c)s“ nur aus Kleinbuchstaben, Ziffern, - und _.")
                              % {"n": number, "c": code})  # fmt: skip
                continue
            if code in groups:
                errors.append(_("Zeile %(n)s: das Kürzel „%(c)s“ kommt doppelt vor.") % {"n": number, "c": code})
                continue
            ags_list: list[str] = []
            for member in (m.strip() for m in members.split(";") if m.strip()):
                found = [member] if member in known else by_name.get(member.casefold(), [])
                if len(found) != 1:
                    message = (
                        _("Zeile %(n)s: „%(g)s“ ist keine Gemeinde des Kreises.")
                        if not found
                        else _("Zeile %(n)s: „%(g)s“ ist mehrdeutig, bitte den AGS angeben.")
                    )
                    errors.append(message % {"n": number, "g": member})
                    continue
                if found[0] in owner:
                    errors.append(_("Zeile %(n)s: „%(g)s“ steht schon in Zeile %(m)s.")
                                  % {"n": number, "g": member, "m": owner[found[0]]})  # fmt: skip
                    continue
                owner[found[0]] = number
                ags_list.append(found[0])
            groups[code] = {"label": label, "ags": ags_list}
        if not lines:
            errors.append(_("Bitte mindestens eine Gruppe angeben."))
        missing = [name for ags, name in self.gemeinden if ags not in owner]
        if not errors and missing:
            errors.append(_("Ohne Gruppe: %(g)s. Jede Gemeinde gehört zu genau einer Gruppe.")
                          % {"g": ", ".join(missing)})  # fmt: skip
        if errors:
            raise forms.ValidationError(errors)
        return groups


class MonitoringInputsForm(forms.Form):
    """Per survey input key of the catalogue: which question and which answer codes count."""

    def __init__(self, *args: Any, spec: formspec.Spec, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        questions = [("", _("— nicht belegen —")), *select_choices(spec, language, multiple=True)]
        for key, label in INPUT_KEYS.items():
            self.fields[f"{key}__question"] = forms.ChoiceField(
                label=_("%(l)s: Frage") % {"l": label}, choices=questions, required=False
            )
            self.fields[f"{key}__values"] = forms.CharField(
                label=_("%(l)s: gezählte Antwortcodes") % {"l": label}, required=False, max_length=200,
                help_text=_("Durch Komma getrennt, z. B. 4, 5"),
            )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        inputs: dict[str, dict[str, Any]] = {}
        for key in INPUT_KEYS:
            question = data.get(f"{key}__question")
            values = [v.strip() for v in (data.get(f"{key}__values") or "").split(",") if v.strip()]
            if not question:
                if values:
                    self.add_error(f"{key}__question", _("Bitte die Frage zu den Antwortcodes wählen."))
                continue
            if not values:
                self.add_error(f"{key}__values", _("Bitte mindestens einen Antwortcode angeben."))
                continue
            unknown = [v for v in values if v not in _codes(self.spec, question)]
            if unknown:
                self.add_error(f"{key}__values", _("Die Frage hat keine Antwort mit dem Code %(c)s.")
                               % {"c": ", ".join(unknown)})  # fmt: skip
                continue
            inputs[key] = {"question": question, "values": values}
        data["indicator_inputs"] = inputs
        return data
