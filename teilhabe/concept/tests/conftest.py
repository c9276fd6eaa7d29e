"""Concept fixtures: the office (Koordination in the Landkreis org), two Gemeinde organisations with their
staff, and a small concept with one goal tied to a hand-made indicator series."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from teilhabe.accounts.models import Organisation, OrganisationKind
from teilhabe.accounts.roles import Role
from teilhabe.concept import services
from teilhabe.concept.models import Concept, Goal, Measure
from teilhabe.core.testing import make_user
from teilhabe.indicators.models import Indicator, IndicatorValue, Level


@dataclass
class World:
    p: Any
    office_user: Any
    gemeinde_a: Organisation
    gemeinde_b: Organisation
    gero_a: Any  # Gemeinde staff in A
    gero_b: Any  # Gemeinde staff in B
    concept: Concept
    goal: Goal
    measure_a: Measure
    measure_b: Measure
    indicator: Indicator


def make_indicator(code: str = "T01") -> Indicator:
    return Indicator.objects.create(
        code=code,
        name_de="Beschäftigungsquote Ausländer",
        name_en="Employment rate foreigners",
        theme="E",
        unit="%",
        definition="Test",
        migration_definition="staatsangehoerigkeit",
        is_published=True,
    )


def put(indicator: Indicator, level: str, region: str, year: int, value: float | None, suppression: str = "") -> None:
    IndicatorValue.objects.create(
        indicator=indicator,
        category="",
        level=level,
        region=region,
        year=year,
        value=value,
        published_value=None if suppression else value,
        suppression=suppression,
        computed_at=timezone.now(),
    )


@pytest.fixture
def world(personas: Any, db: None) -> World:
    office_user = make_user("kora", personas.landkreis, Role.KOORDINATION)
    gemeinde_a = Organisation.objects.create(name="Gemeinde A – Verwaltung", kind=OrganisationKind.GEMEINDE)
    gemeinde_b = Organisation.objects.create(name="Gemeinde B – Verwaltung", kind=OrganisationKind.GEMEINDE)
    gero_a = make_user("gero_a", gemeinde_a, Role.GEMEINDE)
    gero_b = make_user("gero_b", gemeinde_b, Role.GEMEINDE)
    concept = services.concept_create(
        acting_user=office_user,
        owner=personas.landkreis,
        kreis_ags=settings.TEILHABE_KREIS,
        title="Integrationskonzept",
    )
    version = concept.versions.get()
    field = version.fields.get(theme="E")
    goal = services.goal_save(acting_user=office_user, field=field, changes={"title": "Mehr Beschäftigung"})
    indicator = make_indicator()
    services.target_save(
        acting_user=office_user,
        goal=goal,
        changes={
            "indicator": indicator,
            "baseline_value": 40.0,
            "baseline_year": 2020,
            "target_value": 50.0,
            "target_date": date(2030, 12, 31),
            "direction": "higher",
        },
    )
    measure_a = services.measure_save(
        acting_user=office_user, goal=goal, changes={"title": "Jobcafé A", "owner": gemeinde_a}
    )
    measure_b = services.measure_save(
        acting_user=office_user, goal=goal, changes={"title": "Jobcafé B", "owner": gemeinde_b}
    )
    return World(
        personas, office_user, gemeinde_a, gemeinde_b, gero_a, gero_b, concept, goal, measure_a, measure_b, indicator
    )


KREIS = Level.KREIS
