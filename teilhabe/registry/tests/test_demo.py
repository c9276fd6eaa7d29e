from __future__ import annotations

import pytest

from teilhabe.registry.models import Case, Consent, Transmission


@pytest.mark.django_db
def test_demo_builder_creates_labelled_synthetic_cases(regions, settings) -> None:
    settings.DEMO = True
    from teilhabe.core.demo import create_demo_district

    district = create_demo_district(only=("registry",))
    assert Case.objects.count() == 245
    assert not Case.objects.filter(is_synthetic=False).exists()
    assert all("(synthetisch)" in c.family_name_latin for c in Case.objects.all())
    from teilhabe.registry.cohort import cohort_table
    from teilhabe.registry.models import CohortRecord

    assert CohortRecord.objects.count() == 245
    total = cohort_table()[-1]
    assert total["cohort"] == "alle" and not total["share_b1_24"].suppressed
    assert Transmission.objects.filter(status="sent").count() == 1
    assert Consent.objects.count() == 1
    assert any(note.startswith("KiIM:") for note in district.notes)
    from teilhabe.registry.access import can_read_azr
    from teilhabe.registry.demo import build_demo_cases
    from teilhabe.registry.models import AzrAuthorisation

    abh, jobcenter = district.organisations["abh"], district.organisations["jobcenter"]
    assert can_read_azr(district.users["abh.sachbearbeitung"], abh)
    assert not can_read_azr(district.users["jc.fallmanagement"], jobcenter)
    assert Case.objects.filter(owner=abh).exclude(azr_number_enc="").exists()
    build_demo_cases(district)  # idempotent (other apps' builders are tested by their own tests)
    assert Case.objects.count() == 245
    assert AzrAuthorisation.objects.active().count() == 1


@pytest.mark.django_db
def test_demo_four_eyes_path_can_be_completed_and_the_demo_says_who_approves(regions, settings) -> None:
    """Issue 10, example 10: no Jobcenter demo account could approve; the page did not say who could."""
    settings.DEMO = True
    from teilhabe.core.demo import create_demo_district
    from teilhabe.registry import services

    district = create_demo_district(only=("registry",))
    pending = Transmission.objects.get(status="pending")
    assert pending.sender == district.organisations["jobcenter"]
    approvers = services.approvers_for(pending)
    assert district.users["jc.leitung"] in approvers
    note = next(n for n in district.notes if n.startswith("Vier-Augen-Freigaben"))
    assert "jc.leitung" in note and "abh.leitung" in note and "mbe.leitung" in note
    services.transmission_approve(acting_user=district.users["jc.leitung"], transmission=pending)
    pending.refresh_from_db()
    assert pending.status == "sent" and pending.approved_by == district.users["jc.leitung"]
