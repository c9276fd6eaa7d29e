"""Repeats (web form, checks, storage, export) and the OpenRosa endpoints, on pyxform's own example form."""

from __future__ import annotations

import base64
import os
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.roles import Role
from teilhabe.core.testing import login_verified, make_user
from teilhabe.surveys import services
from teilhabe.surveys.models import Response, Survey
from teilhabe.surveys.tests.examples import SPEC_TEST, repeat_form

pytestmark = pytest.mark.django_db

REQUIRED = "repeat_test.{i}.group_test/required_text"
MULTI = "repeat_test.{i}.group_test/select_multiple_test"


@pytest.fixture
def repeat_survey(personas):  # type: ignore[no-untyped-def]
    if not SPEC_TEST.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"XLSForm-Beispiel fehlt: {SPEC_TEST} (unter CI=true Pflicht).")
        pytest.skip(f"XLSForm-Beispiel fehlt: {SPEC_TEST}")
    staff = make_user("koordination", personas.org_a, Role.KOORDINATION)
    survey = services.survey_create(staff, owner=personas.org_a, title="Spec test", slug="spec", year=2026)
    services.version_upload(staff, survey, file_name="spec.xlsx", data=repeat_form())
    services.survey_open(staff, survey)
    survey.staff = staff  # type: ignore[attr-defined]
    return survey


