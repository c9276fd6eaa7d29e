"""Synthetic, deterministic demo content for the directory (TEILHABE_DEMO=1, ``make demo``).

Everything generated here carries ``is_demo=True`` and is shown with a "Demodaten" badge.
The same generator fills the benchmark database (benchmarks/directory.py).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from teilhabe.accounts.models import Organisation, OrganisationKind
from teilhabe.audit.services import record
from teilhabe.directory.demo_texts import DESCRIPTION, ORGANISATION_KINDS, STREETS, SUMMARY, TITLES
from teilhabe.directory.models import (
    DialogueEntry,
    DialogueKind,
    Event,
    EventTranslation,
    Location,
    Offer,
    OfferTranslation,
    OrganisationProfile,
    Recurrence,
    Status,
    Submission,
    SubmissionKind,
    TargetGroup,
    TranslationStatus,
    tokens_join,
)
from teilhabe.directory.search import bump_content_version
from teilhabe.directory.searchindex import index_offers
from teilhabe.directory.services import search_text_for
from teilhabe.regions.models import Gemeinde

if TYPE_CHECKING:
    from teilhabe.core.demo import DemoDistrict

TARGET_LANGUAGES = ["en", "ar", "uk", "ru", "tr", "fa"]
TRANSLATION_SHARE = {"en": 0.8, "ar": 0.6, "uk": 0.6, "ru": 0.4, "tr": 0.4, "fa": 0.35}
EXTRA_LANGUAGES = ["en", "ar", "uk", "ru", "tr", "fa", "ps", "ku", "ti", "fr", "pl"]


def _organisations(
    rng: random.Random, gemeinden: Sequence[Gemeinde], count: int
) -> list[tuple[Organisation, Gemeinde]]:
    result = []
    for index in range(count):
        pattern, is_mso, languages, fields = ORGANISATION_KINDS[index % len(ORGANISATION_KINDS)]
        gemeinde = gemeinden[(index // len(ORGANISATION_KINDS) + index) % len(gemeinden)]
        name = pattern.format(g=gemeinde.name)
        kind = OrganisationKind.VEREIN if "e. V." in name or is_mso else OrganisationKind.SONSTIGE
        organisation, _created = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "email": f"kontakt{index}@demo.invalid"}
        )
        profile, _created = OrganisationProfile.objects.update_or_create(
            organisation=organisation,
            defaults={
                "description": f"{name} ist in {gemeinde.name} und Umgebung aktiv (Demodaten).",
                "contact_email": f"kontakt{index}@demo.invalid",
                "contact_phone": f"03984 {1000 + index}",
                "languages": tokens_join(languages),
                "fields_of_work": tokens_join(fields),
                "is_mso": is_mso,
                "is_public": True,
                "is_demo": True,
                "networks": rng.choice(["Netzwerk Integration im Kreis", "Runder Tisch Migration", ""]),
            },
        )
        served = {gemeinde, *rng.sample(list(gemeinden), k=min(2, len(gemeinden)))}
        profile.gemeinden.set(served)
        result.append((organisation, gemeinde))
    return result


def _location(rng: random.Random, owner: Organisation, gemeinde: Gemeinde, name: str) -> Location:
    lat = (gemeinde.latitude or 53.3) + rng.uniform(-0.01, 0.01)
    lon = (gemeinde.longitude or 13.9) + rng.uniform(-0.015, 0.015)
    return Location(
        owner=owner,
        name=name,
        street=f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
        postcode=gemeinde.plz,
        city=gemeinde.name,
        gemeinde=gemeinde,
        latitude=round(lat, 5),
        longitude=round(lon, 5),
        opening_hours=rng.choice(["Mo–Fr 9–12 Uhr", "Di und Do 14–18 Uhr", "nach Vereinbarung", "Mi 16–19 Uhr"]),
        wheelchair_accessible=rng.random() < 0.55,
        accessible_toilet=rng.random() < 0.3,
        hearing_loop=rng.random() < 0.1,
        is_demo=True,
    )


def _translation_status(rng: random.Random) -> tuple[str, bool]:
    roll = rng.random()
    if roll < 0.7:
        return TranslationStatus.CURRENT, False
    if roll < 0.85:
        return TranslationStatus.OUTDATED, False
    return TranslationStatus.MACHINE, True


def generate_directory(
    *,
    gemeinden: Sequence[Gemeinde],
    owners: Sequence[tuple[Organisation, Gemeinde]],
    offers: int,
    seed: int = 6,
    all_languages: bool = False,
    events: int = 0,
) -> int:
    """Create ``offers`` synthetic offers (and events) with translations. Returns the number of offers."""
    rng = random.Random(seed)
    now = timezone.now()
    locations = Location.objects.bulk_create(
        [
            _location(
                rng,
                owner,
                gemeinde,
                f"Treffpunkt {owner.short_name or owner.name.split(' ')[0]} {gemeinde.name}",
            )
            for owner, gemeinde in owners
        ]
    )
    location_of = {loc.owner_id: loc for loc in locations}
    types = list(TITLES)
    new_offers: list[Offer] = []
    texts: list[dict[str, dict[str, str]]] = []
    for index in range(offers):
        owner, home = owners[index % len(owners)]
        offer_type = types[rng.randrange(len(types))]
        title_de, titles = rng.choice(TITLES[offer_type])
        gemeinde = home if rng.random() < 0.85 else rng.choice(list(gemeinden))
        suffix = f" – {gemeinde.name}"
        languages = {"de", *rng.sample(EXTRA_LANGUAGES, k=rng.randint(0, 3))}
        is_free = rng.random() < 0.75
        offer = Offer(
            owner=owner,
            offer_type=offer_type,
            title=f"{title_de}{suffix}",
            summary=SUMMARY["de"],
            description=DESCRIPTION["de"],
            eligibility=rng.choice(
                [
                    "Alle Interessierten, unabhängig vom Aufenthaltsstatus.",
                    "Erwachsene mit Wohnsitz im Landkreis.",
                    "Kinder von 6 bis 12 Jahren.",
                    "Frauen und ihre Kinder.",
                ]
            ),
            how_to_access=rng.choice(
                ["Einfach vorbeikommen.", "Bitte vorher telefonisch anmelden.", "Anmeldung per E-Mail."]
            ),
            cost_note=""
            if is_free
            else rng.choice(
                ["5 € pro Termin", "Mitgliedsbeitrag 2 € im Monat", "Kostenübernahme durch das BAMF möglich"]
            ),
            is_free=is_free,
            target_groups=tokens_join(rng.sample(TargetGroup.values, k=rng.randint(1, 2))),
            languages=tokens_join(languages),
            gemeinde=gemeinde if rng.random() < 0.92 else None,
            location=location_of.get(owner.pk) if rng.random() < 0.8 else None,
            contact_email=f"angebot{index}@demo.invalid",
            contact_phone=f"03984 {2000 + index}",
            status=Status.PUBLISHED if rng.random() < 0.96 else Status.DRAFT,
            last_confirmed_at=now - timedelta(days=rng.randint(0, 520)),
            is_demo=True,
        )
        new_offers.append(offer)
        texts.append(
            {
                code: {
                    "title": f"{titles[code]}{suffix}",
                    "summary": SUMMARY[code],
                    "description": DESCRIPTION[code],
                }
                for code in TARGET_LANGUAGES
            }
        )
    Offer.objects.bulk_create(new_offers, batch_size=500)
    translations: list[OfferTranslation] = []
    by_offer: dict[int, list[OfferTranslation]] = {}
    for offer, offer_texts in zip(new_offers, texts, strict=True):
        for code in TARGET_LANGUAGES:
            if not all_languages and rng.random() > TRANSLATION_SHARE[code]:
                continue
            status, machine = (TranslationStatus.CURRENT, False) if all_languages else _translation_status(rng)
            translation = OfferTranslation(
                offer=offer, language=code, status=status, machine_translated=machine, **offer_texts[code]
            )
            translations.append(translation)
            by_offer.setdefault(offer.pk, []).append(translation)
    OfferTranslation.objects.bulk_create(translations, batch_size=1000)
    for offer in new_offers:
        # search_text_for reads translations through the related manager; prefill its cache.
        offer._prefetched_objects_cache = {"translations": by_offer.get(offer.pk, [])}  # type: ignore[attr-defined]
        offer.search_text = search_text_for(offer)
    Offer.objects.bulk_update(new_offers, ["search_text"], batch_size=500)
    index_offers([o.pk for o in new_offers])
    bump_content_version()
    _events(rng, new_offers, events)
    return len(new_offers)


def _events(rng: random.Random, offers: Sequence[Offer], count: int) -> None:
    candidates = [
        o
        for o in offers
        if o.offer_type in {"leisure", "language_course", "childcare", "counselling"} and o.status == Status.PUBLISHED
    ]
    if not candidates or not count:
        return
    today = timezone.localdate()
    new_events: list[Event] = []
    for index in range(count):
        offer = candidates[index % len(candidates)]
        day = today + timedelta(days=rng.randint(0, 45))
        start = timezone.make_aware(datetime(day.year, day.month, day.day, rng.choice([10, 15, 17, 18])))
        weekly = rng.random() < 0.5
        new_events.append(
            Event(
                owner_id=offer.owner_id,
                offer=offer,
                event_type=offer.offer_type,
                title=offer.title if weekly else f"Infoabend: {offer.title}",
                description="Offenes Treffen, Anmeldung nicht nötig (Demodaten).",
                gemeinde_id=offer.gemeinde_id,
                location_id=offer.location_id,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                recurrence=Recurrence.WEEKLY if weekly else Recurrence.NONE,
                repeat_until=today + timedelta(days=180) if weekly else None,
                is_free=offer.is_free,
                languages=offer.languages,
                status=Status.PUBLISHED,
                is_demo=True,
            )
        )
    Event.objects.bulk_create(new_events)
    EventTranslation.objects.bulk_create(
        [
            EventTranslation(
                event=event,
                language="en",
                title=f"Meeting: {event.title}",
                description="Open meeting, no registration needed (demo data).",
                status=TranslationStatus.MACHINE,
                machine_translated=True,
            )
            for event in new_events
            if rng.random() < 0.6
        ]
    )


def build_demo_directory(district: DemoDistrict) -> None:
    """Demo builder: ~40 organisations with Steckbrief, 320 offers, 90 events, submissions, dialogue log."""
    if Offer.objects.filter(is_demo=True).exists():
        return
    gemeinden = list(Gemeinde.objects.filter(kreis=district.kreis, is_gemeinde=True).order_by("-population"))
    if not gemeinden:
        return
    rng = random.Random(2026)
    with transaction.atomic():
        owners = _organisations(rng, gemeinden, 40)
        for key in ("beratung", "mso", "jobcenter"):
            organisation = district.organisations.get(key)
            if organisation is not None:
                owners.append((organisation, gemeinden[0]))
                OrganisationProfile.objects.update_or_create(
                    organisation=organisation,
                    defaults={
                        "description": f"{organisation.name} (Demodaten).",
                        "is_public": True,
                        "is_demo": True,
                        "is_mso": key == "mso",
                        "languages": tokens_join(["de", "en", "ar"]),
                    },
                )
        count = generate_directory(gemeinden=gemeinden, owners=owners, offers=320, events=90)
        _submissions_and_dialogue(rng, district, gemeinden, owners)
        record(
            "directory.demo.load",
            object_type="directory.offer",
            object_repr=f"{count} Demo-Angebote",
            extra={"offers": count},
        )
    district.notes.append(
        f"Angebotsverzeichnis: {count} Demo-Angebote, 90 Termine, 40 Organisationen "
        "unter /angebote/ (Moderation: /staff/angebote/, z. B. als 'redaktion')."
    )


def _submissions_and_dialogue(
    rng: random.Random,
    district: Any,
    gemeinden: Sequence[Gemeinde],
    owners: Sequence[tuple[Organisation, Gemeinde]],
) -> None:
    proposals = [
        ("Offener Spieleabend", "leisure"),
        ("Beratung für Studierende aus dem Ausland", "counselling"),
        ("Kochen aus aller Welt", "leisure"),
        ("Mathe-Nachhilfe auf Arabisch", "education"),
        ("Fahrradwerkstatt für alle", "volunteering"),
    ]
    for title, offer_type in proposals:
        gemeinde = rng.choice(list(gemeinden[:3]))
        Submission.objects.create(
            kind=SubmissionKind.NEW,
            gemeinde=gemeinde,
            data={
                "title": f"{title} in {gemeinde.name}",
                "offer_type": offer_type,
                "description": "Vorschlag aus der Zivilgesellschaft (Demodaten).",
                "is_free": True,
                "languages": ["de", "ar"],
                "target_groups": ["everyone"],
            },
            submitter_name="Demo-Person",
            submitter_email="vorschlag@demo.invalid",
            consent_publish_contact=True,
        )
    landkreis = district.organisations.get("landkreis")
    if landkreis is None:
        return
    today = timezone.localdate()
    mso = [o for o, _g in owners if OrganisationProfile.objects.filter(organisation=o, is_mso=True).exists()]
    topics = [
        "Vorbereitung Interkulturelle Woche",
        "Raumsuche für Sprachcafé",
        "Förderantrag Ehrenamt",
        "Beteiligung am Integrationskonzept",
        "Sommerfest",
    ]
    DialogueEntry.objects.bulk_create(
        [
            DialogueEntry(
                owner=landkreis,
                organisation=organisation,
                date=today - timedelta(days=7 * i),
                kind=rng.choice(DialogueKind.values),
                contacts="Vorstand (Demodaten)",
                topics=topics[i % len(topics)],
                next_steps="Rückmeldung zu Terminvorschlägen",
                follow_up_on=today + timedelta(days=rng.randint(-3, 20)),
            )
            for i, organisation in enumerate(mso[:12])
        ]
    )
