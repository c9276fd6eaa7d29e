"""The demo district: real Gemeinden of the configured Kreis, synthetic organisations and accounts.

Runs only with TEILHABE_DEMO=1. Other apps add their demo data by registering a builder with
``register_demo_builder``; builders run in registration order after organisations and users exist.
``TEILHABE_DEMO_PARTS`` (comma list of builder names, e.g. ``directory,indicators,reports``) runs only those:
a small demo for the stack test; builders then keep to the minimum (``settings.DEMO_PARTS`` is non-empty).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.module_loading import import_string

from teilhabe.accounts import services as account_services
from teilhabe.accounts.models import Membership, Organisation, OrganisationKind, User
from teilhabe.accounts.roles import Role
from teilhabe.regions.models import Gemeinde, Kreis

DEMO_PASSWORD = "Teilhabe-Demo-2026!"  # noqa: S105 - only ever set when TEILHABE_DEMO=1


@dataclass
class DemoDistrict:
    kreis: Kreis
    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    codes: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


DemoBuilder = Callable[[DemoDistrict], None]
# A builder or the dotted path of one ("teilhabe.population.demo.build_demo"): apps register the path so that
# django.setup() — every management command — does not import the demo modules and their heavy libraries.
_BUILDERS: list[tuple[str, DemoBuilder | str]] = []


def register_demo_builder(name: str, builder: DemoBuilder | str) -> None:
    if name not in {n for n, _b in _BUILDERS}:
        _BUILDERS.append((name, builder))


# (key, name pattern, kind, [(username, role, full name)])
def _organisation_plan(
    kreis: Kreis, gemeinden: list[Gemeinde]
) -> list[tuple[str, str, OrganisationKind, list[tuple[str, Role, str]]]]:
    plan = [
        (
            "landkreis",
            f"{kreis.name} – Koordinierungsstelle Integration",
            OrganisationKind.LANDKREIS,
            [
                ("admin", Role.KREIS_ADMIN, "Anna Admin"),
                ("koordination", Role.KOORDINATION, "Kai Koordination"),
                ("statistik", Role.STATISTIK, "Stefanie Statistik"),
                ("datenschutz", Role.DATENSCHUTZ, "Dana Datenschutz"),
                ("redaktion", Role.REDAKTION, "Rita Redaktion"),
            ],
        ),
        (
            "abh",
            f"Ausländerbehörde {kreis.name}",
            OrganisationKind.AUSLAENDERBEHOERDE,
            [
                ("abh.sachbearbeitung", Role.FALLBEARBEITUNG, "Arne Aufenthalt"),
                ("abh.leitung", Role.FALLAUFSICHT, "Lea Leitung"),
            ],
        ),
        (
            "jobcenter",
            f"Jobcenter {kreis.name}",
            OrganisationKind.JOBCENTER,
            [
                ("jc.fallmanagement", Role.FALLBEARBEITUNG, "Jonas Jobcenter"),
                # Second pair of eyes for Jobcenter transmissions (Art. 9, social data to the ABH).
                ("jc.leitung", Role.FALLAUFSICHT, "Jana Leitung"),
                ("jc.admin", Role.ORG_ADMIN, "Judith Admin"),
            ],
        ),
        (
            "beratung",
            f"Migrationsberatung für Erwachsene {kreis.name}",
            OrganisationKind.MIGRATIONSBERATUNG,
            [
                ("mbe.beratung", Role.FALLBEARBEITUNG, "Mira Beratung"),
                ("mbe.leitung", Role.FALLAUFSICHT, "Malte Leitung"),
            ],
        ),
        (
            "mso",
            f"Interkultureller Verein {kreis.name} e. V.",
            OrganisationKind.VEREIN,
            [
                ("verein", Role.REDAKTION, "Vera Verein"),
            ],
        ),
    ]
    for index, gemeinde in enumerate(gemeinden[:3], start=1):
        plan.append(
            (
                f"gemeinde{index}",
                f"{gemeinde.name} – Verwaltung",
                OrganisationKind.GEMEINDE,
                [
                    (f"gemeinde{index}", Role.GEMEINDE, f"Gero Gemeinde {index}"),
                ],
            )
        )
    return plan


@transaction.atomic
def create_demo_district(only: Collection[str] | None = None) -> DemoDistrict:
    """Organisations and accounts of the demo district, then every registered app's demo data.

    ``only`` limits the app builders to the named ones (e.g. ``("registry",)``), in registration order;
    organisations and accounts are always created. Raises ImproperlyConfigured without TEILHABE_DEMO=1 or
    when the configured Kreis is not loaded.
    """
    if not settings.DEMO:
        raise ImproperlyConfigured("Demo data and demo accounts exist only with TEILHABE_DEMO=1.")
    kreis = Kreis.objects.filter(ags=settings.TEILHABE_KREIS).first()
    if kreis is None:
        raise ImproperlyConfigured(f"Kreis {settings.TEILHABE_KREIS} ist nicht geladen (manage.py load_regions).")
    gemeinden = list(Gemeinde.objects.filter(kreis=kreis, is_gemeinde=True).order_by("-population"))
    district = DemoDistrict(kreis=kreis)
    for key, name, kind, people in _organisation_plan(kreis, gemeinden):
        organisation, _created = Organisation.objects.get_or_create(name=name, defaults={"kind": kind})
        if key.startswith("gemeinde"):
            organisation.gemeinden.set([gemeinden[int(key[-1]) - 1]])
        else:
            organisation.gemeinden.set(gemeinden)
        district.organisations[key] = organisation
        for username, role, full_name in people:
            user = User.objects.filter(username=username).first()
            if user is None:
                first, last = full_name.split(" ", 1)
                user = account_services.user_create(
                    acting_user=None, username=username, password=DEMO_PASSWORD, first_name=first, last_name=last
                )
            if not Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
                account_services.membership_add(acting_user=None, user=user, organisation=organisation, role=role)
            district.users[username] = user
            district.codes[username] = account_services.static_codes_create(acting_user=None, user=user, count=5)
    parts = only if only is not None else (settings.DEMO_PARTS or None)
    for name, builder in _BUILDERS:
        if parts is None or name in parts:
            (import_string(builder) if isinstance(builder, str) else builder)(district)
    return district
