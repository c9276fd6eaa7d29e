"""Writes of the surveys app. Staff writes are audited in the same transaction (convention 5).

Public responses are deliberately *not* audited: an audit event carries the request's IP address, and a
response must leave no address anywhere (``test_privacy``). Interviewer-mode responses are audited as a
staff action (who entered an interview, never what was answered).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from teilhabe.audit.services import Action, record
from teilhabe.surveys import xlsform
from teilhabe.surveys.models import AccessCode, FormOpening, Response, Survey, SurveyVersion

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 8


class SurveyStateError(ValueError):
    """A German message: the action does not fit the survey's state."""


@transaction.atomic
def survey_create(
    user: Any, *, owner: Any, title: str, slug: str, year: int, access: str = Survey.Access.OPEN
) -> Survey:
    survey = Survey.objects.create(owner=owner, title=title, slug=slug, year=year, access=access, created_by=user)
    record(Action.CREATE, actor=user, organisation=owner, obj=survey)
    return survey


@transaction.atomic
def survey_update(user: Any, survey: Survey, **fields: Any) -> Survey:
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.save(update_fields=list(fields))
    record(Action.UPDATE, actor=user, organisation=survey.owner, obj=survey, changed_fields=sorted(fields))
    return survey


@transaction.atomic
def version_upload(user: Any, survey: Survey, *, file_name: str, data: bytes) -> SurveyVersion:
    """Check and store an XLSForm as the survey's next version (never changes an existing version).

    Raises ``xlsform.XLSFormError`` (nothing stored) for a rejected form."""
    parsed = xlsform.read(data, file_name)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    number = (survey.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = SurveyVersion.objects.create(
        survey=survey,
        number=number,
        file_name=file_name[:200],
        xlsform=data,
        form=parsed.form,
        xform=parsed.xform,
        languages=parsed.languages,
        warnings=parsed.warnings,
        created_by=user,
        frozen_at=timezone.now() if survey.status == Survey.Status.OPEN else None,
    )
    record(Action.CREATE, actor=user, organisation=survey.owner, obj=version, extra={"file_name": file_name[:200]})
    return version


@transaction.atomic
def survey_open(user: Any, survey: Survey) -> Survey:
    """Put the survey in the field: its current version is frozen from now on."""
    version = survey.current_version
    if version is None:
        raise SurveyStateError("Ohne hochgeladenen Fragebogen kann die Befragung nicht starten.")
    if version.frozen_at is None:
        version.frozen_at = timezone.now()
        version.save(update_fields=["frozen_at"])
    survey.status = Survey.Status.OPEN
    survey.save(update_fields=["status"])
    record(Action.UPDATE, actor=user, organisation=survey.owner, obj=survey, changed_fields=["status"])
    return survey


@transaction.atomic
def survey_close(user: Any, survey: Survey) -> Survey:
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status"])
    record(Action.UPDATE, actor=user, organisation=survey.owner, obj=survey, changed_fields=["status"])
    return survey


def count_opening(survey: Survey, language: str) -> None:
    """Count one opening of the form (day and language only)."""
    day = timezone.localdate()
    updated = FormOpening.objects.filter(survey=survey, language=language, day=day).update(count=F("count") + 1)
    if not updated:
        FormOpening.objects.get_or_create(survey=survey, language=language, day=day, defaults={"count": 1})


def code_is_valid(survey: Survey, code: str) -> bool:
    return AccessCode.objects.filter(survey=survey, code=code.strip().upper(), used=False).exists()


@transaction.atomic
def response_submit(
    survey: Survey,
    version: SurveyVersion,
    *,
    language: str,
    answers: dict[str, Any],
    complete: bool,
    code: str = "",
    interviewer: Any = None,
) -> Response:
    """Store one response. With ``code`` the code is used up (raises ``SurveyStateError`` if it is not
    valid); the response keeps no reference to it. ``interviewer``: a staff user in interviewer mode."""
    if code:
        used = AccessCode.objects.filter(survey=survey, code=code.strip().upper(), used=False).update(used=True)
        if not used:
            raise SurveyStateError("Der Zugangscode ist ungültig oder wurde schon verwendet.")
    if version.frozen_at is None:
        version.frozen_at = timezone.now()
        version.save(update_fields=["frozen_at"])
    response = Response.objects.create(
        survey=survey,
        version=version,
        language=language,
        answers=answers,
        complete=complete,
        submitted_on=timezone.localdate(),
        mode=Response.Mode.INTERVIEW if interviewer is not None else Response.Mode.WEB,
        interviewer=interviewer,
    )
    if interviewer is not None:
        record(Action.CREATE, actor=interviewer, organisation=survey.owner, obj=response, purpose="Interview")
    return response


@transaction.atomic
def codes_generate(user: Any, survey: Survey, *, count: int, language: str) -> list[AccessCode]:
    """``count`` new one-time codes for letters in ``language`` (one batch)."""
    if not 1 <= count <= 5000:
        raise SurveyStateError("Bitte zwischen 1 und 5.000 Codes erzeugen.")
    batch = (survey.codes.order_by("-batch").values_list("batch", flat=True).first() or 0) + 1
    existing = set(AccessCode.objects.values_list("code", flat=True))
    codes: list[str] = []
    while len(codes) < count:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in existing:
            existing.add(code)
            codes.append(code)
    created = AccessCode.objects.bulk_create(
        [AccessCode(survey=survey, code=code, language=language, batch=batch) for code in codes]
    )
    record(
        Action.CREATE, actor=user, organisation=survey.owner, object_type="surveys.accesscode",
        object_id=f"{survey.pk}/{batch}", object_repr=f"{count} Zugangscodes ({language})",
    )  # fmt: skip
    return created


@transaction.atomic
def survey_weight(user: Any, survey: Survey) -> dict[str, Any]:
    """Rake the survey's responses to the register margins chosen in ``survey.weighting`` and store the
    weights and a report (Stichtag, iterations, design effect, effective n, trimmed weights, margins).

    Raises ``weighting.WeightingError`` (German) when margins are missing, suppressed or unmatched."""
    from teilhabe.surveys.margins import register_margins
    from teilhabe.surveys.weighting import WeightingError, rake

    if not survey.weighting:
        raise WeightingError("Für diese Befragung sind keine Randverteilungen gewählt.")
    stichtag, margins, open_margins = register_margins(
        list(survey.weighting), k=survey.k_threshold, gemeinde_groups=survey.gemeinde_groups, year=survey.year
    )
    responses = list(Response.objects.filter(survey=survey).only("id", "answers"))
    units = [
        {
            variable: str(r.answers[key])
            for variable, key in survey.weighting.items()
            if r.answers.get(key) not in (None, "")
        }
        for r in responses
    ]
    result = rake(units, margins, open_variables=open_margins, lower=survey.trim_lower, upper=survey.trim_upper)
    for response, weight in zip(responses, result.weights, strict=True):
        response.weight = weight
    Response.objects.bulk_update(responses, ["weight"], batch_size=500)
    report = {
        "stichtag": stichtag.isoformat(),
        "stichtag_de": stichtag.strftime("%d.%m.%Y"),
        "n": len(responses),
        "iterations": result.iterations,
        "converged": result.converged,
        "design_effect": round(result.design_effect, 4),
        "effective_n": round(result.effective_n, 1),
        "trimmed": result.trimmed,
        "trim": [survey.trim_lower, survey.trim_upper],
        "max_error": result.max_error,
        "margins": {
            v: {c: [margins[v][c], round(result.margins[v].get(c, 0.0), 1)] for c in margins[v]} for v in margins
        },
        "computed_at": timezone.now().isoformat(),
    }
    survey.weighting_report = report
    survey.save(update_fields=["weighting_report"])
    record(Action.UPDATE, actor=user, organisation=survey.owner, obj=survey, changed_fields=["weights"])
    if survey.indicator_inputs:
        transaction.on_commit(lambda: recompute_monitoring(survey))
    return report


def recompute_monitoring(survey: Survey) -> None:
    """Recompute the indicators fed by this survey (keys ``umf_*`` at Kreis level, survey year)."""
    from django.conf import settings

    from teilhabe.indicators.compute import recompute_for_change
    from teilhabe.regions.models import Kreis
    from teilhabe.surveys.source import KEYS

    kreis = Kreis.objects.filter(ags=settings.TEILHABE_KREIS).first()
    if kreis is None:
        return
    recompute_for_change(kreis=kreis, changes=[(key, "kreis", kreis.ags, survey.year) for key in KEYS])
