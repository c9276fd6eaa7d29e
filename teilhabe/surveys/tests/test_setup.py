"""Staff screens for weighting margins, Gemeinde groups and monitoring inputs: permission, validation, audit."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.roles import Role
from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import login_verified, make_user
from teilhabe.regions.models import Gemeinde
from teilhabe.surveys.models import Survey

pytestmark = pytest.mark.django_db


def _url(survey: Survey, part: str = "") -> str:
    if part:
        return reverse("surveys_staff:setup_part", args=[survey.pk, part])
    return reverse("surveys_staff:setup", args=[survey.pk])


def _groups_text() -> tuple[str, list[str]]:
    gemeinden = list(Gemeinde.objects.filter(kreis_id=settings.TEILHABE_KREIS).order_by("name"))
    towns, rest = gemeinden[:2], gemeinden[2:]
    text = (
        f"stadt | Städte | {'; '.join(g.name for g in towns)}\n"
        f"land | übrige Gemeinden | {'; '.join(g.ags for g in rest)}"
    )
    return text, [g.ags for g in towns]


def test_gemeinde_groups_are_set_on_the_screen_and_audited(regions, survey: Survey, client: Client) -> None:  # type: ignore[no-untyped-def]
    login_verified(client, survey.staff)  # type: ignore[attr-defined]
    page = client.get(_url(survey)).content.decode()
    assert "Gemeindegruppen" in page and 'name="g-groups"' in page and 'name="w-margin_altersgruppe"' in page
    text, towns = _groups_text()
    response = client.post(_url(survey, "gemeindegruppen"), {"g-groups": text})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.gemeinde_groups["stadt"] == {"label": "Städte", "ags": towns}
    assert len(survey.gemeinde_groups["land"]["ags"]) > 0
    event = AuditEvent.objects.filter(object_type="surveys.survey", object_id=str(survey.pk)).latest("id")
    assert event.action == "update" and "gemeinde_groups" in str(event.changed_fields)


def test_gemeinde_groups_reject_unknown_double_and_missing_gemeinden_in_german(
    regions, survey: Survey, client: Client
) -> None:  # type: ignore[no-untyped-def]
    login_verified(client, survey.staff)  # type: ignore[attr-defined]
    first = Gemeinde.objects.filter(kreis_id=settings.TEILHABE_KREIS).order_by("name").first()
    assert first is not None
    bad = f"stadt | Städte | {first.name}; Atlantis\nland | Land | {first.ags}\nFALSCH"
    response = client.post(_url(survey, "gemeindegruppen"), {"g-groups": bad})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Zeile 1: „Atlantis“ ist keine Gemeinde des Kreises." in page
    assert f"Zeile 2: „{first.ags}“ steht schon in Zeile 1." in page
    assert "Zeile 3: erwartet „Kürzel | Bezeichnung | Gemeinden“." in page
    assert 'id="g-error-summary"' in page  # the one form path: error summary with links
    response = client.post(_url(survey, "gemeindegruppen"), {"g-groups": f"stadt | Städte | {first.name}"})
    assert "Ohne Gruppe:" in response.content.decode()
    survey.refresh_from_db()
    assert survey.gemeinde_groups == {}


def test_weighting_margins_are_checked_against_the_questions_codes(regions, survey: Survey, client: Client) -> None:  # type: ignore[no-untyped-def]
    login_verified(client, survey.staff)  # type: ignore[attr-defined]
    base = {"w-trim_lower": "0,3", "w-trim_upper": "4"}
    # sex question for the age margin; Gemeinde group before groups exist; the same question twice
    response = client.post(_url(survey, "gewichtung"), {**base, "w-margin_altersgruppe": "geschlecht",
                                                         "w-margin_gemeindegruppe": "gemeindegruppe",
                                                         "w-margin_geschlecht": "geschlecht"})  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "Der Frage fehlen die Antwortcodes 18-25, 25-65, 65+ dieser Randverteilung." in page
    assert "Bitte zuerst die Gemeindegruppen festlegen." in page
    assert "Diese Frage ist schon mit „Altersgruppe“ verbunden." in page
    response = client.post(
        _url(survey, "gewichtung"), {**base, "w-trim_upper": "0,9", "w-margin_altersgruppe": "altersgruppe"}
    )
    assert "Obere Kappungsgrenze" in response.content.decode() and response.status_code == 400
    client.post(_url(survey, "gemeindegruppen"), {"g-groups": _groups_text()[0]})
    response = client.post(_url(survey, "gewichtung"), {**base, "w-margin_altersgruppe": "altersgruppe",
                                                         "w-margin_geschlecht": "geschlecht",
                                                         "w-margin_staatsangehoerigkeitsgruppe": "staatsangehoerigkeit",
                                                         "w-margin_gemeindegruppe": "gemeindegruppe"})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    survey.refresh_from_db()
    assert survey.weighting == {"altersgruppe": "altersgruppe", "geschlecht": "geschlecht",
                                "staatsangehoerigkeitsgruppe": "staatsangehoerigkeit", "gemeindegruppe": "gemeindegruppe"}  # fmt: skip
    assert (survey.trim_lower, survey.trim_upper) == (0.3, 4.0)


def test_monitoring_inputs_name_question_and_existing_answer_codes(regions, survey: Survey, client: Client) -> None:  # type: ignore[no-untyped-def]
    login_verified(client, survey.staff)  # type: ignore[attr-defined]
    response = client.post(_url(survey, "monitoring"), {"m-umf_zugehoerigkeit_top2__question": "zugehoerigkeit",
                                                        "m-umf_zugehoerigkeit_top2__values": "4, 9",
                                                        "m-umf_diskriminierung_12m__values": "ja"})  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "Die Frage hat keine Antwort mit dem Code 9." in page
    assert "Bitte die Frage zu den Antwortcodes wählen." in page
    response = client.post(_url(survey, "monitoring"), {"m-umf_zugehoerigkeit_top2__question": "zugehoerigkeit",
                                                        "m-umf_zugehoerigkeit_top2__values": "4,5",
                                                        "m-umf_diskriminierung_12m__question": "diskriminierung",
                                                        "m-umf_diskriminierung_12m__values": "ja"})  # fmt: skip
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.indicator_inputs == {"umf_zugehoerigkeit_top2": {"question": "zugehoerigkeit", "values": ["4", "5"]},
                                       "umf_diskriminierung_12m": {"question": "diskriminierung", "values": ["ja"]}}  # fmt: skip


def test_setup_screens_need_the_manage_permission(regions, survey: Survey, client: Client, personas) -> None:  # type: ignore[no-untyped-def]
    interviewer = make_user("gemeinde", personas.org_a, Role.GEMEINDE)
    login_verified(client, interviewer)
    assert client.get(_url(survey)).status_code == 403
    assert client.post(_url(survey, "gemeindegruppen"), {"g-groups": "x | y | z"}).status_code == 403


def test_bef_values_per_gemeinde_group_with_interval_and_disclosure(survey: Survey, client: Client) -> None:
    from teilhabe.surveys import results
    from teilhabe.surveys.models import Response

    version = survey.current_version
    rows = []
    # stadt: 40 respondents, 12 report discrimination; land: 25, 3 do (a cell below k); dorf: 6 (below k)
    for group, n, yes in (("stadt", 40, 12), ("land", 25, 3), ("dorf", 6, 1)):
        for i in range(n):
            rows.append(Response(survey=survey, version=version, language="de", submitted_on="2026-10-01", weight=1.0,
                                 answers={"gemeindegruppe": group, "diskriminierung": "ja" if i < yes else "nein",
                                          "zugehoerigkeit": "4" if i % 2 else "2"}))  # fmt: skip
    Response.objects.bulk_create(rows)
    survey.weighting = {"gemeindegruppe": "gemeindegruppe"}
    survey.gemeinde_groups = {g: {"label": g.title(), "ags": []} for g in ("stadt", "land", "dorf")}
    survey.indicator_inputs = {"umf_zugehoerigkeit_top2": {"question": "zugehoerigkeit", "values": ["4", "5"]},
                               "umf_diskriminierung_12m": {"question": "diskriminierung", "values": ["ja"]}}  # fmt: skip
    survey.save()
    by_code = {row.code: row for row in results.group_values(survey, 10)}
    stadt = by_code["stadt"]
    assert stadt.respondents.value == 40 and not stadt.respondents.suppressed
    belonging, discrimination = stadt.values
    assert belonging.percent is not None and belonging.percent[0] == pytest.approx(50.0)
    assert discrimination.percent is not None and discrimination.percent[0] == pytest.approx(30.0)
    assert discrimination.percent[1] < 30.0 < discrimination.percent[2]  # 95 % interval around the share
    assert by_code["dorf"].respondents.suppressed and all(v.percent is None for v in by_code["dorf"].values)
    # land: 3 of 25 is a cell below k, so its share is withheld; so is one more group's (secondary suppression)
    assert by_code["land"].values[1].percent is None
    assert by_code["land"].respondents.suppressed  # the Kreis total minus stadt would reveal dorf otherwise
    login_verified(client, survey.staff)  # type: ignore[attr-defined]
    page = client.get(reverse("surveys_staff:results", args=[survey.pk])).content.decode()
    assert "Monitoring-Werte je Gemeindegruppe" in page and "30,0 (" in page


def test_every_survey_staff_string_has_an_english_translation() -> None:
    import re
    from pathlib import Path

    from django.utils import translation

    po = (Path(__file__).parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    msgids = [m.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
              for m in re.findall(r'^msgid "(.+)"$', po, re.M)]  # fmt: skip
    assert len(msgids) > 150
    with translation.override("en"):
        untranslated = [m for m in msgids if "%" not in m and translation.gettext(m) == m and m not in {
            "XLSForm (.xlsx)", "Codes", "Online", "Interview", "Export", "PDF", "Status", "Format", "Code", "Organisation"}]  # fmt: skip
        assert untranslated == []
        assert translation.gettext("Monitoring-Eingänge speichern") == "Save monitoring inputs"
