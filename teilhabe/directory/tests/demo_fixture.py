"""The demo directory, built once per test module inside a transaction that is rolled back afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def build_demo_directory_only() -> None:
    """Regions, the three demo organisations the directory builder uses, and the 320 demo offers."""
    from django.conf import settings

    from teilhabe.accounts.models import Organisation, OrganisationKind
    from teilhabe.core.demo import DemoDistrict
    from teilhabe.directory.demo import build_demo_directory
    from teilhabe.regions.loader import load_regions
    from teilhabe.regions.models import Kreis

    load_regions(only_kreis=settings.TEILHABE_KREIS)
    kreis = Kreis.objects.get(ags=settings.TEILHABE_KREIS)
    district = DemoDistrict(kreis=kreis)
    for key, name, kind in [
        ("landkreis", f"{kreis.name} – Koordinierungsstelle Integration", OrganisationKind.LANDKREIS),
        ("jobcenter", f"Jobcenter {kreis.name}", OrganisationKind.JOBCENTER),
        ("beratung", f"Migrationsberatung für Erwachsene {kreis.name}", OrganisationKind.MIGRATIONSBERATUNG),
        ("mso", f"Interkultureller Verein {kreis.name} e. V.", OrganisationKind.VEREIN),
    ]:
        district.organisations[key] = Organisation.objects.create(name=name, kind=kind)
    build_demo_directory(district)


def demo_directory_module(django_db_blocker: Any) -> Iterator[None]:
    """Build the demo directory in an open transaction, yield, roll everything back (conftest fixture)."""
    from django.core.cache import cache
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            cache.clear()
            build_demo_directory_only()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()
