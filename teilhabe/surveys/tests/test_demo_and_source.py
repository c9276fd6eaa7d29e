"""Demo survey raked to the register margins, and the survey source feeding BEF-01/BEF-02."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.test import override_settings

from teilhabe.accounts.roles import Role
from teilhabe.core.demo import DemoDistrict
from teilhabe.core.testing import make_user
from teilhabe.population.models import PopulationCount, RegisterImport
from teilhabe.regions.models import Kreis
from teilhabe.surveys import demo, margins
from teilhabe.surveys.models import Response, Survey
from teilhabe.surveys.results import weighted_share
from teilhabe.surveys.source import SurveySource

pytestmark = pytest.mark.django_db

GROUPS = {"eu27": 900, "europa": 700, "ukraine": 1200, "asyl8": 1500, "sonstige": 400}
BANDS = {"18-25": 0.2, "25-65": 0.7, "65+": 0.1}


@pytest.fixture
def register(regions, personas):  # type: ignore[no-untyped-def]
    """A committed register import with adult foreign counts per Gemeinde (age band × group × sex)."""
    kreis = Kreis.objects.get(ags=settings.TEILHABE_KREIS)
    gemeinden = list(kreis.gemeinden.order_by("ags")[:4])
    imp = RegisterImport.objects.create(owner=personas.landkreis, kreis_ags=kreis.ags, stichtag=date(2024, 12, 31),
                                        status=RegisterImport.Status.COMMITTED)  # fmt: skip
    totals: dict[str, list[int]] = {}
    for i, gemeinde in enumerate(gemeinden):
        for band, b in BANDS.items():
            for group, n in GROUPS.items():
                male, female, other = round(n * b * (0.3 + 0.1 * i) * 0.55), round(n * b * (0.3 + 0.1 * i) * 0.44), 12
                category = f"{band}|{group}"
                PopulationCount.objects.create(register_import=imp, stichtag=imp.stichtag, level="gemeinde", area=gemeinde.ags,
                                               dimension="alter_staatsangehoerigkeit", category=category,
                                               male=male, female=female, other=other)  # fmt: skip
                acc = totals.setdefault(category, [0, 0, 0])
                acc[0], acc[1], acc[2] = acc[0] + male, acc[1] + female, acc[2] + other
    for category, (male, female, other) in totals.items():
        PopulationCount.objects.create(register_import=imp, stichtag=imp.stichtag, level="kreis", area=kreis.ags,
                                       dimension="alter_staatsangehoerigkeit", category=category,
                                       male=male, female=female, other=other)  # fmt: skip
    return kreis, personas


@override_settings(DEMO=True)
def test_demo_survey_is_raked_to_the_register_and_feeds_bef(register, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from teilhabe.indicators.services import catalogue_sync

    kreis, personas = register
    catalogue_sync()
    district = DemoDistrict(kreis=kreis, organisations={"landkreis": personas.landkreis},
                            users={"koordination": make_user("koordination", personas.landkreis, Role.KOORDINATION)})  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        demo.build_demo(district)
    survey = Survey.objects.get(slug=demo.SLUG)
    assert survey.responses.count() == demo.N
    assert set(survey.responses.values_list("language", flat=True)) == {"de", "en", "ar", "uk", "ru", "tr", "fa"}
    report = survey.weighting_report
    assert report["converged"] and report["design_effect"] > 1.0, district.notes
    # Every weighted margin matches the register margin within 0.1 %.
    _stichtag, targets, _open = margins.register_margins(
        list(survey.weighting), k=10, gemeinde_groups=survey.gemeinde_groups
    )
    for variable, question in survey.weighting.items():
        reached: dict[str, float] = {}
        for answers, weight in survey.responses.values_list("answers", "weight"):
            reached[answers[question]] = reached.get(answers[question], 0.0) + (weight or 0.0)
        for category, target in targets[variable].items():
            assert abs(reached[category] - target) / target < 0.001, (variable, category)
    # The source delivers the weighted counts; the rate equals the weighted share.
    observations = {o.key: o for o in SurveySource().observations(keys={"umf_befragte", "umf_zugehoerigkeit_top2",
                                                                         "umf_diskriminierung_12m"}, years=None, regions=None)}  # fmt: skip
    assert observations["umf_befragte"].value == demo.N and observations["umf_befragte"].provider == "survey"
    share = weighted_share(survey, "zugehoerigkeit", ["4", "5"])
    assert observations["umf_zugehoerigkeit_top2"].value / demo.N == pytest.approx(share.value)
    assert share.low < share.value < share.high
    # Raking moved the share away from the unweighted one (the demo has a deliberate response bias).
    unweighted = (
        sum(
            1
            for a in Response.objects.filter(survey=survey).values_list("answers", flat=True)
            if a["zugehoerigkeit"] in {"4", "5"}
        )
        / demo.N
    )
    assert share.value != pytest.approx(unweighted, abs=1e-6)


def test_a_suppressed_register_margin_is_refused(register) -> None:  # type: ignore[no-untyped-def]
    PopulationCount.objects.filter(level="kreis", category="65+|sonstige").update(male=1, female=1, other=0)
    PopulationCount.objects.filter(level="kreis", category__startswith="65+").exclude(category="65+|sonstige").update(
        male=0, female=0, other=0
    )
    with pytest.raises(margins.WeightingError, match="gesperrt"):
        margins.register_margins(["altersgruppe"], k=10)


@override_settings(DEMO=True)
def test_bef_values_are_survey_based_with_interval_in_the_data_table(
    register, client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from teilhabe.indicators.models import Indicator, IndicatorValue
    from teilhabe.indicators.services import catalogue_sync

    kreis, personas = register
    catalogue_sync()
    Indicator.objects.filter(code__in=["BEF-01", "BEF-02"]).update(is_published=True)
    district = DemoDistrict(kreis=kreis, organisations={"landkreis": personas.landkreis},
                            users={"koordination": make_user("koordination", personas.landkreis, Role.KOORDINATION)})  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        demo.build_demo(district)
    value = IndicatorValue.objects.get(indicator__code="BEF-01", category="", level="kreis", year=demo.YEAR)
    assert "survey:umf_zugehoerigkeit_top2" in value.sources and "survey:umf_befragte" in value.sources
    share = weighted_share(Survey.objects.get(slug=demo.SLUG), "zugehoerigkeit", ["4", "5"])
    assert value.value == pytest.approx(100 * share.value)
    page = client.get(reverse("indicators:indicator", args=["BEF-01"]) + f"?jahr={demo.YEAR}").content.decode()
    assert "95-%-Konfidenzintervall" in page


def test_sex_margin_without_a_small_divers_category_still_rakes(register) -> None:  # type: ignore[no-untyped-def]
    PopulationCount.objects.filter(level="kreis").update(other=0)
    PopulationCount.objects.filter(level="kreis", category="25-65|asyl8").update(other=3)  # below k
    _stichtag, targets, open_margins = margins.register_margins(["geschlecht"], k=10)
    assert set(targets["geschlecht"]) == {"m", "w"} and open_margins == {"geschlecht"}
