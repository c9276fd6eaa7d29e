from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from teilhabe.regions.models import Gemeinde, Planungsraum


class PlanungsraumForm(forms.ModelForm):
    geometry_text = forms.CharField(
        label=_("Grenze als GeoJSON (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Eine Polygon- oder MultiPolygon-Geometrie in WGS84 (Längengrad, Breitengrad), z. B. aus QGIS exportiert."
        ),
    )

    class Meta:
        model = Planungsraum
        fields = ["gemeinde", "code", "name", "valid_from", "valid_until"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, gemeinden: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gemeinde"].queryset = gemeinden  # type: ignore[attr-defined]
        if self.instance.pk and self.instance.geometry:
            self.fields["geometry_text"].initial = json.dumps(self.instance.geometry)

    def clean_geometry_text(self) -> dict[str, Any] | None:
        text = self.cleaned_data.get("geometry_text", "").strip()
        if not text:
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Kein gültiges JSON (Zeile %(line)s): %(msg)s"), params={"line": error.lineno, "msg": error.msg}
            ) from error
        if isinstance(data, dict) and data.get("type") == "Feature":
            data = data.get("geometry")
        if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
            raise forms.ValidationError(_("Erwartet wird eine Geometrie vom Typ Polygon oder MultiPolygon."))
        polygons = data["coordinates"] if data["type"] == "MultiPolygon" else [data["coordinates"]]
        try:
            for polygon in polygons:
                for ring in polygon:
                    if len(ring) < 4:
                        raise forms.ValidationError(_("Jeder Ring braucht mindestens vier Punkte."))
                    for lon, lat, *_rest in ring:
                        if not (5.0 <= float(lon) <= 16.0 and 47.0 <= float(lat) <= 55.5):
                            raise forms.ValidationError(
                                _("Koordinaten liegen nicht in Deutschland (WGS84: Längengrad, Breitengrad?).")
                            )
        except (TypeError, ValueError) as error:
            raise forms.ValidationError(
                _("Die Koordinaten haben nicht das Format [Längengrad, Breitengrad].")
            ) from error
        return data

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("„gültig bis“ liegt vor „gültig ab“."))
        return data


def gemeinden_for_organisations(organisation_ids: set[int]) -> Any:
    return Gemeinde.objects.filter(organisations__in=organisation_ids).distinct().order_by("name")
