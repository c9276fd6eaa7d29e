from __future__ import annotations

import pytest

from teilhabe.registry.models import Case, Consent, Transmission


@pytest.mark.django_db
def test_demo_builder_creates_labelled_synthetic_cases(regions, settings) -> None:
    settings.DEMO = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from teilhabe.core.demo import create_demo_district

    district = create_demo_district()
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
    create_demo_district()  # idempotent
    assert Case.objects.count() == 245