def test_web_form_adds_repeat_entries_checks_each_and_stores_a_list(repeat_survey: Survey, client: Client) -> None:
    url = reverse("surveys:form", args=["spec", "en"])
    page = client.get(url).content.decode()
    assert 'name="repeat_test.count" value="1"' in page and 'name="_add" value="repeat_test"' in page
    page = client.post(url, {"my_name": "Ana", "repeat_test.count": "1", REQUIRED.format(i=0): "eins",
                             "_add": "repeat_test"}).content.decode()  # fmt: skip
    assert 'name="repeat_test.count" value="2"' in page and 'value="eins"' in page  # kept, one more entry
    bad = {"my_name": "Ana", "repeat_test.count": "2", REQUIRED.format(i=0): "eins", MULTI.format(i=0): ["yes", "no"],
           MULTI.format(i=1): "yes"}  # fmt: skip
    response = client.post(url, bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "you can&#x27;t select yes and no." in page  # the form's own constraint message, entry 1
    assert 'href="#q-repeat_test_0_group_test__select_multiple_test-input"' in page
    assert "Custom required message." in page  # entry 2 misses its required text
    assert Response.objects.count() == 0
    good = {**bad, MULTI.format(i=0): "no", REQUIRED.format(i=1): "zwei"}
    assert client.post(url, good).status_code == 302
    stored = Response.objects.get().answers
    assert stored["my_name"] == "Ana"
    assert stored["repeat_test"] == [
        {"group_test/required_text": "eins", "group_test/select_multiple_test": ["no"]},
        {"group_test/required_text": "zwei", "group_test/select_multiple_test": ["yes"]},
    ]


def test_export_has_a_long_sheet_per_repeat(repeat_survey: Survey, client: Client) -> None:
    from openpyxl import load_workbook

    version = repeat_survey.current_version
    assert version is not None
    Response.objects.create(survey=repeat_survey, version=version, language="en", submitted_on="2026-10-01",
                            answers={"my_name": "x", "repeat_test": [
                                {"group_test/required_text": "a", "group_test/select_multiple_test": ["yes"]},
                                {"group_test/required_text": "b", "group_test/select_multiple_test": ["no"]}]})  # fmt: skip
    login_verified(client, repeat_survey.staff)  # type: ignore[attr-defined]
    response = client.get(reverse("surveys_staff:export", args=[repeat_survey.pk]),
                          {"language": "English (en)", "labels": "codes", "format": "xlsx"})  # fmt: skip
    book = load_workbook(BytesIO(response.content))
    rows = list(book["Repeat Test"].iter_rows(values_only=True))  # titled by lib.exports.sheet_title
    # Open text stays out without surveys.open_text, as in the main sheet.
    assert rows[0][:3] == ("antwort_nr", "angabe_nr", "repeat_test/group_test/select_multiple_test")
    assert "repeat_test/group_test/required_text" not in rows[0]
    assert [r[:3] for r in rows[1:3]] == [(1, 1, "yes"), (1, 2, "no")]


def _instance(survey: Survey, entries: list[tuple[str, str]]) -> bytes:
    version = survey.current_version
    assert version is not None
    root, form_id = version.form["name"], version.form["id_string"]
    repeats = "".join(
        f"<repeat_test><group_test><required_text>{text}</required_text>"
        f"<select_multiple_test>{multi}</select_multiple_test></group_test></repeat_test>"
        for text, multi in entries
    )
    return (f'<?xml version="1.0"?><{root} id="{form_id}"><my_name>Odk</my_name>{repeats}'
            f"<meta><instanceID>uuid:1</instanceID></meta></{root}>").encode()  # fmt: skip


def _submit(client: Client, url: str, xml: bytes, **extra: Any):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("submission.xml", xml, content_type="text/xml")
    return client.post(url, {"xml_submission_file": upload}, HTTP_X_OPENROSA_VERSION="1.0", **extra)


def test_openrosa_form_list_download_and_submission_with_a_one_time_code(repeat_survey: Survey, client: Client) -> None:
    assert client.get(reverse("surveys:openrosa_list", args=["spec"])).status_code == 401  # no login, no code
    (code,) = services.codes_generate(repeat_survey.staff, repeat_survey, count=1, language="en")  # type: ignore[attr-defined]
    listing = client.get(reverse("surveys:openrosa_list_code", args=["spec", code.code]))
    assert listing.status_code == 200 and listing["X-OpenRosa-Version"] == "1.0"
    body = listing.content.decode()
    assert "<formID>spec_test_repeat</formID>" in body and "<hash>md5:" in body
    form = client.get(reverse("surveys:openrosa_form_code", args=["spec", code.code, 1]))
    assert form.status_code == 200 and "<h:html" in form.content.decode()
    submit = reverse("surveys:openrosa_submission_code", args=["spec", code.code])
    head = client.head(submit)
    assert head.status_code == 204 and head["X-OpenRosa-Accept-Content-Length"]
    bad = _submit(client, submit, _instance(repeat_survey, [("a", "yes no")]))
    assert bad.status_code == 400 and "nicht gespeichert" in bad.content.decode()
    assert (
        "you can&#x27;t select yes and no" in bad.content.decode() or "can't select yes and no" in bad.content.decode()
    )
    ok = _submit(client, submit, _instance(repeat_survey, [("a", "yes"), ("b", "no")]))
    assert ok.status_code == 201 and "submit_success" in ok.content.decode()
    stored = Response.objects.get()
    assert stored.answers["repeat_test"][1] == {
        "group_test/required_text": "b",
        "group_test/select_multiple_test": ["no"],
    }
    assert stored.interviewer is None and stored.mode == Response.Mode.WEB
    again = _submit(client, submit, _instance(repeat_survey, [("c", "yes")]))
    assert again.status_code == 403  # the code is used up


def test_openrosa_submission_by_an_interviewer_login(repeat_survey: Survey, client: Client, personas) -> None:  # type: ignore[no-untyped-def]
    interviewer = make_user("interviewer", personas.org_a, Role.GEMEINDE)
    interviewer.set_password("geheim-Passwort-1")
    interviewer.save()
    outsider = make_user("fremd", personas.org_b, Role.GEMEINDE)
    outsider.set_password("geheim-Passwort-1")
    outsider.save()

    def auth(user: object) -> str:
        return "Basic " + base64.b64encode(f"{user.username}:geheim-Passwort-1".encode()).decode()  # type: ignore[attr-defined]

    url = reverse("surveys:openrosa_submission", args=["spec"])
    assert (
        _submit(client, url, _instance(repeat_survey, [("a", "yes")]), HTTP_AUTHORIZATION=auth(outsider)).status_code
        == 401
    )
    response = _submit(client, url, _instance(repeat_survey, [("a", "yes")]), HTTP_AUTHORIZATION=auth(interviewer))
    assert response.status_code == 201
    stored = Response.objects.get()
    assert stored.interviewer == interviewer and stored.mode == Response.Mode.INTERVIEW
