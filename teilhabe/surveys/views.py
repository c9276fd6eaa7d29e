"""Public side: language choice, the web form per language, thank-you page, short links of letters.

Anonymous by construction: nothing here reads the user agent, the only use of the client address is the
rate-limit key in the cache (never the database), and no cookie is set but Django's CSRF token of the form.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from teilhabe.core.client import client_address
from teilhabe.surveys import answers as answer_check
from teilhabe.surveys import formspec, rendering, services
from teilhabe.surveys.models import AccessCode, Survey, SurveyVersion

RATE_LIMIT_PER_HOUR = 30


def _ui_language(code: str) -> str:
    base = code.split("-")[0].lower()
    return base if base in {c for c, _n in settings.LANGUAGES} else settings.LANGUAGE_CODE


def get_open_survey(slug: str) -> Survey:
    return get_object_or_404(Survey.objects.public(), slug=slug)


def _version_and_language(survey: Survey, lang: str) -> tuple[SurveyVersion, dict[str, str]]:
    version = survey.current_version
    if version is None:
        raise Http404
    language = version.language(lang)
    if language is None:
        raise Http404
    return version, language


def rate_limited(request: HttpRequest, survey: Survey) -> bool:
    """At most ``RATE_LIMIT_PER_HOUR`` responses per client address and hour (key hashed, cache only)."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}".encode()).hexdigest()[:24]
    key = f"ratelimit:survey:{survey.pk}:{digest}:{timezone.now():%Y%m%d%H}"
    count = cache.get_or_set(key, 0, 3600)
    return bool(count is not None and count >= RATE_LIMIT_PER_HOUR)


def _count_submission(request: HttpRequest, survey: Survey) -> None:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}".encode()).hexdigest()[:24]
    key = f"ratelimit:survey:{survey.pk}:{digest}:{timezone.now():%Y%m%d%H}"
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, 3600)


