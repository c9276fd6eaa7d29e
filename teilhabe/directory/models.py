"""Public directory of offers and actors (issue #6).

German source texts live on the parent rows; every other language is a ``...Translation`` row with its
own status, so a visitor sees a translation when one exists and the German text with a note otherwise.
List-valued attributes (languages, target groups, fields of work) are stored as ``,a,b,`` token strings:
one LIKE filter works the same on SQLite and PostgreSQL and needs no join.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from teilhabe.accounts.models import User


class OfferType(models.TextChoices):
    LEISURE = "leisure", _("Freizeit, Sport und Kultur")
    COUNSELLING = "counselling", _("Beratung")
    LANGUAGE_COURSE = "language_course", _("Sprachkurs")
    CHILDCARE = "childcare", _("Kinderbetreuung")
    EDUCATION = "education", _("Bildung und Ausbildung")
    WORK = "work", _("Arbeit")
    HEALTH = "health", _("Gesundheit")
    HOUSING = "housing", _("Wohnen")
    LEGAL = "legal", _("Recht")
    VOLUNTEERING = "volunteering", _("Ehrenamt")


class TargetGroup(models.TextChoices):
    EVERYONE = "everyone", _("Alle")
    CHILDREN = "children", _("Kinder")
    YOUTH = "youth", _("Jugendliche")
    WOMEN = "women", _("Frauen")
    FAMILIES = "families", _("Familien")
    ADULTS = "adults", _("Erwachsene")
    SENIORS = "seniors", _("Seniorinnen und Senioren")
    REFUGEES = "refugees", _("Geflüchtete")
    NEWCOMERS = "newcomers", _("Neuzugewanderte")
    VOLUNTEERS = "volunteers", _("Ehrenamtliche")


# Languages offers can be held in (spoken by staff), beyond the seven interface languages.
SPOKEN_LANGUAGES: list[tuple[str, str]] = [
    ("de", "Deutsch"),
    ("en", "English"),
    ("ar", "العربية"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("tr", "Türkçe"),
    ("fa", "فارسی"),
    ("ps", "پښتو"),
    ("ku", "Kurdî"),
    ("ti", "ትግርኛ"),
    ("so", "Soomaali"),
    ("fr", "Français"),
    ("pl", "Polski"),
    ("ro", "Română"),
    ("vi", "Tiếng Việt"),
    ("sq", "Shqip"),
]
SPOKEN_LANGUAGE_NAMES = dict(SPOKEN_LANGUAGES)


def tokens_join(values: Iterable[str]) -> str:
    cleaned = sorted({v.strip() for v in values if v and v.strip()})
    return f",{','.join(cleaned)}," if cleaned else ""


def tokens_split(value: str) -> list[str]:
    return [v for v in value.split(",") if v]


class Status(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    PUBLISHED = "published", _("veröffentlicht")
    ARCHIVED = "archived", _("archiviert")


class TranslationStatus(models.TextChoices):
    CURRENT = "current", _("aktuell")
    OUTDATED = "outdated", _("veraltet")
    MISSING = "missing", _("fehlt")
    MACHINE = "machine", _("maschinell übersetzt")


def _scope_filter(user: User | AnonymousUser, *, owner_path: str, gemeinde_path: str | None) -> models.Q | None:
    """Which directory rows a staff user may work on; None means everything.

    Landkreis staff with ``directory.moderate`` work district-wide, Gemeinde staff on entries in the
    Gemeinden their organisation serves, everybody else on their own organisation's entries.
    """
    from teilhabe.accounts.access import has_district_permission, organisation_ids_with
    from teilhabe.accounts.models import Organisation, OrganisationKind

    if has_district_permission(user, "directory.moderate"):
        return None
    kinds = dict(
        Organisation.objects.filter(pk__in=organisation_ids_with(user, "directory.moderate")).values_list("pk", "kind")
    )
    if OrganisationKind.LANDKREIS in kinds.values():
        return None
    query = models.Q(**{f"{owner_path}__in": list(kinds)})
    gemeinde_org_ids = [org for org, kind in kinds.items() if kind == OrganisationKind.GEMEINDE]
    if gemeinde_path and gemeinde_org_ids:
        from teilhabe.regions.models import Gemeinde

        served = Gemeinde.objects.filter(organisations__in=gemeinde_org_ids).values("ags")
        query |= models.Q(**{f"{gemeinde_path}__in": served})
    return query


class ScopedQuerySet(models.QuerySet):
    owner_path = "owner"
    gemeinde_path: str | None = "gemeinde"

    def visible_to(self, user: User | AnonymousUser) -> Any:
        if not user.is_authenticated:
            return self.none()
        query = _scope_filter(user, owner_path=self.owner_path, gemeinde_path=self.gemeinde_path)
        if query is None:
            return self.all()
        return self.filter(query).distinct()


class OrganisationProfileQuerySet(ScopedQuerySet):
    owner_path = "organisation"
    gemeinde_path = None

    def public(self) -> OrganisationProfileQuerySet:
        return self.filter(is_public=True, organisation__is_active=True)


class OrganisationProfile(models.Model):
    """Public Steckbrief of an organisation of the platform."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="directory_profile",
        verbose_name=_("Organisation"),
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    contact_name = models.CharField(_("Ansprechperson"), max_length=150, blank=True)
    contact_email = models.EmailField(_("E-Mail für Anfragen"), blank=True)
    contact_phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    website = models.URLField(_("Internetseite"), blank=True)
    languages = models.CharField(_("Sprachen"), max_length=200, blank=True)
    fields_of_work = models.CharField(_("Arbeitsfelder"), max_length=300, blank=True)
    gemeinden = models.ManyToManyField(
        "regions.Gemeinde",
        verbose_name=_("Aktiv in Gemeinden"),
        blank=True,
        related_name="directory_profiles",
    )
    networks = models.CharField(_("Netzwerke und Mitgliedschaften"), max_length=300, blank=True)
    is_mso = models.BooleanField(_("Migrantenorganisation (MSO)"), default=False)
    is_public = models.BooleanField(_("öffentlich sichtbar"), default=False)
    is_demo = models.BooleanField(_("Demodaten"), default=False)
    source_language = models.CharField(_("Ausgangssprache"), max_length=8, default="de")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationProfileQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("Steckbrief")
        verbose_name_plural = _("Steckbriefe")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def language_list(self) -> list[str]:
        return tokens_split(self.languages)

    @property
    def fields_of_work_list(self) -> list[str]:
        return tokens_split(self.fields_of_work)


