"""OpenRosa 1.0 endpoints so ODK Collect / KoboCollect / Enketo can collect offline and send later.

- ``GET  …/openrosa/<slug>/formList``: the survey's current version (``<xforms>``, md5 hash, download URL).
- ``GET  …/openrosa/<slug>/forms/<n>.xml``: pyxform's XForm of that version.
- ``HEAD/POST …/openrosa/<slug>/submission``: multipart with ``xml_submission_file``; the instance is read
  into the same raw values a web form posts and checked by ``answers.check`` (types, relevance, required,
  constraints, choice filters, repeats), then stored like a web response (no address, no device id).

Auth (survey in the field): either a one-time access code in the path (``…/openrosa/<slug>/c/<CODE>/…``; the
submission uses it up) or an interviewer login by HTTP Basic over HTTPS with ``surveys.interview`` for the
survey's organisation (the response records the interviewer). Every reply carries ``X-OpenRosa-Version: 1.0``.
Spec: https://docs.getodk.org/openrosa/ (form list, form submission APIs).
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any
from xml.etree import ElementTree as ET

from defusedxml import ElementTree as SafeET
from django.contrib.auth import authenticate
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt

from teilhabe.accounts.access import has_permission
from teilhabe.surveys import answers as answer_check
from teilhabe.surveys import formspec, services
from teilhabe.surveys.models import Survey, SurveyVersion

INTERVIEW = "surveys.interview"
MAX_SUBMISSION = 10 * 1024 * 1024
NS = "http://openrosa.org/xforms/xformsList"


def _reply(body: str, status: int = 200, content_type: str = "text/xml; charset=utf-8") -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    response["X-OpenRosa-Version"] = "1.0"
    return response


def _message(text: str, status: int, nature: str = "") -> HttpResponse:
    attr = f' nature="{nature}"' if nature else ""
    body = ('<OpenRosaResponse xmlns="http://openrosa.org/http/response">'
            f"<message{attr}>{escape(text)}</message></OpenRosaResponse>")  # fmt: skip
    return _reply(body, status)


def _unauthorized() -> HttpResponse:
    response = _message("Bitte als Interviewerin oder Interviewer anmelden oder einen Zugangscode verwenden.", 401)
    response["WWW-Authenticate"] = 'Basic realm="Teilhabe Befragungen"'
    return response


def _interviewer(request: HttpRequest, survey: Survey) -> Any:
    """The user of a valid HTTP Basic login with ``surveys.interview`` for the survey, else None."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        username, _sep, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    user = authenticate(request, username=username, password=password)
    if user is None or not has_permission(user, INTERVIEW, survey.owner):
        return None
    return user


def _access(request: HttpRequest, slug: str, code: str) -> tuple[Survey, SurveyVersion, Any] | HttpResponse:
    survey = get_object_or_404(Survey.objects.public().select_related("owner"), slug=slug)
    version = survey.current_version
    if version is None:
        raise Http404
    if code:
        if not services.code_is_valid(survey, code):
            return _message("Der Zugangscode ist ungültig oder wurde schon verwendet.", 403)
        return survey, version, None
    user = _interviewer(request, survey)
    if user is None:
        return _unauthorized()
    return survey, version, user


def form_list(request: HttpRequest, slug: str, code: str = "") -> HttpResponse:
    access = _access(request, slug, code)
    if isinstance(access, HttpResponse):
        return access
    survey, version, _user = access
    args = [slug, version.number] if not code else [slug, code, version.number]
    url = request.build_absolute_uri(
        reverse("surveys:openrosa_form" if not code else "surveys:openrosa_form_code", args=args)
    )
    digest = hashlib.md5(version.xform.encode("utf-8"), usedforsecurity=False).hexdigest()
    body = (f'<?xml version="1.0" encoding="UTF-8"?><xforms xmlns="{NS}"><xform>'
            f"<formID>{escape(version.form.get('id_string') or slug)}</formID><name>{escape(survey.title)}</name>"
            f"<version>{escape(str(version.form.get('version') or ''))}</version><hash>md5:{digest}</hash>"
            f"<downloadUrl>{escape(url)}</downloadUrl></xform></xforms>")  # fmt: skip
    return _reply(body)


