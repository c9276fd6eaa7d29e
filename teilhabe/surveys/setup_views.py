"""Staff screens for a survey's analysis settings (permission ``surveys.manage``, writes audited through
``services.survey_update``): weighting margins and trimming, Gemeinde groups, monitoring inputs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from teilhabe.accounts.access import staff_required
from teilhabe.surveys import formspec, services
from teilhabe.surveys.models import MANAGE, Survey
from teilhabe.surveys.setup_forms import GemeindeGroupsForm, MonitoringInputsForm, WeightingForm
from teilhabe.surveys.staff_views import get_survey_for_user

PARTS = ("gewichtung", "gemeindegruppen", "monitoring")


def _gemeinden() -> list[tuple[str, str]]:
    from teilhabe.regions.models import Gemeinde

    return list(Gemeinde.objects.filter(kreis_id=settings.TEILHABE_KREIS).order_by("name").values_list("ags", "name"))


def _language(survey: Survey, version: Any) -> str:
    return next((lang["key"] for lang in version.languages if lang["code"] == "de"), version.languages[0]["key"])


def _forms(survey: Survey, data: Any = None, part: str = "") -> dict[str, Any]:
    version = survey.current_version
    if version is None or not version.languages:
        raise Http404
    spec, language = formspec.build(version.form), _language(survey, version)
    initial_weighting = {f"margin_{v}": key for v, key in survey.weighting.items()}
    initial_weighting.update(trim_lower=survey.trim_lower, trim_upper=survey.trim_upper)
    initial_inputs: dict[str, Any] = {}
    for key, spec_input in survey.indicator_inputs.items():
        initial_inputs[f"{key}__question"] = spec_input.get("question", "")
        initial_inputs[f"{key}__values"] = ", ".join(str(v) for v in spec_input.get("values", []))
    gemeinden = _gemeinden()
    return {
        "gewichtung": WeightingForm(
            data if part == "gewichtung" else None, initial=initial_weighting, spec=spec, language=language,
            groups=survey.gemeinde_groups, prefix="w",
        ),
        "gemeindegruppen": GemeindeGroupsForm(
            data if part == "gemeindegruppen" else None,
            initial={"groups": GemeindeGroupsForm.as_text(survey.gemeinde_groups, gemeinden)},
            gemeinden=gemeinden, prefix="g",
        ),
        "monitoring": MonitoringInputsForm(
            data if part == "monitoring" else None, initial=initial_inputs, spec=spec, language=language, prefix="m"
        ),
    }  # fmt: skip


@staff_required(MANAGE)
def setup(request: HttpRequest, pk: int, part: str = "") -> HttpResponse:
    survey = get_survey_for_user(request, pk)
    if part and part not in PARTS:
        raise Http404
    if request.method == "POST" and part:
        forms = _forms(survey, request.POST, part)
        form = forms[part]
        if form.is_valid():
            data = form.cleaned_data
            if part == "gewichtung":
                services.survey_update(request.user, survey, weighting=data["weighting"],
                                       trim_lower=data["trim_lower"], trim_upper=data["trim_upper"])  # fmt: skip
                messages.success(request, _("Gewichtung gespeichert. Berechnen Sie die Gewichte neu."))
            elif part == "gemeindegruppen":
                services.survey_update(request.user, survey, gemeinde_groups=data["groups"])
                messages.success(request, _("Gemeindegruppen gespeichert."))
            else:
                services.survey_update(request.user, survey, indicator_inputs=data["indicator_inputs"])
                if survey.weighting_report:
                    services.recompute_monitoring(survey)
                messages.success(request, _("Monitoring-Eingänge gespeichert."))
            return redirect("surveys_staff:setup", survey.pk)
        status = 400
    else:
        forms, status = _forms(survey), 200
    context = {"survey": survey, "forms": forms, "gemeinden": len(_gemeinden())}
    return render(request, "surveys/staff/setup.html", context, status=status)
