from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from teilhabe.directory.models import Event, Offer, OfferTranslation, OrganisationProfile, TranslationStatus

pytestmark = pytest.mark.django_db


@override_settings(DEMO=True)
def test_demo_builder_is_deterministic_and_labelled(regions) -> None:
    from teilhabe.core.demo import create_demo_district

    district = create_demo_district(only=("directory",))
    offers = Offer.objects.all()
    assert offers.count() == 320 and not offers.filter(is_demo=False).exists()
    assert Event.objects.filter(is_demo=True).count() == 90
    assert OrganisationProfile.objects.filter(is_mso=True).count() >= 10
    statuses = set(OfferTranslation.objects.values_list("status", flat=True))
    assert {TranslationStatus.CURRENT, TranslationStatus.OUTDATED, TranslationStatus.MACHINE} <= statuses
    assert len(set(offers.values_list("offer_type", flat=True))) == 10
    assert offers.values("gemeinde").distinct().count() >= 5
    body = Client().get(reverse("directory:search")).content.decode()
    assert "Demodaten" in body
    first_titles = list(offers.order_by("pk").values_list("title", flat=True)[:5])
    Offer.objects.all().delete()
    Event.objects.all().delete()
    from teilhabe.directory.demo import build_demo_directory

    # Only this app's builder again (other apps' builders need not be re-runnable).
    build_demo_directory(district)
    assert list(Offer.objects.order_by("pk").values_list("title", flat=True)[:5]) == first_titles
