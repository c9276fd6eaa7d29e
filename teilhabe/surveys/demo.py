"""Demo survey: the seven-language questionnaire in the field, ~1,500 synthetic responses drawn from the
demo register's adult foreign population (age band, sex, nationality group, Gemeinde group), with a
deliberate response bias (younger people and the towns answer more often), raked back to the register
margins, feeding BEF-01/BEF-02 through the survey source."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from teilhabe.lib.formats import format_number
from teilhabe.surveys import demo_form, services
from teilhabe.surveys.models import Response, Survey
from teilhabe.surveys.weighting import WeightingError

SLUG = "leben-im-landkreis"
N = 1500
YEAR = 2024


def _population(district: Any) -> tuple[list[tuple[dict[str, str], float]], dict[str, dict[str, Any]]]:
    """(cells of the adult foreign population with their size, Gemeinde groups) from the demo register."""
    from teilhabe.population import selectors
    from teilhabe.surveys.margins import ADULT_BANDS

    gemeinden = list(
        district.kreis.gemeinden.order_by(
            "-einwohner" if hasattr(district.kreis.gemeinden.model, "einwohner") else "name"
        )
    )
    towns = [g.ags for g in gemeinden if "stadt" in (g.typ or "").lower()] or [
        g.ags for g in gemeinden[: max(1, len(gemeinden) // 5)]
    ]
    groups = {
        "stadt": {"label": "Städte", "ags": towns},
        "land": {"label": "übrige Gemeinden", "ags": [g.ags for g in gemeinden if g.ags not in towns]},
    }
    cells: list[tuple[dict[str, str], float]] = []
    stichtage = selectors.stichtage()
    if stichtage:
        for row in selectors.counts(stichtage[0], "gemeinde", "alter_staatsangehoerigkeit"):
            band, group = row.category.split("|")[0], row.category.split("|")[-1]
            if band not in ADULT_BANDS or group == "deutsch":
                continue
            place = "stadt" if row.area in towns else "land"
            for sex, count in (("m", row.male), ("w", row.female), ("x", row.other)):
                if count:
                    cells.append(
                        (
                            {
                                "altersgruppe": band,
                                "geschlecht": sex,
                                "staatsangehoerigkeit": group,
                                "gemeindegruppe": place,
                            },
                            float(count),
                        )
                    )
    if not cells:  # no register import: a plausible fixed structure
        for band, b in (("18-25", 0.2), ("25-65", 0.7), ("65+", 0.1)):
            for sex, s in (("m", 0.55), ("w", 0.44), ("x", 0.01)):
                for group, n in (("eu27", 0.3), ("ukraine", 0.25), ("europa", 0.15), ("asyl8", 0.2), ("sonstige", 0.1)):
                    for place, p in (("stadt", 0.6), ("land", 0.4)):
                        cells.append(
                            (
                                {
                                    "altersgruppe": band,
                                    "geschlecht": sex,
                                    "staatsangehoerigkeit": group,
                                    "gemeindegruppe": place,
                                },
                                1000 * b * s * n * p,
                            )
                        )
    return cells, groups


LANGUAGE_OF = {
    "ukraine": ["uk", "uk", "ru"],
    "asyl8": ["ar", "ar", "fa", "de"],
    "europa": ["tr", "ru", "de"],
    "eu27": ["de", "en"],
    "sonstige": ["en", "de", "fa"],
}


def _answers(rng: random.Random, person: dict[str, str]) -> tuple[str, dict[str, Any]]:
    group = person["staatsangehoerigkeit"]
    language = rng.choice(LANGUAGE_OF.get(group, ["de"]))
    years = rng.randint(0, 4) if group in {"ukraine", "asyl8"} else rng.randint(1, 30)
    works = rng.random() < (0.35 if years < 3 else 0.65) and person["altersgruppe"] != "65+"
    german = rng.choices(["keine", "a", "b", "c"], weights=[max(1, 6 - years), 5, 3 + years // 3, 1 + years // 5])[0]
    belonging = rng.choices(
        ["1", "2", "3", "4", "5"], weights=[1, 2, 4, 5 + (years > 5) * 2, 3 + (person["gemeindegruppe"] == "stadt")]
    )[0]
    answers: dict[str, Any] = {
        **person,
        "jahre": str(years),
        "arbeit": "ja" if works else "nein",
        "familie": rng.choice(["ja", "ja", "nein"]),
        "wohnen": rng.choices(["wohnung", "gu", "sonstige"], weights=[7, 2 if years < 3 else 0.3, 1])[0],
        "deutsch": german,
        "anerkennung": rng.choice(["ja", "laeuft", "nein", "keiner"]),
        "zugehoerigkeit": belonging,
        "diskriminierung": "ja" if rng.random() < (0.3 if group == "asyl8" else 0.15) else "nein",
        "bleiben": rng.choices(["ja", "nein", "weiss_nicht"], weights=[6, 1, 3])[0],
    }
    if works:
        answers["stunden"] = str(rng.choice([20, 25, 30, 35, 38, 40]))
    spoken = sorted({language, "de"} if german in {"b", "c"} else {language})
    answers["sprachen"] = spoken
    if len(spoken) > 1:
        answers["hauptsprache"] = language
    return language, answers


def build_demo(district: Any) -> None:
    if Survey.objects.filter(slug=SLUG).exists():
        district.notes.append(f"Befragung: Demo-Befragung war bereits vorhanden (/umfragen/{SLUG}/).")
        return
    owner = district.organisations["landkreis"]
    user = district.users.get("koordination")
    survey = services.survey_create(user, owner=owner, title="Leben im Landkreis 2024", slug=SLUG, year=YEAR)
    services.version_upload(user, survey, file_name="leben-im-landkreis.xlsx", data=demo_form.workbook_bytes())
    services.survey_open(user, survey)
    cells, groups = _population(district)
    rng = random.Random("teilhabe-demo-survey")
    # Response bias: younger people and town residents answer more often; raking corrects it.
    bias = [
        w * (1.6 if c["altersgruppe"] == "18-25" else 1.0) * (1.4 if c["gemeindegruppe"] == "stadt" else 0.8)
        for c, w in cells
    ]
    people = rng.choices([c for c, _w in cells], weights=bias, k=N)
    start = date(YEAR, 10, 1)
    rows = []
    for person in people:
        language, answers = _answers(rng, dict(person))
        rows.append(Response(survey=survey, version=survey.current_version, language=language, answers=answers,
                             submitted_on=start + timedelta(days=rng.randint(0, 41)),
                             mode=Response.Mode.INTERVIEW if answers["wohnen"] == "gu" and rng.random() < 0.5 else Response.Mode.WEB,
                             interviewer=user if answers["wohnen"] == "gu" else None))  # fmt: skip
    Response.objects.bulk_create(rows)
    # Openings of the form: about one in four visitors leaves without sending (synthetic counter).
    from collections import Counter

    from teilhabe.surveys.models import FormOpening

    web = Counter((r.language, r.submitted_on) for r in rows if r.mode == Response.Mode.WEB)
    FormOpening.objects.bulk_create(
        [
            FormOpening(survey=survey, language=lang, day=day, count=n + rng.randint(0, n // 2 + 1))
            for (lang, day), n in web.items()
        ]
    )
    services.survey_update(
        user, survey,
        weighting={"altersgruppe": "altersgruppe", "geschlecht": "geschlecht", "staatsangehoerigkeitsgruppe": "staatsangehoerigkeit", "gemeindegruppe": "gemeindegruppe"},
        gemeinde_groups=groups,
        indicator_inputs={"umf_zugehoerigkeit_top2": {"question": "zugehoerigkeit", "values": ["4", "5"]},
                          "umf_diskriminierung_12m": {"question": "diskriminierung", "values": ["ja"]}},
    )  # fmt: skip
    # The indicators demo enters synthetic agency aggregates for the umf_* keys; for the survey year the
    # survey itself is the source (an agency value would outrank it), so those give way.
    from teilhabe.indicators.models import AgencyValue
    from teilhabe.surveys.source import KEYS

    AgencyValue.objects.filter(is_synthetic=True, source_key__in=KEYS, year=YEAR).delete()
    try:
        report = services.survey_weight(user, survey)
        note = f"gewichtet (Designeffekt {format_number(report['design_effect'], 2)})"
    except WeightingError as error:
        note = f"nicht gewichtet: {error}"
    district.notes.append(
        f"Befragung: „{survey.title}“ in 7 Sprachen mit {N} synthetischen Antworten, {note} (/umfragen/{SLUG}/)."
    )
