"""Web form, anonymity, versions, access scoping, disclosure, weighting."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.roles import Role
from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import login_verified, make_user
from teilhabe.lib.disclosure import SUPPRESSED_MARK
from teilhabe.surveys import demo_form, formspec, results, services, weighting
from teilhabe.surveys.models import AccessCode, Response, Survey

pytestmark = pytest.mark.django_db

ANSWERS = {
    "altersgruppe": "25-65",
    "geschlecht": "w",
    "staatsangehoerigkeit": "asyl8",
    "gemeindegruppe": "stadt",
    "jahre": "5",
    "arbeit": "nein",
    "deutsch": "b",
    "zugehoerigkeit": "4",
    "diskriminierung": "nein",
}


def _post(client: Client, lang: str, answers: Mapping[str, Any], **extra: Any):  # type: ignore[no-untyped-def]
    return client.post(reverse("surveys:form", args=["leben", lang]), answers, REMOTE_ADDR="203.0.113.77",
                       HTTP_USER_AGENT="Mozilla/5.0 TestAgent/9.9", **extra)  # fmt: skip


def test_form_sets_direction_per_language_not_from_the_first_question(survey: Survey, client: Client) -> None:
    page = client.get(reverse("surveys:form", args=["leben", "ar"])).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "إرسال الإجابات" in page and "Antworten absenden" not in page  # the platform's own strings too
    page = client.get(reverse("surveys:form", args=["leben", "uk"])).content.decode()
    assert '<html lang="uk" dir="ltr">' in page and "Скільки вам років?" in page


def test_a_response_leaves_no_ip_address_or_user_agent_in_the_database(survey: Survey, client: Client) -> None:
    response = _post(client, "ar", ANSWERS)
    assert response.status_code == 302
    assert Response.objects.count() == 1
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names from introspection
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                assert "203.0.113.77" not in text, table
                assert "TestAgent" not in text, table
    assert set(client.cookies) <= {"csrftoken"}


def test_server_checks_constraint_required_and_skip_logic(survey: Survey, client: Client) -> None:
    bad = {**ANSWERS, "jahre": "120", "arbeit": "ja"}  # constraint broken, stunden now relevant and required
    response = _post(client, "uk", bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Введіть число від 0 до 80." in page  # the form's own Ukrainian constraint message
    assert 'id="error-summary"' in page and 'href="#q-jahre-input"' in page and 'href="#q-stunden-input"' in page
    assert Response.objects.count() == 0
    # Irrelevant answers are dropped: "stunden" given although "arbeit" = nein.
    assert _post(client, "uk", {**ANSWERS, "stunden": "30"}).status_code == 302
    assert "stunden" not in Response.objects.get().answers


def test_choice_filter_is_checked_on_the_server(survey: Survey, client: Client) -> None:
    answers = {**ANSWERS, "sprachen": ["ar", "de"], "hauptsprache": "ru"}
    assert _post(client, "de", answers).status_code == 400
    assert _post(client, "de", {**answers, "hauptsprache": "ar"}).status_code == 302
    assert Response.objects.get().answers["sprachen"] == ["ar", "de"]


def test_a_version_in_the_field_is_frozen_and_an_upload_makes_a_new_one(survey: Survey) -> None:
    first = survey.current_version
    assert first is not None and first.frozen
    second = services.version_upload(survey.staff, survey, file_name="v2.xlsx", data=demo_form.workbook_bytes())  # type: ignore[attr-defined]
    assert second.number == 2 and second.frozen
    first.refresh_from_db()
    assert first.number == 1


def test_one_time_code_is_used_up_and_not_linked_to_the_response(survey: Survey, client: Client) -> None:
    services.survey_update(survey.staff, survey, access=Survey.Access.CODES)  # type: ignore[attr-defined]
    code = services.codes_generate(survey.staff, survey, count=2, language="ar")[0].code  # type: ignore[attr-defined]
    assert _post(client, "ar", ANSWERS).status_code == 400
    assert _post(client, "ar", {**ANSWERS, "_code": code}).status_code == 302
    assert _post(client, "ar", {**ANSWERS, "_code": code}).status_code == 400
    assert AccessCode.objects.get(code=code).used
    assert code not in str(Response.objects.get().answers)


def test_short_link_leads_to_the_form_in_the_letter_language(survey: Survey, client: Client) -> None:
    code = services.codes_generate(survey.staff, survey, count=1, language="fa")[0].code  # type: ignore[attr-defined]
    response = client.get(reverse("surveys:short_link", args=[code]))
    assert response.status_code == 302 and response["Location"].endswith(f"/umfragen/leben/fa/?c={code}")


def test_invitation_letters_are_a_pdf(survey: Survey, client: Client) -> None:
    services.codes_generate(survey.staff, survey, count=2, language="ar")  # type: ignore[attr-defined]
    login_verified(client, survey.staff)  # type: ignore[attr-defined]
    response = client.get(reverse("surveys_staff:letters", args=[survey.pk, 1]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", object_id=str(survey.pk)).exists()


def test_staff_routes_404_for_another_organisation(survey: Survey, personas, client: Client) -> None:  # type: ignore[no-untyped-def]
    other = make_user("fremd", personas.org_b, Role.KOORDINATION)
    login_verified(client, other)
    for name in ("detail", "results", "codes", "export", "codebook"):
        assert client.get(reverse(f"surveys_staff:{name}", args=[survey.pk])).status_code == 404, name
    login_verified(client, personas.alice)  # caseworker: no survey permission at all
    assert client.get(reverse("surveys_staff:detail", args=[survey.pk])).status_code in {403, 404}


def test_open_text_only_with_its_role(survey: Survey, personas, client: Client) -> None:  # type: ignore[no-untyped-def]
    _post(client, "de", {**ANSWERS, "anmerkung": "Meine Nachbarin Frau K. hilft mir"})
    login_verified(client, survey.staff)  # type: ignore[attr-defined]
    assert client.get(reverse("surveys_staff:open_text", args=[survey.pk])).status_code in {403, 404}
    export = client.get(
        reverse("surveys_staff:export", args=[survey.pk]),
        {"language": "Deutsch (de)", "labels": "labels", "format": "csv"},
    )
    assert export.status_code == 200 and "Frau K." not in export.content.decode("utf-8-sig")
    statistik = make_user("statistik", personas.org_a, Role.STATISTIK)
    login_verified(client, statistik)
    page = client.get(reverse("surveys_staff:open_text", args=[survey.pk]))
    assert page.status_code == 200 and "Frau K." in page.content.decode()
    assert AuditEvent.objects.filter(action="read", object_id=str(survey.pk), user=statistik).exists()


def test_staff_writes_are_audited(survey: Survey, client: Client) -> None:
    login_verified(client, survey.staff)  # type: ignore[attr-defined]
    client.post(reverse("surveys_staff:close", args=[survey.pk]))
    assert (
        AuditEvent.objects.filter(
            action="update", object_type="surveys.survey", object_id=str(survey.pk), changed_fields=["status"]
        ).count()
        >= 2
    )


def test_frequencies_suppress_cells_below_k_with_secondary_suppression(survey: Survey, client: Client) -> None:
    for i in range(25):
        sex = "w" if i < 18 else ("m" if i < 24 else "x")  # 18 / 6 / 1
        Response.objects.create(survey=survey, version=survey.versions.get(), language="de",
                                answers={**ANSWERS, "geschlecht": sex}, submitted_on="2026-11-30")  # fmt: skip
    spec = formspec.build(survey.current_version.form)  # type: ignore[union-attr]
    table = {f.key: f for f in results.frequencies(survey, spec, "Deutsch (de)", 10)}["geschlecht"]
    cells = {row.code: row for row in table.rows}
    assert cells["w"].shown == "18"
    assert cells["m"].shown == SUPPRESSED_MARK and cells["x"].shown == SUPPRESSED_MARK
    assert cells["m"].weighted_share is None
    login_verified(client, survey.staff)  # type: ignore[attr-defined]
    page = client.get(
        reverse("surveys_staff:crosstab", args=[survey.pk]), {"row": "geschlecht", "column": "arbeit"}
    ).content.decode()
    assert ">6<" not in page and ">1<" not in page


def test_raked_margins_match_known_margins_within_a_tenth_of_a_percent() -> None:
    import random

    rng = random.Random(7)
    units = [
        {
            "alter": rng.choice(["a", "a", "b", "c"]),
            "sex": rng.choice(["m", "w", "w"]),
            "gruppe": rng.choice(["x", "y", "z", "z"]),
        }
        for _ in range(1500)
    ]
    margins = {
        "alter": {"a": 5000, "b": 3000, "c": 2000},
        "sex": {"m": 5200, "w": 4800},
        "gruppe": {"x": 2500, "y": 2500, "z": 5000},
    }
    result = weighting.rake(units, margins)
    assert result.converged
    for variable, targets in margins.items():
        for category, target in targets.items():
            assert abs(result.margins[variable][category] - target) / target < 0.001
    assert 1.0 < result.design_effect < 2.0
    assert max(result.weights) / (sum(result.weights) / len(result.weights)) <= 5.0 + 1e-9


def test_weighted_share_has_a_confidence_interval() -> None:
    share = weighting.share([True] * 30 + [False] * 70)
    assert share.value == pytest.approx(0.3)
    assert share.low < 0.3 < share.high
    assert share.high - share.low == pytest.approx(0.18, abs=0.02)


def test_raking_refuses_a_margin_category_without_respondents() -> None:
    with pytest.raises(weighting.WeightingError, match="keine Antwort in der Kategorie"):
        weighting.rake([{"sex": "m"}], {"sex": {"m": 10, "w": 10}})


def test_interviewer_mode_records_the_interviewer_and_no_respondent(survey: Survey, personas, client: Client) -> None:  # type: ignore[no-untyped-def]
    interviewer = make_user("gemeinde", personas.org_a, Role.GEMEINDE)
    login_verified(client, interviewer)
    url = reverse("surveys_staff:interview", args=[survey.pk, "ar"])
    assert client.get(url).status_code == 200
    assert client.post(url, ANSWERS).status_code == 302
    response = Response.objects.get()
    assert response.mode == Response.Mode.INTERVIEW and response.interviewer == interviewer
    assert AuditEvent.objects.filter(
        action="create", object_type="surveys.response", user=interviewer, purpose="Interview"
    ).exists()
    other = make_user("gemeinde_b", personas.org_b, Role.GEMEINDE)
    login_verified(client, other)
    assert client.get(url).status_code == 404


def test_upload_shows_pyxform_problems_in_german_and_stores_nothing(survey: Survey, client: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from teilhabe.surveys.tests.test_xlsform import _md_workbook

    login_verified(client, survey.staff)  # type: ignore[attr-defined]
    bad = _md_workbook([["type", "name", "label::Deutsch (de)"], ["text", "a", "A"], ["geopoint", "ort", "Wo?"]])
    response = client.post(
        reverse("surveys_staff:upload", args=[survey.pk]), {"file": SimpleUploadedFile("f.xlsx", bad)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tabellenblatt „survey“, Zeile 3" in page and "Standort (geopoint)" in page
    assert survey.versions.count() == 1
    good = demo_form.workbook_bytes()
    response = client.post(
        reverse("surveys_staff:upload", args=[survey.pk]), {"file": SimpleUploadedFile("g.xlsx", good)}
    )
    assert response.status_code == 302 and survey.versions.count() == 2
    assert AuditEvent.objects.filter(object_type="surveys.surveyversion", action="create").count() == 2


def test_results_page_export_and_codebook(survey: Survey, client: Client) -> None:
    for _ in range(12):
        _post(client, "de", ANSWERS)
    login_verified(client, survey.staff)  # type: ignore[attr-defined]
    page = client.get(reverse("surveys_staff:results", args=[survey.pk])).content.decode()
    assert "Wie alt sind Sie?" in page and "<svg" in page
    xlsx = client.get(
        reverse("surveys_staff:export", args=[survey.pk]),
        {"language": "العربية (ar)", "labels": "labels", "format": "xlsx"},
    )
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    csv = client.get(
        reverse("surveys_staff:export", args=[survey.pk]),
        {"language": "Deutsch (de)", "labels": "codes", "format": "csv"},
    )
    text = csv.content.decode("utf-8-sig")
    assert "altersgruppe" in text and "25-65" in text
    codebook = client.get(reverse("surveys_staff:codebook", args=[survey.pk]), {"format": "csv"}).content.decode(
        "utf-8-sig"
    )
    assert "frage_ar" in codebook and "كم عمرك؟" in codebook
    assert AuditEvent.objects.filter(action="export", object_id=str(survey.pk)).exists()


def test_xliff_round_trip_makes_a_new_version_with_the_translation(personas, client: Client) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff = make_user("koord2", personas.org_a, Role.KOORDINATION)
    survey = services.survey_create(staff, owner=personas.org_a, title="Zwei Sprachen", slug="zwei", year=2026)
    data = demo_form.workbook_bytes([("Deutsch", "de"), ("العربية", "ar")])
    services.version_upload(staff, survey, file_name="f.xlsx", data=data)
    login_verified(client, staff)
    xlf = client.get(reverse("surveys_staff:xliff_export", args=[survey.pk]), {"ziel": "uk"}).content
    assert b'target-language="uk"' in xlf and b"Wie alt sind Sie?" in xlf and b"needs-translation" in xlf
    translated = xlf.replace(b"Wie alt sind Sie?</source><target state=\"needs-translation\" />",
                             "Wie alt sind Sie?</source><target state=\"translated\">Скільки вам років?</target>".encode())  # fmt: skip
    assert translated != xlf
    response = client.post(
        reverse("surveys_staff:xliff_import", args=[survey.pk]), {"file": SimpleUploadedFile("uk.xlf", translated)}
    )
    assert response.status_code == 302
    version = survey.versions.order_by("-number").first()
    assert version is not None and version.number == 2
    assert [lang["code"] for lang in version.languages] == ["de", "ar", "uk"]
    status = {
        s["code"]: s for s in __import__("teilhabe.surveys.staff_views", fromlist=["x"]).translation_status(version)
    }
    assert status["uk"]["filled"] == 1 and not status["uk"]["complete"] and status["de"]["complete"]


def test_an_open_margin_leaves_units_outside_it_unadjusted() -> None:
    units = [{"sex": "m"}] * 40 + [{"sex": "w"}] * 60 + [{"sex": "x"}] * 2
    result = weighting.rake(units, {"sex": {"m": 500, "w": 500}}, open_variables=frozenset({"sex"}))
    assert abs(result.margins["sex"]["m"] - 500) < 0.5 and abs(result.margins["sex"]["w"] - 500) < 0.5
    with pytest.raises(weighting.WeightingError, match="ohne Randsumme"):
        weighting.rake(units, {"sex": {"m": 500, "w": 500}})


def test_raking_with_binding_trim_bounds_converges_and_says_so() -> None:
    import random

    rng = random.Random(11)
    # Strong response bias: the young and the towns answer far more often than their share.
    units = [
        {
            "alter": rng.choices(["jung", "mittel", "alt"], [5, 4, 1])[0],
            "ort": rng.choices(["stadt", "land"], [3, 2])[0],
        }
        for _ in range(1500)
    ]
    margins = {"alter": {"jung": 2000, "mittel": 5000, "alt": 3000}, "ort": {"stadt": 4000, "land": 6000}}
    result = weighting.rake(units, margins, lower=0.3, upper=4.0)
    assert result.converged and result.max_error < 1e-4
    assert result.trimmed > 0  # the bounds were binding, the margins are still met
    mean = sum(result.weights) / len(result.weights)
    assert max(result.weights) <= 4.0 * mean * (1 + 1e-6) and min(result.weights) >= 0.3 * mean * (1 - 1e-6)


def test_raking_reports_honestly_when_bounds_make_margins_unreachable() -> None:
    units = [{"sex": "m"}] * 90 + [{"sex": "w"}] * 10
    result = weighting.rake(units, {"sex": {"m": 100, "w": 900}}, upper=2.0, max_iterations=50)
    assert not result.converged and result.max_error > 0.1
    with pytest.raises(weighting.WeightingError, match="Kappungsgrenzen"):
        weighting.rake(units, {"sex": {"m": 500, "w": 500}}, lower=1.5)
