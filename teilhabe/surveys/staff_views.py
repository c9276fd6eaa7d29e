"""Staff side of surveys: questionnaires and versions, field start, codes and letters, interviews, results.

Every survey is fetched through ``get_survey_for_user`` (404 outside the user's organisations); writes go
through audited services; exports are audited reads.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.accounts.access import has_permission, organisations_with, staff_required
from teilhabe.audit.services import Action, record
from teilhabe.lib.exports import Sheet, csv_response, xlsx_response
from teilhabe.lib.formats import format_int, format_number
from teilhabe.surveys import answers as answer_check
from teilhabe.surveys import formspec, results, services, xlsform
from teilhabe.surveys.forms import CodesForm, CrossTabForm, ExportForm, SurveyForm, UploadForm
from teilhabe.surveys.models import MANAGE, Response, Survey
from teilhabe.surveys.source import INPUT_KEYS
from teilhabe.surveys.weighting import WeightingError

INTERVIEW = "surveys.interview"
OPEN_TEXT = "surveys.open_text"


def get_survey_for_user(request: HttpRequest, pk: int, permission: str = MANAGE) -> Survey:
    survey = Survey.objects.visible_to(request.user, permission).select_related("owner").filter(pk=pk).first()
    if survey is None:
        raise Http404
    return survey


@staff_required(MANAGE)
def index(request: HttpRequest) -> HttpResponse:
    surveys = Survey.objects.visible_to(request.user).select_related("owner")
    form = SurveyForm(request.POST or None, organisations=organisations_with(request.user, MANAGE))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        survey = services.survey_create(
            request.user,
            owner=data["owner"],
            title=data["title"],
            slug=data["slug"],
            year=data["year"],
            access=data["access"],
        )
        if data["k_threshold"] != survey.k_threshold:
            services.survey_update(request.user, survey, k_threshold=data["k_threshold"])
        messages.success(request, _("Befragung angelegt. Laden Sie jetzt den Fragebogen als XLSForm hoch."))
        return redirect("surveys_staff:detail", survey.pk)
    return render(request, "surveys/staff/index.html", {"surveys": surveys, "form": form})


def translation_status(version: Any) -> list[dict[str, Any]]:
    """Per language: how many texts (labels, hints, choice labels, messages) are filled, like the directory's
    translation status (complete / incomplete with the missing count)."""
    spec = formspec.build(version.form)
    texts: list[Any] = []
    for item in spec.questions():
        texts.append(item.label)
        if item.hint:
            texts.append(item.hint)
        if item.constraint_msg:
            texts.append(item.constraint_msg)
        texts.extend(c.get("label") for c in item.choices)
    status = []
    for lang in version.languages:
        filled = sum(
            1 for t in texts if (t.get(lang["key"]) if isinstance(t, dict) else (t and lang["key"] == formspec.DEFAULT))
        )
        status.append({**lang, "filled": filled, "total": len(texts), "complete": filled == len(texts)})
    return status


@staff_required(MANAGE)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user(request, pk)
    version = survey.current_version
    context = {
        "survey": survey,
        "version": version,
        "versions": survey.versions.defer("xlsform", "xform", "form"),
        "upload_form": UploadForm(),
        "status": translation_status(version) if version else [],
        "responses": survey.responses.count(),
        "can_interview": has_permission(request.user, INTERVIEW, survey.owner),
    }
    return render(request, "surveys/staff/detail.html", context)


@staff_required(MANAGE)
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user(request, pk)
    form = UploadForm(request.POST, request.FILES)
    problems: list[xlsform.Problem] = []
    if form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            version = services.version_upload(request.user, survey, file_name=upload_file.name, data=upload_file.read())
        except xlsform.XLSFormError as error:
            problems = error.problems
        else:
            messages.success(request, _("Fassung %(n)s gespeichert.") % {"n": version.number})
            return redirect("surveys_staff:detail", survey.pk)
    current = survey.current_version
    context = {
        "survey": survey,
        "version": current,
        "versions": survey.versions.defer("xlsform", "xform", "form"),
        "upload_form": form,
        "problems": problems,
        "status": translation_status(current) if current else [],
        "responses": survey.responses.count(),
    }
    return render(request, "surveys/staff/detail.html", context, status=400)


@staff_required(MANAGE)
@require_POST
def open_survey(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user(request, pk)
    try:
        services.survey_open(request.user, survey)
    except services.SurveyStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Die Befragung ist im Feld; die aktuelle Fassung ist eingefroren."))
    return redirect("surveys_staff:detail", survey.pk)


@staff_required(MANAGE)
@require_POST
def close_survey(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user(request, pk)
    services.survey_close(request.user, survey)
    messages.success(request, _("Die Befragung ist beendet."))
    return redirect("surveys_staff:detail", survey.pk)


@staff_required(MANAGE)
def version_file(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    survey = get_survey_for_user(request, pk)
    version = survey.versions.filter(number=number).first()
    if version is None:
        raise Http404
    response = HttpResponse(
        bytes(version.xlsform), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{survey.slug}-v{version.number}.xlsx"'
    return response


@staff_required(MANAGE)
def codes(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user(request, pk)
    version = survey.current_version
    if version is None:
        raise Http404
    form = CodesForm(request.POST or None, languages=version.languages)
    if request.method == "POST" and form.is_valid():
        created = services.codes_generate(
            request.user, survey, count=form.cleaned_data["count"], language=form.cleaned_data["language"]
        )
        messages.success(request, _("%(n)s Zugangscodes erzeugt.") % {"n": len(created)})
        return redirect("surveys_staff:codes", survey.pk)
    batches = (
        survey.codes.values("batch", "language")
        .order_by("batch")
        .annotate(n=Count("id"), used=Count("id", filter=Q(used=True)))
    )
    return render(request, "surveys/staff/codes.html", {"survey": survey, "form": form, "batches": batches})


@staff_required(MANAGE)
def letters(request: HttpRequest, pk: int, batch: int) -> HttpResponse:
    from teilhabe.surveys.letters import letters_pdf

    survey = get_survey_for_user(request, pk)
    access_codes = list(survey.codes.filter(batch=batch, used=False))
    if not access_codes:
        raise Http404
    base = request.build_absolute_uri("/")[:-1]
    pdf = letters_pdf(survey, access_codes, base_url=base)
    record(
        Action.EXPORT,
        actor=request.user,
        organisation=survey.owner,
        obj=survey,
        extra={"letters": len(access_codes), "batch": batch},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{survey.slug}-briefe-{batch}.pdf"'
    return response


@staff_required(INTERVIEW)
def interview(request: HttpRequest, pk: int, lang: str) -> HttpResponse:
    """Interviewer mode: a staff member enters the answers of a respondent (face to face). The response
    records the interviewer, never who was interviewed."""
    survey = get_survey_for_user(request, pk, INTERVIEW)
    if survey.status != Survey.Status.OPEN:
        raise Http404
    from teilhabe.surveys.views import form_context, posted_values, render_form

    version = survey.current_version
    language = version.language(lang) if version else None
    if version is None or language is None:
        raise Http404
    if request.method == "POST":
        spec = formspec.build(version.form)
        if request.POST.get("_add"):
            context = form_context(survey, version, language, checked=answer_check.Checked(relevant=None),  # type: ignore[arg-type]
                                   values=posted_values(request, spec))  # fmt: skip
            context["interview"] = True
            return render_form(request, context)
        checked = answer_check.check(spec, request.POST.getlist, language["key"])
        if not checked.errors:
            services.response_submit(
                survey, version, language=language["code"], answers=checked.answers, complete=checked.complete,
                interviewer=request.user,
            )  # fmt: skip
            messages.success(request, _("Interview gespeichert. Das nächste kann beginnen."))
            return redirect("surveys_staff:interview", survey.pk, language["code"])
        values = posted_values(request, spec)
        context = form_context(survey, version, language, checked=checked, values=values)
        context["interview"] = True
        return render_form(request, context, status=400)
    context = form_context(survey, version, language)
    context["interview"] = True
    context["storage_key"] = ""
    return render_form(request, context)


def _spec_and_language(survey: Survey, request: HttpRequest) -> tuple[Any, Any, str]:
    version = survey.current_version
    if version is None:
        raise Http404
    keys = [lang["key"] for lang in version.languages]
    chosen = request.GET.get("sprache", "")
    language = (
        chosen if chosen in keys else next((lang["key"] for lang in version.languages if lang["code"] == "de"), keys[0])
    )
    return version, formspec.build(version.form), language


@staff_required(MANAGE)
def results_view(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user(request, pk)
    version, spec, language = _spec_and_language(survey, request)
    board = results.dashboard(survey)
    freqs = results.frequencies(survey, spec, language, survey.k_threshold)
    charts = {f.key: results.frequency_chart(f) for f in freqs}
    questions = [
        (q.key, formspec.text(q.label, language) or q.key) for q in results.select_questions(spec) if not q.multiple
    ]
    context = {
        "survey": survey,
        "version": version,
        "board": board,
        "daily_chart": results.daily_chart(board.per_day),
        "frequencies": [(f, charts[f.key]) for f in freqs],
        "crosstab_form": CrossTabForm(questions=questions),
        "language": language,
        "weighted": Response.objects.filter(survey=survey, weight__isnull=False).exists(),
        "can_open_text": has_permission(request.user, OPEN_TEXT, survey.owner),
        "export_form": ExportForm(languages=version.languages),
        "group_rows": results.group_values(survey, survey.k_threshold),
        "input_labels": [INPUT_KEYS.get(key, key) for key in survey.indicator_inputs],
    }
    return render(request, "surveys/staff/results.html", context)


@staff_required(MANAGE)
def crosstab(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user(request, pk)
    _version, spec, language = _spec_and_language(survey, request)
    questions = [
        (q.key, formspec.text(q.label, language) or q.key) for q in results.select_questions(spec) if not q.multiple
    ]
    form = CrossTabForm(request.GET or None, questions=questions)
    table = None
    if form.is_valid():
        table = results.crosstab(
            survey, spec, form.cleaned_data["row"], form.cleaned_data["column"], language, survey.k_threshold
        )
    context = {"survey": survey, "form": form, "table": table, "k": survey.k_threshold, "language": language}
    return render(request, "surveys/staff/crosstab.html", context)


def _text_questions(spec: Any) -> list[Any]:
    return [q for q in spec.questions() if q.type == "text"]


@staff_required(OPEN_TEXT)
def open_text(request: HttpRequest, pk: int) -> HttpResponse:
    """Open-text answers (may identify a respondent): only with ``surveys.open_text``; the read is audited."""
    survey = get_survey_for_user(request, pk, OPEN_TEXT)
    _version, spec, language = _spec_and_language(survey, request)
    questions = _text_questions(spec)
    rows = []
    for question in questions:
        answers = [a.get(question.key) for a in survey.responses.values_list("answers", flat=True)]
        rows.append((formspec.text(question.label, language) or question.key, [a for a in answers if a]))
    record(Action.READ, actor=request.user, organisation=survey.owner, obj=survey, purpose="Freitextantworten")
    return render(request, "surveys/staff/open_text.html", {"survey": survey, "rows": rows})


def _label_of(question: Any, code: str, language: str) -> str:
    for choice in question.choices:
        if str(choice["name"]) == code:
            return formspec.text(choice.get("label"), language) or code
    return code


@staff_required(MANAGE)
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """Responses as CSV/XLSX with labels in a chosen language or codes. Open-text columns only with
    ``surveys.open_text``. Audited."""
    survey = get_survey_for_user(request, pk)
    version, spec, _language = _spec_and_language(survey, request)
    form = ExportForm(request.GET or None, languages=version.languages)
    if not form.is_valid():
        return redirect("surveys_staff:results", survey.pk)
    language, as_labels, fmt = (
        form.cleaned_data["language"],
        form.cleaned_data["labels"] == "labels",
        form.cleaned_data["format"],
    )
    with_text = has_permission(request.user, OPEN_TEXT, survey.owner)
    questions = [q for q in spec.questions() if q.collects and (with_text or q.type != "text")]
    header = ["antwort_nr", "fassung", "sprache", "tag", "modus", "vollstaendig", "gewicht"] + [
        q.key for q in questions
    ]
    rows = []
    for number, response in enumerate(survey.responses.select_related("version").order_by("id"), start=1):
        row: list[Any] = [number, response.version.number, response.language, response.submitted_on,
                          response.get_mode_display(), response.complete, response.weight]  # fmt: skip
        for question in questions:
            value = response.answers.get(question.key)
            if value is None:
                row.append(None)
            elif question.is_select and as_labels:
                codes = value if isinstance(value, list) else [value]
                row.append("; ".join(_label_of(question, c, language) for c in codes))
            elif isinstance(value, list):
                row.append(" ".join(value))
            elif question.type in {"integer", "decimal"}:
                row.append(float(value) if question.type == "decimal" else int(value))
            else:
                row.append(value)
        rows.append(row)
    record(Action.EXPORT, actor=request.user, organisation=survey.owner, obj=survey,
           extra={"rows": len(rows), "format": fmt, "open_text": with_text})  # fmt: skip
    note = _(
        "Anonyme Antworten. Nur für die Auswertung im Amt; veröffentlichte Zahlen nur mit Mindestfallzahl %(k)s."
    ) % {"k": survey.k_threshold}
    if fmt == "xlsx":
        sheets = [Sheet("Antworten", header, rows, note), *_repeat_sheets(survey, spec, language, as_labels, with_text)]
        return xlsx_response(f"{survey.slug}-antworten", [*sheets, _codebook_sheet(spec, version)])
    return csv_response(f"{survey.slug}-antworten", header, rows, note=note)


def _cell(question: Any, value: Any, language: str, as_labels: bool) -> Any:
    if value in (None, ""):
        return None
    if question.is_select and as_labels:
        codes = value if isinstance(value, list) else [value]
        return "; ".join(_label_of(question, c, language) for c in codes)
    if isinstance(value, list):
        return " ".join(value)
    if question.type in {"integer", "decimal"}:
        return float(value) if question.type == "decimal" else int(value)
    return value


def _repeat_sheets(survey: Survey, spec: Any, language: str, as_labels: bool, with_text: bool) -> list[Sheet]:
    """One sheet per repeat in long format: response number (as in "Antworten"), entry number, answers."""
    sheets = []
    for repeat in spec.repeats():
        questions = [q for q in repeat.questions() if q.collects and (with_text or q.type != "text")]
        rows: list[list[Any]] = []
        for number, answers in enumerate(survey.responses.order_by("id").values_list("answers", flat=True), start=1):
            for index, entry in enumerate(answers.get(repeat.key) or [], start=1):
                rows.append([number, index, *[_cell(q, entry.get(repeat.relative(q.key)), language, as_labels)
                                              for q in questions]])  # fmt: skip
        header = ["antwort_nr", "angabe_nr", *[q.key for q in questions]]
        sheets.append(Sheet(repeat.name[:31], header, rows, _("Wiederholungsgruppe „%(n)s“") % {"n": repeat.key}))
    return sheets


def _codebook_rows(spec: Any, version: Any) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for question in spec.all_questions():
        if not question.collects:
            continue
        base = [question.key, question.type, question.required, question.relevant, question.constraint]
        labels = [formspec.text(question.label, lang["key"]) for lang in version.languages]
        if question.is_select:
            for choice in question.choices:
                rows.append([*base, *labels, str(choice["name"]),
                             *[formspec.text(choice.get("label"), lang["key"]) for lang in version.languages]])  # fmt: skip
        else:
            rows.append([*base, *labels, None, *[None for _l in version.languages]])
    return rows


def _codebook_header(version: Any) -> list[str]:
    langs = [lang["code"] for lang in version.languages]
    return [
        "variable",
        "typ",
        "pflicht",
        "relevant",
        "bedingung",
        *[f"frage_{c}" for c in langs],
        "code",
        *[f"antwort_{c}" for c in langs],
    ]


def _codebook_sheet(spec: Any, version: Any) -> Sheet:
    return Sheet("Codebuch", _codebook_header(version), _codebook_rows(spec, version), f"Fassung {version.number}")


@staff_required(MANAGE)
def codebook(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user(request, pk)
    version, spec, _language = _spec_and_language(survey, request)
    if request.GET.get("format") == "csv":
        return csv_response(f"{survey.slug}-codebuch", _codebook_header(version), _codebook_rows(spec, version))
    return xlsx_response(f"{survey.slug}-codebuch", [_codebook_sheet(spec, version)])


@staff_required(MANAGE)
@require_POST
def weight(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_user(request, pk)
    try:
        report = services.survey_weight(request.user, survey)
    except WeightingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Gewichtet: Designeffekt %(deff)s, effektive Fallzahl %(neff)s.")
                         % {"deff": format_number(report["design_effect"], 2), "neff": format_int(report["effective_n"])})  # fmt: skip
    return redirect(reverse("surveys_staff:results", args=[survey.pk]))


@staff_required(MANAGE)
def xliff_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The current version's texts as XLIFF 1.2 (``?quelle=de&ziel=ar``) for a translation agency."""
    from teilhabe.surveys import xliff

    survey = get_survey_for_user(request, pk)
    version = survey.current_version
    if version is None:
        raise Http404
    codes = [lang["code"] for lang in version.languages]
    source = request.GET.get("quelle") or ("de" if "de" in codes else codes[0])
    target = request.GET.get("ziel", "")
    if source not in codes or not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", target):
        raise Http404
    content = xliff.export(version, source=source, target=target)
    record(
        Action.EXPORT, actor=request.user, organisation=survey.owner, obj=version, extra={"xliff": f"{source}>{target}"}
    )
    response = HttpResponse(content, content_type="application/xliff+xml")
    response["Content-Disposition"] = f'attachment; filename="{survey.slug}-v{version.number}-{target}.xlf"'
    return response


@staff_required(MANAGE)
@require_POST
def xliff_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Translated XLIFF back in: written into a copy of the XLSForm and uploaded as a new version."""
    from teilhabe.surveys import xliff

    survey = get_survey_for_user(request, pk)
    version = survey.current_version
    upload_file = request.FILES.get("file")
    if version is None or upload_file is None:
        messages.error(request, _("Bitte eine XLIFF-Datei wählen."))
        return redirect("surveys_staff:detail", survey.pk)
    try:
        data, written = xliff.apply(version, upload_file.read())
        new = services.version_upload(
            request.user, survey, file_name=f"{survey.slug}-v{version.number}-xliff.xlsx", data=data
        )
    except xliff.XliffError as error:
        messages.error(request, str(error))
    except xlsform.XLSFormError as error:
        messages.error(request, _("Die übersetzte Fassung wurde nicht übernommen: %(p)s") % {"p": error})
    else:
        messages.success(
            request, _("%(n)s Übersetzungen übernommen, neue Fassung %(v)s.") % {"n": written, "v": new.number}
        )
    return redirect("surveys_staff:detail", survey.pk)
