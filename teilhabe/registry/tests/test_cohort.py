"""Cohort monitoring (DP-41, DP-42): pseudonymised store, coarse dates, disclosure control."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from teilhabe.accounts.roles import Role
from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import make_user
from teilhabe.registry import services
from teilhabe.registry.cohort import build_extract, cohort_table, pseudonym
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import Case, CohortRecord, EventKind
from teilhabe.registry.tests.conftest import SEEDED_NAME, World


def _arrivals(world: World, count: int, year: int, *, course_after: int = 40, b1: bool = True) -> None:
    for index in range(count):
        arrival = date(year, 1 + index % 12, 3)
        case = services.case_create(
            acting_user=world.p.alice,
            owner=world.p.org_a,
            data={
                "family_name": f"Zuzug{year}x{index}",
                "legal_basis": LegalBasis.ART6_1_E,
                "arrival_date": arrival,
                "birth_year": 1990,
            },
        )
        services.event_add(
            acting_user=world.p.alice,
            case=case,
            kind=EventKind.COURSE_STARTED,
            on=arrival + timedelta(days=course_after + index),
        )
        if b1 and index % 2 == 0:
            services.event_add(
                acting_user=world.p.alice,
                case=case,
                kind=EventKind.LEVEL_REACHED,
                on=arrival + timedelta(days=400),
                detail="B1",
            )


def test_extract_is_pseudonymised_and_coarse(world: World) -> None:
    _arrivals(world, 6, 2020)
    assert build_extract() == 7  # six new arrivals plus the seeded case (arrived 2022)
    fields = {f.name for f in CohortRecord._meta.get_fields()}
    assert not fields & {
        "family_name",
        "given_names",
        "birth_year",
        "birth_month",
        "birth_day",
        "azr_number_enc",
        "arrival_date",
        "case",
    }
    record = CohortRecord.objects.first()
    assert record is not None and len(record.pseudonym) == 64
    case = Case.objects.get(family_name="Zuzug2020x0")
    assert CohortRecord.objects.filter(pseudonym=pseudonym(case.owner_id, case.pk)).exists()
    dump = " ".join(str(v) for row in CohortRecord.objects.values_list() for v in row)
    assert SEEDED_NAME not in dump and "Zuzug" not in dump
    assert AuditEvent.objects.filter(action="registry.cohort_extract").exists()


def test_restricted_cases_are_left_out(world: World) -> None:
    _arrivals(world, 3, 2021)
    services.case_restrict(acting_user=world.dora, case=Case.objects.get(family_name="Zuzug2021x0"), restrict=True)
    build_extract()
    assert CohortRecord.objects.filter(arrival_year=2021).count() == 2


def test_erasure_and_restriction_remove_the_pseudonymised_row_at_once(world: World) -> None:
    _arrivals(world, 2, 2021)
    build_extract()
    first, second = Case.objects.filter(family_name__startswith="Zuzug2021").order_by("pk")
    services.case_restrict(acting_user=world.dora, case=first, restrict=True)
    services.case_erase(acting_user=world.dora, case=second, reason="Antrag")
    assert not CohortRecord.objects.filter(arrival_year=2021).exists()


def test_small_cohorts_are_suppressed(world: World) -> None:
    _arrivals(world, 8, 2020, course_after=30)
    _arrivals(world, 2, 2021)
    build_extract()
    rows = {row["cohort"]: row for row in cohort_table(k=3)}
    assert rows["2020"]["persons"].value == 8 and not rows["2020"]["persons"].suppressed
    assert rows["2020"]["median_days_to_course"].value == 33.5
    assert rows["2020"]["share_b1_24"].value == 50.0
    assert rows["2021"]["persons"].suppressed and rows["2021"]["share_b1_24"].suppressed
    assert rows["2021"]["median_days_to_course"].suppressed
    # 2022 (the seeded case) has 1 person, too: two suppressed years, so the total may stay.
    assert rows["2022"]["persons"].suppressed
    for row in rows.values():
        for key in ("persons", "median_days_to_course", "share_b1_24", "share_employed_36", "median_months_shared"):
            figure = row[key]
            assert figure.suppressed or figure.basis == 0 or figure.basis >= 3, (row["cohort"], key)


def test_single_suppressed_year_hides_total(world: World) -> None:
    Case.objects.all().delete()
    _arrivals(world, 5, 2020)
    _arrivals(world, 1, 2021)
    build_extract()
    rows = {row["cohort"]: row for row in cohort_table(k=3)}
    assert rows["2021"]["persons"].suppressed and rows["alle"]["persons"].suppressed


def test_cohort_page_for_coordination_only(world: World) -> None:
    _arrivals(world, 4, 2020)
    build_extract()
    koordination = make_user("kai", world.p.landkreis, Role.KOORDINATION)
    response = world.client(koordination).get(reverse("registry:cohorts"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "•" in body and "Zuzug2020" not in body and SEEDED_NAME not in body
    assert AuditEvent.objects.filter(action="cohort.view", username="kai").exists()
    assert world.client(world.p.alice).get(reverse("registry:cohorts")).status_code == 403
    # Coordination has no access to the case records themselves.
    assert world.client(koordination).get(reverse("registry:detail", kwargs={"pk": world.case.pk})).status_code == 403
