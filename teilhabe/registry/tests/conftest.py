"""Fixtures for case-record tests: a seeded case in organisation A (Jobcenter) with all kinds of groups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client

from teilhabe.accounts.models import Membership, Organisation, OrganisationKind, User
from teilhabe.accounts.roles import Role
from teilhabe.core.testing import Personas, login_verified, make_user
from teilhabe.registry import services
from teilhabe.registry.crypto import encrypt_json
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import Case, EventKind, FieldGroupEntry, GoalStatus, PlanArea

SEEDED_NAME = "Zyxwortelmann"
SEEDED_GIVEN = "Quambrina"
SEEDED_ORIGINAL = "زيكسورتل"
SEEDED_HEALTH = "Quarkdiabetes-Seltenheit"
SEEDED_AZR = "998877665544"
SEEDED_EMPLOYER_SECTOR = "Walzblechkunde"


@dataclass
class World:
    p: Personas
    dora: User  # FALLAUFSICHT in A (second pair of eyes, Art. 9 permission)
    erik: User  # FALLAUFSICHT in B
    org_c: Organisation  # Migrationsberatung C
    case: Case

    def client(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            login_verified(client, user)
        return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    """Argon2 costs ~0.5 s per test user; these tests are about case records, not passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    settings.REGISTRY_ENCRYPTION_KEYS = ["test-only-registry-key-1"]  # type: ignore[attr-defined]


def authorise_azr(user: User, organisation: Organisation, by: User) -> None:
    """Individual AZR authorisation (DP-28), granted by a second person of the organisation."""
    membership = Membership.objects.get(user=user, organisation=organisation)
    services.azr_authorisation_grant(acting_user=by, membership=membership, reason="Sachbearbeitung Aufenthalt")


def seed_case(owner: Organisation, user: User, name: str = SEEDED_NAME) -> Case:
    case = services.case_create(
        acting_user=user,
        owner=owner,
        data={
            "family_name": SEEDED_ORIGINAL,
            "given_names": "كوامبرينا",
            "family_name_latin": name,
            "given_names_latin": SEEDED_GIVEN,
            "birth_year": 1990,
            "birth_month": 5,
            "birth_day": None,
            "sex": "w",
            "nationalities": ["475"],
            "azr_number": SEEDED_AZR,
            "arrival_date": date(2022, 3, 1),
            "legal_basis": LegalBasis.ART6_1_E,
        },
    )
    return case


@pytest.fixture
def world(personas: Personas, settings: object) -> World:
    settings.REGISTRY_ART9_GROUPS = ["gesundheit"]  # type: ignore[attr-defined]
    dora = make_user("dora", personas.org_a, Role.FALLAUFSICHT)
    erik = make_user("erik", personas.org_b, Role.FALLAUFSICHT)
    org_c = Organisation.objects.create(name="Migrationsberatung C", kind=OrganisationKind.MIGRATIONSBERATUNG)
    authorise_azr(personas.alice, personas.org_a, by=dora)
    authorise_azr(dora, personas.org_a, by=personas.bob)
    authorise_azr(personas.charlie, personas.org_b, by=erik)
    case = seed_case(personas.org_a, personas.alice)
    alice = personas.alice
    services.fieldgroup_save(
        acting_user=alice,
        case=case,
        group="sprachkurs",
        legal_basis=LegalBasis.ART6_1_E,
        data={"course_type": "integrationskurs", "provider": "VHS Kursträgerstadt", "level": "A2"},
    )
    services.fieldgroup_save(
        acting_user=alice,
        case=case,
        group="beschaeftigung",
        legal_basis=LegalBasis.SGB_X_67A,
        data={"status": "arbeitsuchend", "sector": SEEDED_EMPLOYER_SECTOR},
    )
    services.fieldgroup_save(
        acting_user=dora,
        case=case,
        group="gesundheit",
        legal_basis=LegalBasis.ART9_2_B,
        data={"notes": SEEDED_HEALTH, "support_need": "ja"},
    )
    # Residence status is written by the Ausländerbehörde; the Jobcenter holds a copy it received earlier.
    FieldGroupEntry.objects.create(
        case=case,
        group="aufenthalt",
        data=encrypt_json({"title": "aufenthaltserlaubnis"}),
        legal_basis=LegalBasis.ART6_1_E,
    )
    services.event_add(acting_user=alice, case=case, kind=EventKind.COURSE_STARTED, on=date(2023, 1, 9))
    services.goal_save(
        acting_user=alice,
        case=case,
        area=PlanArea.SPRACHE,
        description="B1 erreichen",
        status=GoalStatus.IN_PROGRESS,
        review_on=date(2024, 6, 1),
    )
    services.goal_save(
        acting_user=dora,
        case=case,
        area=PlanArea.GESUNDHEIT,
        description="Facharzttermin Quarkdiabetes-Seltenheit",
        status=GoalStatus.OPEN,
        review_on=None,
    )
    return World(p=personas, dora=dora, erik=erik, org_c=org_c, case=case)