def survey_start(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_open_survey(slug)
    version = survey.current_version
    if version is None:
        raise Http404
    # The page speaks the visitor's language (address prefix, cookie); the title comes from the form in that
    # language when the form has it, else it is the German title, marked as such.
    code = (translation.get_language() or "de").split("-")[0]
    page_language = {"code": code, "dir": "rtl" if translation.get_language_bidi() else "ltr"}
    own = next((lang for lang in version.languages if lang["code"] == code), None)
    title = (formspec.text(version.form.get("title"), own["key"]) if own else "") or survey.title
    fallback = _title_is_fallback(version, own) if own else code != "de"
    return render(
        request,
        "surveys/start.html",
        {
            "survey": survey,
            "languages": version.languages,
            "language": page_language,
            "title": title,
            "title_is_fallback": fallback,
        },
    )


def _title_is_fallback(version: SurveyVersion, language: dict[str, str]) -> bool:
    value = version.form.get("title")
    own = isinstance(value, dict) and bool(value.get(language["key"]))
    return not own and language["code"] != "de"


def form_context(
    survey: Survey, version: SurveyVersion, language: dict[str, str], *, checked: Any = None, values: Any = None
) -> dict[str, Any]:
    spec = formspec.build(version.form)
    key = language["key"]
    if checked is None:
        empty = answer_check.check(spec, lambda _k: [], key)
        views = rendering.items(spec, key, relevant=empty.relevant)
    else:
        views = rendering.items(spec, key, values=values, errors=checked.errors, relevant=checked.relevant)
    errors = [v for v in rendering.flat(views) if v.error]
    return {
        "survey": survey,
        "version": version,
        "language": language,
        "title": formspec.text(version.form.get("title"), key) or survey.title,
        # A form title without a text in this language is the survey's own (German) title: user content.
        "title_is_fallback": _title_is_fallback(version, language),
        "items": views,
        "errors": errors,
        "storage_key": f"teilhabe-survey:{survey.slug}:{version.number}:{language['code']}",
    }


def render_form(
    request: HttpRequest, context: dict[str, Any], template: str = "surveys/form.html", status: int = 200
) -> HttpResponse:
    with translation.override(_ui_language(context["language"]["code"])):
        response = render(request, template, context, status=status)
    return response


@require_http_methods(["GET", "POST"])
def survey_form(request: HttpRequest, slug: str, lang: str) -> HttpResponse:
    survey = get_open_survey(slug)
    version, language = _version_and_language(survey, lang)
    needs_code = survey.access == Survey.Access.CODES
    code = (request.POST.get("_code") or request.GET.get("c") or "").strip().upper()
    if request.method == "GET":
        services.count_opening(survey, language["code"])
        context = form_context(survey, version, language)
        context.update(needs_code=needs_code, code=code)
        return render_form(request, context)
    with translation.override(_ui_language(language["code"])):
        if rate_limited(request, survey):
            context = form_context(survey, version, language)
            context.update(needs_code=needs_code, code=code, limit=True)
            return render_form(request, context, status=429)
        spec = formspec.build(version.form)
        if request.POST.get("_add"):  # one more repeat instance: show the form again, nothing checked
            context = form_context(survey, version, language, checked=answer_check.Checked(relevant=None),  # type: ignore[arg-type]
                                   values=posted_values(request, spec))  # fmt: skip
            context.update(needs_code=needs_code, code=code)
            return render_form(request, context)
        checked = answer_check.check(spec, request.POST.getlist, language["key"])
        code_error = ""
        if needs_code and not services.code_is_valid(survey, code):
            code_error = _("Der Zugangscode ist ungültig oder wurde schon verwendet.")
        if checked.errors or code_error:
            values = posted_values(request, spec)
            context = form_context(survey, version, language, checked=checked, values=values)
            context.update(needs_code=needs_code, code=code, code_error=code_error)
            return render_form(request, context, status=400)
        try:
            services.response_submit(
                survey, version, language=language["code"], answers=checked.answers, complete=checked.complete,
                code=code if needs_code else "",
            )  # fmt: skip
        except services.SurveyStateError:
            values = posted_values(request, spec)
            context = form_context(survey, version, language, checked=checked, values=values)
            context.update(
                needs_code=needs_code,
                code=code,
                code_error=_("Der Zugangscode ist ungültig oder wurde schon verwendet."),
            )
            return render_form(request, context, status=400)
        _count_submission(request, survey)
    return redirect(reverse("surveys:thanks", args=[survey.slug, language["code"]]))


def _posted(request: HttpRequest, question: formspec.Question, name: str = "") -> Any:
    values = request.POST.getlist(name or question.key)
    return values if question.multiple else (values[0] if values else "")


def posted_values(request: HttpRequest, spec: formspec.Spec) -> dict[str, Any]:
    """The posted answers to show again: per question, and per repeat a list of entries plus its count
    (one more instance when the respondent pressed "add" for that repeat)."""
    values: dict[str, Any] = {q.key: _posted(request, q) for q in spec.questions()}
    for repeat in spec.repeats():
        count = answer_check.repeat_count(repeat, request.POST.getlist)
        values[repeat.key] = [
            {
                repeat.relative(q.key): _posted(request, q, answer_check.repeat_field(repeat, i, q))
                for q in repeat.questions()
            }
            for i in range(count)
        ]
        values[f"{repeat.key}.count"] = min(repeat.limit, count + (request.POST.get("_add") == repeat.key))
    return values


def thanks(request: HttpRequest, slug: str, lang: str) -> HttpResponse:
    survey = get_object_or_404(Survey.objects.exclude(status=Survey.Status.DRAFT), slug=slug)
    version, language = _version_and_language(survey, lang)
    context = {
        "survey": survey,
        "language": language,
        "storage_key": f"teilhabe-survey:{survey.slug}:{version.number}:{language['code']}",
        "title": formspec.text(version.form.get("title"), language["key"]) or survey.title,
    }
    return render_form(request, context, template="surveys/thanks.html")


def short_link(request: HttpRequest, code: str) -> HttpResponse:
    """The short link of an invitation letter: ``/umfragen/c/<CODE>/`` → the form in the letter's language."""
    access = AccessCode.objects.select_related("survey").filter(code=code.strip().upper(), used=False).first()
    if access is None or access.survey.status != Survey.Status.OPEN:
        raise Http404
    target = reverse("surveys:form", args=[access.survey.slug, access.language])
    return redirect(f"{target}?c={access.code}")