class LocationQuerySet(ScopedQuerySet):
    pass


class Location(models.Model):
    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="directory_locations")
    name = models.CharField(_("Bezeichnung"), max_length=200)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=5, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    gemeinde = models.ForeignKey(
        "regions.Gemeinde",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directory_locations",
        verbose_name=_("Gemeinde"),
    )
    latitude = models.FloatField(_("Breitengrad"), null=True, blank=True)
    longitude = models.FloatField(_("Längengrad"), null=True, blank=True)
    opening_hours = models.TextField(_("Öffnungszeiten"), blank=True)
    wheelchair_accessible = models.BooleanField(_("stufenlos/rollstuhlgerecht"), default=False)
    accessible_toilet = models.BooleanField(_("barrierefreies WC"), default=False)
    hearing_loop = models.BooleanField(_("Induktionsschleife"), default=False)
    accessibility_note = models.CharField(_("Hinweise zur Barrierefreiheit"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("Demodaten"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("Ort")
        verbose_name_plural = _("Orte")

    def __str__(self) -> str:
        return self.name

    @property
    def address_line(self) -> str:
        return ", ".join(p for p in [self.street, f"{self.postcode} {self.city}".strip()] if p)


class OfferQuerySet(ScopedQuerySet):
    def published(self) -> OfferQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def stale(self) -> OfferQuerySet:
        cutoff = timezone.now() - timedelta(days=settings.DIRECTORY_STALE_DAYS)
        return self.filter(status=Status.PUBLISHED).filter(
            models.Q(last_confirmed_at__lt=cutoff) | models.Q(last_confirmed_at__isnull=True)
        )


OFFER_TEXT_FIELDS = ["title", "summary", "description", "eligibility", "how_to_access", "cost_note"]


class Offer(models.Model):
    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="directory_offers",
        verbose_name=_("Anbieter"),
    )
    offer_type = models.CharField(_("Art des Angebots"), max_length=30, choices=OfferType.choices)
    title = models.CharField(_("Titel"), max_length=200)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=300, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    eligibility = models.TextField(_("Wer kann teilnehmen?"), blank=True)
    how_to_access = models.TextField(_("So erreichen Sie das Angebot"), blank=True)
    cost_note = models.CharField(_("Kosten"), max_length=200, blank=True)
    is_free = models.BooleanField(_("kostenlos"), default=False)
    target_groups = models.CharField(_("Zielgruppen"), max_length=200, blank=True)
    languages = models.CharField(_("Gesprochene Sprachen"), max_length=200, blank=True)
    gemeinde = models.ForeignKey(
        "regions.Gemeinde",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directory_offers",
        verbose_name=_("Gemeinde"),
        help_text=_("Leer lassen, wenn das Angebot im ganzen Kreis gilt."),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("Ort"),
    )
    contact_email = models.EmailField(_("E-Mail"), blank=True)
    contact_phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    website = models.URLField(_("Internetseite"), blank=True)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    source_language = models.CharField(_("Ausgangssprache"), max_length=8, default="de")
    last_confirmed_at = models.DateTimeField(_("zuletzt bestätigt"), null=True, blank=True)
    stale_notified_at = models.DateTimeField(_("Bestätigung angefragt"), null=True, blank=True)
    # All texts of all languages, for full-text search (GIN index on PostgreSQL, see migration 0002).
    search_text = models.TextField(blank=True, editable=False)
    is_demo = models.BooleanField(_("Demodaten"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")
        indexes = [models.Index(fields=["status", "offer_type"]), models.Index(fields=["status", "gemeinde"])]

    def __str__(self) -> str:
        return self.title

    @property
    def language_list(self) -> list[str]:
        return tokens_split(self.languages)

    @property
    def target_group_list(self) -> list[str]:
        return tokens_split(self.target_groups)


class TranslationBase(models.Model):
    language = models.CharField(_("Sprache"), max_length=8)
    status = models.CharField(
        _("Status"), max_length=10, choices=TranslationStatus.choices, default=TranslationStatus.CURRENT
    )
    source_language = models.CharField(_("Übersetzt aus"), max_length=8, default="de")
    machine_translated = models.BooleanField(_("maschinell übersetzt"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OfferTranslation(TranslationBase):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(_("Titel"), max_length=200, blank=True)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=300, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    eligibility = models.TextField(_("Wer kann teilnehmen?"), blank=True)
    how_to_access = models.TextField(_("So erreichen Sie das Angebot"), blank=True)
    cost_note = models.CharField(_("Kosten"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["offer", "language"], name="unique_offer_translation")]
        verbose_name = _("Übersetzung (Angebot)")
        verbose_name_plural = _("Übersetzungen (Angebote)")

    def __str__(self) -> str:
        return f"{self.offer_id}/{self.language}"


class Recurrence(models.TextChoices):
    NONE = "none", _("einmalig")
    WEEKLY = "weekly", _("wöchentlich")


class EventQuerySet(ScopedQuerySet):
    def published(self) -> EventQuerySet:
        return self.filter(status=Status.PUBLISHED)


EVENT_TEXT_FIELDS = ["title", "description"]


class Event(models.Model):
    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="directory_events",
        verbose_name=_("Veranstalter"),
    )
    offer = models.ForeignKey(
        Offer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("Gehört zu Angebot"),
    )
    event_type = models.CharField(_("Art"), max_length=30, choices=OfferType.choices)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    gemeinde = models.ForeignKey(
        "regions.Gemeinde",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directory_events",
        verbose_name=_("Gemeinde"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("Ort"),
    )
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    recurrence = models.CharField(_("Wiederholung"), max_length=10, choices=Recurrence.choices, default=Recurrence.NONE)
    repeat_until = models.DateField(_("wiederholt bis"), null=True, blank=True)
    is_free = models.BooleanField(_("kostenlos"), default=True)
    languages = models.CharField(_("Gesprochene Sprachen"), max_length=200, blank=True)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    source_language = models.CharField(_("Ausgangssprache"), max_length=8, default="de")
    is_demo = models.BooleanField(_("Demodaten"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")

    def __str__(self) -> str:
        return self.title


class EventTranslation(TranslationBase):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(_("Titel"), max_length=200, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "language"], name="unique_event_translation")]
        verbose_name = _("Übersetzung (Veranstaltung)")
        verbose_name_plural = _("Übersetzungen (Veranstaltungen)")

    def __str__(self) -> str:
        return f"{self.event_id}/{self.language}"


class SubmissionKind(models.TextChoices):
    NEW = "new", _("Neues Angebot")
    CHANGE = "change", _("Änderung eines Angebots")


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", _("offen")
    APPROVED = "approved", _("angenommen")
    REJECTED = "rejected", _("abgelehnt")


class SubmissionQuerySet(ScopedQuerySet):
    owner_path = "offer__owner"

    def pending(self) -> SubmissionQuerySet:
        return self.filter(status=SubmissionStatus.PENDING)


class Submission(models.Model):
    """A proposal from the public, without an account. Nothing is published before moderation."""

    kind = models.CharField(_("Art"), max_length=10, choices=SubmissionKind.choices)
    offer = models.ForeignKey(
        Offer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("Betroffenes Angebot"),
    )
    gemeinde = models.ForeignKey(
        "regions.Gemeinde",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directory_submissions",
        verbose_name=_("Gemeinde"),
    )
    data = models.JSONField(_("Vorgeschlagene Angaben"), default=dict)
    submitter_name = models.CharField(_("Name der einreichenden Person"), max_length=150, blank=True)
    submitter_email = models.EmailField(_("E-Mail der einreichenden Person"), blank=True)
    consent_publish_contact = models.BooleanField(
        _("Einwilligung zur Veröffentlichung der Kontaktdaten"), default=False
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING
    )
    moderation_message = models.TextField(_("Nachricht an die einreichende Person"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    result_offer = models.ForeignKey(Offer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Einreichung")
        verbose_name_plural = _("Einreichungen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def title(self) -> str:
        return str(self.data.get("title", ""))


class DialogueKind(models.TextChoices):
    MEETING = "meeting", _("Treffen")
    PHONE = "phone", _("Telefonat")
    EMAIL = "email", _("E-Mail/Schreiben")
    EVENT = "event", _("Veranstaltung/Netzwerktreffen")


class DialogueEntryQuerySet(models.QuerySet["DialogueEntry"]):
    def visible_to(self, user: User | AnonymousUser) -> DialogueEntryQuerySet:
        from teilhabe.accounts.access import organisation_ids_with

        if not user.is_authenticated:
            return self.none()
        return self.filter(owner_id__in=organisation_ids_with(user, "directory.dialogue"))


class DialogueEntry(models.Model):
    """Staff-only log of the district's contacts with an organisation (usually a migrant organisation)."""

    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("Geführt von")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="directory_dialogue",
        verbose_name=_("Organisation"),
    )
    date = models.DateField(_("Datum"))
    kind = models.CharField(_("Art"), max_length=10, choices=DialogueKind.choices, default=DialogueKind.MEETING)
    contacts = models.CharField(_("Gesprächspartner/innen"), max_length=300, blank=True)
    topics = models.TextField(_("Themen"))
    next_steps = models.TextField(_("Nächste Schritte"), blank=True)
    follow_up_on = models.DateField(_("Wiedervorlage am"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DialogueEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("Dialogeintrag")
        verbose_name_plural = _("Dialogprotokoll")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d.%m.%Y}"


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("geprüft (Probelauf)")
    COMMITTED = "committed", _("übernommen")


class OfferImportQuerySet(ScopedQuerySet):
    gemeinde_path = None


class OfferImport(models.Model):
    """One uploaded offer list: the dry-run report is kept so the commit uses exactly the checked rows."""

    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="directory_imports", verbose_name=_("Anbieter")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(_("Datei"), max_length=200)
    file_format = models.CharField(_("Format"), max_length=40, blank=True)
    publish = models.BooleanField(_("sofort veröffentlichen"), default=False)
    status = models.CharField(_("Status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.CHECKED)
    # Raw cells per data row ({"_row": n, column: text}); problems as {"row", "column", "code", "message"}.
    rows = models.JSONField(default=list)
    problems = models.JSONField(default=list)
    # How the columns were read (``teilhabe.lib.import_preview.Preview.as_dict``), shown before committing.
    preview = models.JSONField(default=dict, blank=True)
    offers_created = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    objects = OfferImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Import von Angeboten")
        verbose_name_plural = _("Importe von Angeboten")

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.file_name})"

    @property
    def can_commit(self) -> bool:
        return self.status == ImportStatus.CHECKED and not self.problems and bool(self.rows)


# Search index tables live in their own module; imported here so Django registers them.
from teilhabe.directory.search_models import SearchIndexChange, SearchTerm, SearchWord, SynonymGroup  # noqa: E402, F401
