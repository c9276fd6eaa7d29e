"""The demo concept: six fields, ~20 goals tied to indicators, ~40 measures, bodies with meetings,
one overdue action item, an organigram and a published status report."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from teilhabe.concept.models import (
    ActionItem,
    Body,
    Concept,
    GoalIndicator,
    Measure,
    Meeting,
    Responsibility,
    StatusReport,
)

pytestmark = pytest.mark.django_db


@override_settings(DEMO=True)
def test_demo_concept(regions: None, monkeypatch: Any) -> None:
    from teilhabe.concept.demo import build_demo_concept
    from teilhabe.core import demo
    from teilhabe.core.testing import login_verified
    from teilhabe.indicators.demo import build_demo_monitoring

    # Only the builders this app needs (the others have their own demo tests).
    monkeypatch.setattr(demo, "_BUILDERS", [("indicators", build_demo_monitoring), ("concept", build_demo_concept)])
    district = demo.create_demo_district()
    concept = Concept.objects.get()
    adopted = concept.current_version()
    assert adopted is not None and adopted.drucksache == "DS 0123/2024"
    assert adopted.fields.count() == 6
    goals = GoalIndicator.objects.filter(goal__field__version=adopted)
    assert 15 <= goals.count() <= 20
    assert 30 <= Measure.objects.filter(goal__field__version=adopted).count() <= 40
    assert Measure.objects.filter(goal__field__version=adopted).values("owner").distinct().count() >= 5
    assert concept.draft_version() is not None and concept.draft_version().comments.exists()  # type: ignore[union-attr]
    assert set(Body.objects.values_list("kind", flat=True)) >= {"steuerungsgruppe", "runder_tisch"}
    assert Meeting.objects.filter(body__kind="runder_tisch").count() == 3
    assert ActionItem.objects.overdue(timezone.localdate()).count() == 1
    assert Responsibility.objects.public().count() >= 4
    assert StatusReport.objects.filter(is_public=True).count() == 1
    # Computed states are a mix, not all the same.
    from teilhabe.concept.attainment import goal_attainment

    states = {goal_attainment(g.goal).state for g in goals}
    assert len(states) >= 2
    # The overdue item is flagged on its owner's start page.
    page = login_verified(Client(), district.users["gemeinde1"]).get(reverse("staff:home")).content.decode()
    assert "überfällige Aufgabe" in page
    assert Client().get(reverse("concept:index")).status_code == 200
    office = login_verified(Client(), district.users["koordination"])
    assert office.get(reverse("concept_staff:version", args=[adopted.pk])).status_code == 200