def form_download(request: HttpRequest, slug: str, number: int, code: str = "") -> HttpResponse:
    access = _access(request, slug, code)
    if isinstance(access, HttpResponse):
        return access
    _survey, version, _user = access
    if version.number != number:
        raise Http404  # only the current version is collected
    return _reply(version.xform)


def raw_values(spec: formspec.Spec, root: ET.Element) -> dict[str, list[str]]:
    """An XForm instance → the raw values a web form posts (``answers.check``'s input): per question key a
    list of strings (select_multiple split on spaces), per repeat ``<key>.count`` and ``<key>.<i>.<rel>``."""

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    def find(node: ET.Element, rel: str) -> ET.Element | None:
        found: ET.Element | None = node
        for part in rel.split("/"):
            found = next((child for child in found if local(child.tag) == part), None) if found is not None else None
        return found

    def values_of(question: formspec.Question, element: ET.Element | None) -> list[str]:
        value = (element.text or "").strip() if element is not None else ""
        if not value:
            return []
        return value.split() if question.multiple else [value]

    raw: dict[str, list[str]] = {}
    for question in spec.questions():
        raw[question.key] = values_of(question, find(root, question.key))
    for repeat in spec.repeats():
        parent = find(root, repeat.key.rpartition("/")[0]) if "/" in repeat.key else root
        entries = [child for child in (parent if parent is not None else []) if local(child.tag) == repeat.name]
        entries = entries[: repeat.limit]
        raw[f"{repeat.key}.count"] = [str(len(entries))]
        for index, entry in enumerate(entries):
            for question in repeat.questions():
                raw[answer_check.repeat_field(repeat, index, question)] = values_of(
                    question, find(entry, repeat.relative(question.key))
                )
    return raw


@csrf_exempt
def submission(request: HttpRequest, slug: str, code: str = "") -> HttpResponse:
    access = _access(request, slug, code)
    if isinstance(access, HttpResponse):
        return access
    survey, version, user = access
    if request.method == "HEAD" or (request.method == "GET"):
        response = _reply("", 204)
        response["X-OpenRosa-Accept-Content-Length"] = str(MAX_SUBMISSION)
        return response
    if request.method != "POST":
        return _message("Nur HEAD oder POST.", 405)
    upload = request.FILES.get("xml_submission_file")
    if upload is None or (upload.size or 0) > MAX_SUBMISSION:
        return _message("Es fehlt die Datei „xml_submission_file“ (höchstens 10 MB).", 400)
    try:
        root = SafeET.fromstring(upload.read())
    except (ET.ParseError, ValueError) as error:
        return _message(f"Die Einsendung ist kein gültiges XML: {error}", 400)
    form_id = str(version.form.get("id_string") or "")
    if form_id and root.get("id") != form_id:
        return _message(f"Die Einsendung gehört nicht zu diesem Fragebogen (erwartet id=„{form_id}“).", 400)
    spec = formspec.build(version.form)
    raw = raw_values(spec, root)
    language = next((lang for lang in version.languages if lang["code"] == "de"), version.languages[0])
    checked = answer_check.check(spec, lambda key: raw.get(key, []), language["key"])
    if checked.errors:
        problems = "; ".join(f"{key}: {message}" for key, message in sorted(checked.errors.items()))
        return _message(f"Die Einsendung wurde nicht gespeichert: {problems}", 400, "submit_error")
    try:
        services.response_submit(
            survey, version, language="und", answers=checked.answers, complete=checked.complete,
            code=code, interviewer=user,
        )  # fmt: skip
    except services.SurveyStateError as error:
        return _message(str(error), 403)
    return _message("Vielen Dank, die Antworten sind gespeichert.", 201, "submit_success")
