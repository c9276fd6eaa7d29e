from __future__ import annotations

import pytest

from teilhabe.registry.models import Case, Consent, Transmission


@pytest.mark.django_db
def test_demo_builder_creates_labelled_synthetic_cases(regions, settings) -> None:
    settings.DEMO = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from teilhabe.core.demo import create_demo_district

    district = create_demo_district()
    assert Case.objects.count() == 5
    assert not Case.objects.filter(is_synthetic=False).exists()
    assert all("(synthetisch)" in c.family_name_latin for c in Case.objects.all())
    assert Transmission.objects.filter(status="sent").count() == 1
    assert Consent.objects.count() == 1
    assert any(note.startswith("KiIM:") for note in district.notes)
    create_demo_district()  # idempotent
    assert Case.objects.count() == 5
