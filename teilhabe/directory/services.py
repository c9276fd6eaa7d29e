"""Writes to the directory: each service changes data and records the audit event in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from teilhabe.accounts.models import Organisation, User
from teilhabe.audit.services import Action, record
from teilhabe.directory.models import (
    EVENT_TEXT_FIELDS,
    OFFER_TEXT_FIELDS,
    DialogueEntry,
    Event,
    EventTranslation,
    ImportStatus,
    Location,
    Offer,
    OfferImport,
    OfferTranslation,
    OrganisationProfile,
    Status,
    Submission,
    SubmissionKind,
    SubmissionStatus,
    TranslationStatus,
    tokens_join,
)
from teilhabe.directory.search import bump_content_version

# Fields a public proposal may set on an offer; everything else (owner, status) is the moderator's call.
PROPOSAL_FIELDS = [
    "title",
    "offer_type",
    "summary",
    "description",
    "eligibility",
    "how_to_access",
    "cost_note",
    "is_free",
    "target_groups",
    "languages",
    "contact_email",
    "contact_phone",
    "website",
]
LIST_FIELDS = {"target_groups", "languages", "fields_of_work"}


def _normalise(data: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in data.items():
        if key in LIST_FIELDS and not isinstance(value, str):
            value = tokens_join(value or [])
        clean[key] = value
    return clean


def _apply(obj: Any, data: Mapping[str, Any]) -> list[str]:
    changed = []
    for key, value in _normalise(data).items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed.append(key)
    return changed


def search_text_for(offer: Offer) -> str:
    parts = [getattr(offer, f) for f in OFFER_TEXT_FIELDS]
    for translation in offer.translations.all():
        parts.extend(getattr(translation, f) for f in OFFER_TEXT_FIELDS)
    if offer.gemeinde_id:
        parts.append(offer.gemeinde.name if offer.gemeinde else "")
    parts.append(offer.owner.name)
    if offer.location_id and offer.location:
        parts.extend([offer.location.city, offer.location.street])
    return " ".join(p for p in parts if p).casefold()


def note_changed(offer_ids: list[int]) -> None:
    from teilhabe.directory.searchindex import note_changed as log

    log(offer_ids)


def refresh_search_text(offer: Offer) -> None:
    from teilhabe.directory.searchindex import index_offers

    Offer.objects.filter(pk=offer.pk).update(search_text=search_text_for(offer))
    index_offers([offer.pk])
    bump_content_version()


# Organisation profiles -----------------------------------------------------------------------------


def profile_save(
    *,
    acting_user: User | None,
    organisation: Organisation,
    data: Mapping[str, Any],
    gemeinden: Iterable[Any] | None = None,
) -> OrganisationProfile:
    with transaction.atomic():
        profile, created = OrganisationProfile.objects.get_or_create(organisation=organisation)
        changed = _apply(profile, data)
        profile.save()
        if gemeinden is not None:
            profile.gemeinden.set(list(gemeinden))
            changed.append("gemeinden")
        record(
            Action.CREATE if created else Action.UPDATE,
            actor=acting_user,
            organisation=organisation,
            obj=profile,
            changed_fields=changed,
        )
    return profile


# Locations, offers, events -------------------------------------------------------------------------


def location_save(
    *,
    acting_user: User | None,
    owner: Organisation,
    data: Mapping[str, Any],
    location: Location | None = None,
) -> Location:
    with transaction.atomic():
        created = location is None
        location = location or Location(owner=owner)
        changed = _apply(location, data)
        location.save()
        if not created:
            from teilhabe.directory.searchindex import index_offers

            index_offers(location.offers.values_list("pk", flat=True))
        bump_content_version()
        record(
            Action.CREATE if created else Action.UPDATE,
            actor=acting_user,
            organisation=location.owner,
            obj=location,
            changed_fields=changed,
        )
    return location


def _mark_translations_outdated(translations: Any, changed: list[str], text_fields: list[str]) -> None:
    if set(changed) & set(text_fields):
        translations.filter(status__in=[TranslationStatus.CURRENT, TranslationStatus.MACHINE]).update(
            status=TranslationStatus.OUTDATED
        )


def offer_create(
    *, acting_user: User | None, owner: Organisation, data: Mapping[str, Any], action: str = Action.CREATE
) -> Offer:
    with transaction.atomic():
        offer = Offer(owner=owner)
        changed = _apply(offer, data)
        if offer.status == Status.PUBLISHED and offer.last_confirmed_at is None:
            offer.last_confirmed_at = timezone.now()
        offer.save()
        refresh_search_text(offer)
        record(action, actor=acting_user, organisation=owner, obj=offer, changed_fields=changed)
    return offer


def offer_update(*, acting_user: User | None, offer: Offer, data: Mapping[str, Any]) -> list[str]:
    """Change an offer; translations of changed texts become 'outdated'. Editing counts as confirmation."""
    with transaction.atomic():
        changed = _apply(offer, data)
        offer.last_confirmed_at = timezone.now()
        offer.stale_notified_at = None
        offer.save()
        _mark_translations_outdated(offer.translations, changed, OFFER_TEXT_FIELDS)
        refresh_search_text(offer)
        record(Action.UPDATE, actor=acting_user, organisation=offer.owner, obj=offer, changed_fields=changed)
    return changed


def offer_confirm(*, acting_user: User, offer: Offer) -> None:
    with transaction.atomic():
        offer.last_confirmed_at = timezone.now()
        offer.stale_notified_at = None
        offer.save(update_fields=["last_confirmed_at", "stale_notified_at", "updated_at"])
        note_changed([offer.pk])
        bump_content_version()
        record("directory.offer.confirm", actor=acting_user, organisation=offer.owner, obj=offer)


def event_save(
    *, acting_user: User | None, owner: Organisation, data: Mapping[str, Any], event: Event | None = None
) -> Event:
    with transaction.atomic():
        created = event is None
        event = event or Event(owner=owner)
        changed = _apply(event, data)
        event.save()
        if not created:
            _mark_translations_outdated(event.translations, changed, EVENT_TEXT_FIELDS)
        record(
            Action.CREATE if created else Action.UPDATE,
            actor=acting_user,
            organisation=event.owner,
            obj=event,
            changed_fields=changed,
        )
    return event


# Translations --------------------------------------------------------------------------------------


def translation_save(
    *,
    acting_user: User | None,
    obj: Offer | Event,
    language: str,
    data: Mapping[str, Any],
    machine: bool = False,
    source: str = "editor",
) -> OfferTranslation | EventTranslation:
    """Store a translation; human translations are 'current', machine ones stay marked as such."""
    with transaction.atomic():
        if isinstance(obj, Offer):
            translation: OfferTranslation | EventTranslation
            translation, created = OfferTranslation.objects.get_or_create(offer=obj, language=language)
            fields = OFFER_TEXT_FIELDS
        else:
            translation, created = EventTranslation.objects.get_or_create(event=obj, language=language)
            fields = EVENT_TEXT_FIELDS
        changed = _apply(translation, {k: v for k, v in data.items() if k in fields})
        translation.status = TranslationStatus.MACHINE if machine else TranslationStatus.CURRENT
        translation.machine_translated = machine
        translation.source_language = obj.source_language
        translation.save()
        if isinstance(obj, Offer):
            refresh_search_text(obj)
        record(
            "directory.translation.save",
            actor=acting_user,
            organisation=obj.owner,
            obj=translation,
            changed_fields=changed,
            extra={"language": language, "machine": machine, "via": source, "created": created},
        )
    return translation


def machine_translate(*, acting_user: User, obj: Offer | Event, language: str) -> OfferTranslation | EventTranslation:
    from teilhabe.directory.translation import get_provider

    provider = get_provider()
    if provider is None:
        raise RuntimeError("TEILHABE_MT_PROVIDER ist nicht konfiguriert.")
    fields = OFFER_TEXT_FIELDS if isinstance(obj, Offer) else EVENT_TEXT_FIELDS
    texts = [getattr(obj, f) for f in fields]
    translated = provider.translate(texts, source=obj.source_language, target=language)
    return translation_save(
        acting_user=acting_user,
        obj=obj,
        language=language,
        data=dict(zip(fields, translated, strict=True)),
        machine=True,
        source="machine",
    )


# Public submissions and moderation -----------------------------------------------------------------


def submission_create(
    *,
    kind: str,
    data: Mapping[str, Any],
    gemeinde: Any = None,
    offer: Offer | None = None,
    submitter_name: str = "",
    submitter_email: str = "",
    consent: bool = False,
) -> Submission:
    with transaction.atomic():
        submission = Submission.objects.create(
            kind=kind,
            offer=offer,
            gemeinde=gemeinde if gemeinde is not None else (offer.gemeinde if offer else None),
            data=dict(data),
            submitter_name=submitter_name,
            submitter_email=submitter_email,
            consent_publish_contact=consent,
        )
        # No names or e-mail addresses in the audit trail; the submission id is enough.
        record(
            "directory.submission.create",
            obj=submission,
            object_repr=f"Einreichung #{submission.pk}",
            extra={"kind": kind, "offer": offer.pk if offer else None},
        )
    return submission


def _notify_submitter(submission: Submission, subject: str, body: str) -> None:
    from django.core.mail import send_mail

    if submission.submitter_email:
        email = submission.submitter_email
        transaction.on_commit(
            lambda: send_mail(
                subject=subject, message=body, from_email=None, recipient_list=[email], fail_silently=True
            )
        )


def submission_approve(
    *,
    acting_user: User,
    submission: Submission,
    owner: Organisation,
    data: Mapping[str, Any],
    gemeinde: Any = None,
    message: str = "",
) -> Offer:
    """Publish a proposal as edited by the moderator (new offer, or changes to the existing one)."""
    with transaction.atomic():
        fields = {k: v for k, v in data.items() if k in PROPOSAL_FIELDS}
        if not submission.consent_publish_contact:
            for key in ("contact_email", "contact_phone"):
                fields.pop(key, None)
        if submission.kind == SubmissionKind.CHANGE and submission.offer is not None:
            offer = submission.offer
            offer_update(acting_user=acting_user, offer=offer, data={**fields, "gemeinde": gemeinde})
        else:
            offer = offer_create(
                acting_user=acting_user,
                owner=owner,
                data={**fields, "gemeinde": gemeinde, "status": Status.PUBLISHED},
            )
        submission.status = SubmissionStatus.APPROVED
        submission.moderation_message = message
        submission.moderated_by = acting_user
        submission.moderated_at = timezone.now()
        submission.result_offer = offer
        submission.save()
        record(
            "directory.submission.approve",
            actor=acting_user,
            organisation=owner,
            obj=submission,
            object_repr=f"Einreichung #{submission.pk}",
            extra={"offer": offer.pk},
        )
        _notify_submitter(
            submission,
            "Ihr Vorschlag wurde veröffentlicht",
            f"Ihr Vorschlag „{offer.title}“ ist jetzt im Angebotsverzeichnis.\n\n{message}",
        )
    return offer


def submission_reject(*, acting_user: User, submission: Submission, message: str) -> None:
    with transaction.atomic():
        submission.status = SubmissionStatus.REJECTED
        submission.moderation_message = message
        submission.moderated_by = acting_user
        submission.moderated_at = timezone.now()
        submission.save()
        record(
            "directory.submission.reject",
            actor=acting_user,
            obj=submission,
            object_repr=f"Einreichung #{submission.pk}",
        )
        _notify_submitter(
            submission,
            "Ihr Vorschlag für das Angebotsverzeichnis",
            f"Ihr Vorschlag wurde nicht übernommen.\n\n{message}",
        )


# Dialogue with organisations -----------------------------------------------------------------------


def dialogue_save(
    *,
    acting_user: User,
    owner: Organisation,
    organisation: Organisation,
    data: Mapping[str, Any],
    entry: DialogueEntry | None = None,
) -> DialogueEntry:
    with transaction.atomic():
        created = entry is None
        entry = entry or DialogueEntry(owner=owner, organisation=organisation, created_by=acting_user)
        changed = _apply(entry, data)
        entry.save()
        record(
            Action.CREATE if created else Action.UPDATE,
            actor=acting_user,
            organisation=entry.owner,
            obj=entry,
            changed_fields=changed,
            extra={"about_organisation": organisation.pk},
        )
    return entry


def record_export(*, acting_user: User, what: str, count: int, filters: Mapping[str, Any]) -> None:
    record(
        Action.EXPORT,
        actor=acting_user,
        object_type=f"directory.{what}",
        object_repr=what,
        extra={"rows": count, "filters": dict(filters)},
    )


# Import of existing offer lists --------------------------------------------------------------------

ACTION_OFFER_IMPORT = "directory.offer_import"


def _problem_dicts(problems: Iterable[Any]) -> list[dict[str, Any]]:
    return [{"row": p.row, "column": p.column, "code": p.code, "message": p.message} for p in problems]


def offer_import_check(
    *, acting_user: User, owner: Organisation, data: bytes, file_name: str, publish: bool = False
) -> OfferImport:
    """Dry run: read and validate the file, keep the report; no offer is written."""
    from teilhabe.directory.importer import check_rows, read_preview, read_rows

    raw_rows, problems, file_format = read_rows(data, file_name)
    preview = read_preview(data, file_name)
    if not problems:
        problems = check_rows(raw_rows, owner=owner, publish=publish).problems
    return OfferImport.objects.create(
        owner=owner,
        created_by=acting_user,
        file_name=file_name[:200],
        file_format=file_format,
        publish=publish,
        rows=raw_rows,
        problems=_problem_dicts(problems),
        preview=preview.as_dict() if preview else {},
    )


class ImportRejected(Exception):
    """The rows no longer pass the check (e.g. a Gemeinde changed); nothing was written."""


def offer_import_commit(*, acting_user: User, run: OfferImport) -> list[Offer]:
    """Create all offers of a checked run in one transaction, or none; one audit event for the whole run."""
    from teilhabe.directory.importer import check_rows

    with transaction.atomic():
        run = OfferImport.objects.select_for_update().get(pk=run.pk)
        if run.status != ImportStatus.CHECKED:
            raise ImportRejected("Dieser Import wurde bereits übernommen.")
        checked = check_rows(run.rows, owner=run.owner, publish=run.publish)
        if not checked.ok:
            run.problems = _problem_dicts(checked.problems)
            run.save(update_fields=["problems"])
            raise ImportRejected("Die Datei enthält Fehler; es wurde nichts übernommen.")
        now = timezone.now()
        offers = []
        for row in checked.rows:
            offer = Offer(owner=run.owner)
            _apply(offer, row.data)
            if row.address:
                offer.location = Location.objects.create(
                    owner=run.owner, name=offer.title[:200], gemeinde=offer.gemeinde, **row.address
                )
            if offer.status == Status.PUBLISHED:
                offer.last_confirmed_at = now
            offer.save()
            offer.search_text = search_text_for(offer)
            offer.save(update_fields=["search_text"])
            offers.append(offer)
        from teilhabe.directory.searchindex import index_offers

        index_offers([o.pk for o in offers])
        bump_content_version()
        run.status = ImportStatus.COMMITTED
        run.offers_created = len(offers)
        run.committed_at = now
        run.save(update_fields=["status", "offers_created", "committed_at"])
        record(
            ACTION_OFFER_IMPORT,
            actor=acting_user,
            organisation=run.owner,
            obj=run,
            object_repr=f"Import #{run.pk}",
            extra={"rows": len(offers), "offers": [o.pk for o in offers], "published": run.publish},
        )
    return offers
