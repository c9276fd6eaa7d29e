"""Synthetic demo cases for `make demo` (TEILHABE_DEMO=1 only). Every name is invented and marked
"(synthetisch)"; the case rows carry ``is_synthetic=True`` and the UI labels them as demo data."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from teilhabe.accounts.models import Membership, User
from teilhabe.core.demo import DemoDistrict
from teilhabe.registry import services
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import Case, EventKind, GoalStatus, PlanArea, Sex

# (family name original, given original, family latin, given latin, year, month, day, placeholder, sex, nats)
_PEOPLE = [
    ("الحلبي", "سارة", "Al-Halabi (synthetisch)", "Sara", 1991, 3, 14, False, Sex.FEMALE, ["475"]),
    ("Коваленко", "Олена", "Kovalenko (synthetisch)", "Olena", 1986, None, None, False, Sex.FEMALE, ["166"]),
    ("رحیمی", "احمد", "Rahimi (synthetisch)", "Ahmad", 2001, 1, 1, True, Sex.MALE, ["423"]),
    ("Demir", "Mehmet", "Demir (synthetisch)", "Mehmet", 1979, 7, 2, False, Sex.MALE, ["163"]),
    ("Haile", "Selam", "Haile (synthetisch)", "Selam", 1995, 11, 20, False, Sex.FEMALE, ["224"]),
]


def build_demo_cases(district: DemoDistrict) -> None:
    orgs = district.organisations
    users = district.users
    jobcenter, abh, beratung = orgs.get("jobcenter"), orgs.get("abh"), orgs.get("beratung")
    if not (jobcenter and abh and beratung):
        return
    if Case.objects.filter(is_synthetic=True).exists():
        return
    gemeinde = jobcenter.gemeinden.order_by("-population").first()
    owners = [
        (jobcenter, users["jc.fallmanagement"]),
        (jobcenter, users["jc.fallmanagement"]),
        (beratung, users["mbe.beratung"]),
        (abh, users["abh.sachbearbeitung"]),
        (beratung, users["mbe.beratung"]),
    ]
    # DP-28: the ABH caseworker is individually authorised for AZR data by the ABH's Fallaufsicht; the
    # Jobcenter and Migrationsberatung caseworkers keep their role but see no AZR numbers.
    leitung = users.get("abh.leitung")
    if leitung is not None:
        services.azr_authorisation_grant(
            acting_user=leitung,
            membership=Membership.objects.get(user=users["abh.sachbearbeitung"], organisation=abh),
            reason="Sachbearbeitung Aufenthaltsrecht (Demo)",
        )
    cases: list[tuple[Case, User]] = []
    for (fam, given, fam_lat, given_lat, year, month, day, placeholder, sex, nats), (owner, user) in zip(
        _PEOPLE, owners, strict=True
    ):
        case = services.case_create(
            acting_user=user,
            owner=owner,
            data={
                "family_name": fam,
                "given_names": given,
                "family_name_latin": fam_lat,
                "given_names_latin": given_lat,
                "birth_year": year,
                "birth_month": month,
                "birth_day": day,
                "birth_date_is_placeholder": placeholder,
                "sex": sex,
                "nationalities": nats,
                "arrival_date": date(2023, 2, 1),
                "allocation_date": date(2023, 4, 3),
                "gemeinde": gemeinde,
                "legal_basis": LegalBasis.ART6_1_E,
                "reference": f"DEMO-{owner.kind}-{len(cases) + 1}",
                # Synthetic AZR number (all zeros but the index), only where the author is authorised.
                **({"azr_number": f"{len(cases) + 1:012d}"} if owner == abh and leitung is not None else {}),
            },
        )
        Case.objects.filter(pk=case.pk).update(is_synthetic=True)
        cases.append((case, user))
    first, jc_user = cases[0]
    services.fieldgroup_save(
        acting_user=jc_user,
        case=first,
        group="sprachkurs",
        legal_basis=LegalBasis.ART6_1_E,
        data={
            "course_type": "integrationskurs",
            "provider": "Volkshochschule (Demo)",
            "registered_on": "2023-05-02",
            "started_on": "2023-06-12",
            "level": "B1",
        },
    )
    services.fieldgroup_save(
        acting_user=jc_user,
        case=first,
        group="beschaeftigung",
        legal_basis=LegalBasis.SGB_X_67A,
        data={"status": "arbeitsuchend", "since": "2023-04-03", "sector": "Pflege"},
    )
    services.fieldgroup_save(
        acting_user=jc_user,
        case=first,
        group="wohnen",
        legal_basis=LegalBasis.SGB_X_67A,
        data={"form": "gemeinschaftsunterkunft", "moved_in_on": "2023-04-03"},
    )
    for kind, on, detail in (
        (EventKind.ARRIVAL, date(2023, 2, 1), ""),
        (EventKind.ALLOCATION, date(2023, 4, 3), ""),
        (EventKind.COURSE_REGISTERED, date(2023, 5, 2), "Integrationskurs"),
        (EventKind.COURSE_STARTED, date(2023, 6, 12), ""),
        (EventKind.LEVEL_REACHED, date(2024, 5, 30), "B1"),
    ):
        services.event_add(acting_user=jc_user, case=first, kind=kind, on=on, detail=detail)
    services.goal_save(
        acting_user=jc_user,
        case=first,
        area=PlanArea.SPRACHE,
        description="Sprachniveau B2 für die Pflege",
        status=GoalStatus.IN_PROGRESS,
        review_on=date(2025, 3, 1),
    )
    services.goal_save(
        acting_user=jc_user,
        case=first,
        area=PlanArea.WOHNEN,
        description="Auszug in eigene Wohnung",
        status=GoalStatus.OPEN,
        review_on=date(2025, 1, 15),
    )
    transmission = services.transmission_request(
        acting_user=jc_user,
        case=first,
        recipient=beratung,
        groups=["identitaet", "sprachkurs"],
        legal_basis=LegalBasis.SGB_X_69_1_1,
        purpose="Abstimmung der Sprachförderung (Demo)",
    )
    # A four-eyes path that demo accounts can complete: Jobcenter -> Ausländerbehörde (social data, § 71
    # SGB X), requested by jc.fallmanagement, waiting for jc.leitung.
    pending = services.transmission_request(
        acting_user=jc_user,
        case=first,
        recipient=abh,
        groups=["identitaet", "beschaeftigung"],
        legal_basis=LegalBasis.SGB_X_71_2,
        purpose="Prüfung der Lebensunterhaltssicherung (Demo)",
    )
    counselling, mbe_user = cases[2]
    consent = services.consent_give(
        acting_user=mbe_user,
        case=counselling,
        purpose="Weitergabe des Kursstands an das Jobcenter (Demo)",
        data_items=["identitaet", "sprachkurs"],
        recipients=[jobcenter],
        language="fa",
        text_version="KiIM-Einwilligung 2026-01",
    )
    bulk = _bulk_trajectories(district, count=240)
    from teilhabe.registry.cohort import build_extract

    build_extract()
    district.notes.append(
        f"KiIM: {len(cases)} synthetische Integrationsakten, Übermittlung {transmission.pk} "
        f"(Jobcenter → Migrationsberatung), Einwilligung {consent.pk} (Sprache fa); {bulk} weitere "
        "synthetische Verläufe für die Kohortenkennzahlen. AZR-Ermächtigung: abh.sachbearbeitung "
        "(erteilt von abh.leitung)."
    )
    district.notes.append(
        f"Vier-Augen-Freigaben: Übermittlung {pending.pk} (Jobcenter → Ausländerbehörde) wartet; " + approvers_note()
    )


_NATIONALITIES = ["475", "423", "166", "163", "438", "224", "439", "261"]


def _bulk_trajectories(district: DemoDistrict, count: int) -> int:
    """Many synthetic trajectories at once (bulk insert, one audit event) so the cohort page has figures."""
    from teilhabe.audit.services import record
    from teilhabe.registry.models import TrajectoryEvent

    rng = random.Random(2026)
    owners = [district.organisations["jobcenter"], district.organisations["beratung"], district.organisations["abh"]]
    gemeinden = list(owners[0].gemeinden.all()[:12])
    today = timezone.localdate()
    cases = []
    for index in range(count):
        arrival = date(2015, 1, 1) + timedelta(days=rng.randint(0, 3650))
        name = f"Demo-Verlauf {index + 1:04d} (synthetisch)"
        cases.append(
            Case(
                owner=rng.choices(owners, weights=[5, 3, 2])[0],
                family_name=name,
                family_name_latin=name,
                search_name=f"{name.lower()} {name.lower()}",
                birth_year=rng.randint(1960, 2006),
                sex=rng.choice([Sex.FEMALE, Sex.MALE]),
                nationalities=[rng.choice(_NATIONALITIES)],
                arrival_date=arrival,
                allocation_date=arrival + timedelta(days=rng.randint(20, 120)),
                gemeinde=rng.choice(gemeinden) if gemeinden else None,
                legal_basis=LegalBasis.ART6_1_E,
                is_synthetic=True,
                reference=f"DEMO-V-{index + 1:04d}",
            )
        )
    Case.objects.bulk_create(cases)
    events: list[TrajectoryEvent] = []
    for case in Case.objects.filter(reference__startswith="DEMO-V-"):
        if case.arrival_date is None:
            continue
        arrival = case.arrival_date
        plan: list[tuple[str, date, str]] = []
        if rng.random() < 0.8:
            plan.append((EventKind.COURSE_STARTED, arrival + timedelta(days=rng.randint(30, 420)), ""))
        if rng.random() < 0.5:
            plan.append((EventKind.LEVEL_REACHED, arrival + timedelta(days=rng.randint(300, 1000)), "B1"))
        if rng.random() < 0.45:
            plan.append((EventKind.EMPLOYMENT_STARTED, arrival + timedelta(days=rng.randint(200, 1600)), ""))
        if rng.random() < 0.7:
            moved_in = case.allocation_date or arrival
            plan.append((EventKind.SHARED_HOUSING_IN, moved_in, ""))
            if rng.random() < 0.6:
                plan.append((EventKind.MOVED_OUT, moved_in + timedelta(days=rng.randint(60, 1000)), ""))
        events.extend(
            TrajectoryEvent(case=case, kind=kind, date=on, detail=detail) for kind, on, detail in plan if on <= today
        )
    TrajectoryEvent.objects.bulk_create(events)
    record(
        "registry.demo_seed",
        object_type="registry.case",
        username="system",
        extra={"cases": count, "events": len(events)},
    )
    return count


def approvers_note() -> str:
    """Who approves what, per organisation with case records (printed by `make demo`)."""
    from teilhabe.accounts.models import Organisation
    from teilhabe.registry.access import roles_with

    parts = []
    for organisation in Organisation.objects.filter(memberships__role__in=roles_with("case.read")).distinct():
        approvers = sorted(
            Membership.objects.filter(
                organisation=organisation,
                role__in=roles_with("transmission.approve"),
                is_active=True,
                pending=False,
            ).values_list("user__username", flat=True)
        )
        parts.append(f"{organisation.name}: {', '.join(approvers) or 'niemand'}")
    return "Freigeben (nie die eigene Übermittlung): " + "; ".join(parts) + "."
