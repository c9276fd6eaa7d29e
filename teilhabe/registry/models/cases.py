"""The case record itself: the person's core data, field groups, trajectory events and plan goals."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from teilhabe.registry.fieldgroups import FIELD_GROUPS
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models.protection import PII, RES, N

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from teilhabe.accounts.models import User

__all__ = [
    "AREA_GROUP",
    "EVENT_GROUP",
    "Case",
    "CaseQuerySet",
    "EventKind",
    "FieldGroupEntry",
    "GoalStatus",
    "PlanArea",
    "PlanGoal",
    "Sex",
    "TrajectoryEvent",
    "TrajectoryEventQuerySet",
]


class Sex(models.TextChoices):
    FEMALE = "w", _("weiblich")
    MALE = "m", _("männlich")
    DIVERSE = "d", _("divers")
    UNKNOWN = "x", _("ohne Angabe")


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User | AnonymousUser) -> CaseQuerySet:
        """Cases of the organisations in which the user holds ``case.read``. No district-wide view: the
        Landkreis sees trajectories only as pseudonymised cohort figures."""
        from teilhabe.accounts.access import organisation_ids_with

        if not user.is_authenticated:
            return self.none()
        return self.filter(owner_id__in=organisation_ids_with(user, "case.read"))


class Case(models.Model):
    """Identity part of the record; everything else lives in field groups."""

    PROTECTION: ClassVar[dict[str, str]] = {
        "id": N,
        "owner": N,
        "reference": N,
        "family_name": PII,
        "given_names": PII,
        "family_name_latin": PII,
        "given_names_latin": PII,
        "search_name": PII,
        "birth_year": PII,
        "birth_month": PII,
        "birth_day": PII,
        "birth_date_is_placeholder": PII,
        "sex": PII,
        "nationalities": PII,
        "azr_number_enc": RES,
        "arrival_date": PII,
        "allocation_date": PII,
        "gemeinde": PII,
        "legal_basis": N,
        "closed_at": N,
        "restricted_at": N,
        "legal_hold": N,
        "is_synthetic": N,
        "created_at": N,
        "created_by": N,
        "updated_at": N,
        "updated_by": N,
    }

    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("Verantwortliche Stelle"),
    )
    reference = models.CharField(_("Aktenzeichen"), max_length=40, blank=True)
    family_name = models.CharField(_("Familienname (Originalschrift)"), max_length=150)
    given_names = models.CharField(_("Vornamen (Originalschrift)"), max_length=150, blank=True)
    family_name_latin = models.CharField(_("Familienname (lateinische Umschrift)"), max_length=150, blank=True)
    given_names_latin = models.CharField(_("Vornamen (lateinische Umschrift)"), max_length=150, blank=True)
    # Lower-cased concatenation of all name variants, for the minimum-input search (DP-11).
    search_name = models.CharField(max_length=650, blank=True, editable=False, db_index=True)
    birth_year = models.PositiveSmallIntegerField(_("Geburtsjahr"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("Geburtsmonat"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("Geburtstag"), null=True, blank=True)
    birth_date_is_placeholder = models.BooleanField(
        _("Platzhalterdatum"),
        default=False,
        help_text=_("Das Datum ist nicht belegt, sondern ersatzweise eingetragen (z. B. 01.01. des Jahres)."),
    )
    sex = models.CharField(_("Geschlecht"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    nationalities = models.JSONField(_("Staatsangehörigkeiten (Destatis-Schlüssel)"), default=list, blank=True)
    # Encrypted at application level (registry.crypto); read and write through ``azr_number``.
    azr_number_enc = models.TextField(_("AZR-Nummer (verschlüsselt)"), blank=True)
    arrival_date = models.DateField(_("Einreise"), null=True, blank=True)
    allocation_date = models.DateField(_("Zuweisung in den Kreis"), null=True, blank=True)
    gemeinde = models.ForeignKey(
        "regions.Gemeinde",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Wohngemeinde"),
    )
    legal_basis = models.CharField(_("Rechtsgrundlage"), max_length=30, choices=LegalBasis.choices)
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    # Art. 18: a restricted record leaves search, export and transmissions; only privileged roles open it.
    restricted_at = models.DateTimeField(_("eingeschränkt seit"), null=True, blank=True)
    # Art. 17(3)(b): a recorded reason (legal duty / public task) that blocks erasure.
    legal_hold = models.CharField(_("Aufbewahrungspflicht (Art. 17 Abs. 3 lit. b DSGVO)"), max_length=300, blank=True)
    is_synthetic = models.BooleanField(_("synthetische Demodaten"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["family_name_latin", "family_name", "pk"]
        verbose_name = _("Integrationsakte")
        verbose_name_plural = _("Integrationsakten")
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True) | Q(birth_month__gte=1, birth_month__lte=12),
                name="case_birth_month_range",
            ),
            models.CheckConstraint(
                condition=Q(birth_day__isnull=True) | Q(birth_day__gte=1, birth_day__lte=31),
                name="case_birth_day_range",
            ),
        ]

    def __str__(self) -> str:
        # Deliberately no name: str() ends up in logs and audit object_repr.
        return f"Integrationsakte {self.pk}"

    @property
    def azr_number(self) -> str:
        from teilhabe.registry.crypto import decrypt_text

        return decrypt_text(self.azr_number_enc)

    @azr_number.setter
    def azr_number(self, value: str) -> None:
        from teilhabe.registry.crypto import encrypt_text

        self.azr_number_enc = encrypt_text((value or "").strip())

    @property
    def display_reference(self) -> str:
        return self.reference or f"IA-{self.pk}"

    def birth_date_display(self) -> str:
        if self.birth_year is None:
            return "—"
        parts = [
            f"{self.birth_day:02d}" if self.birth_day else "XX",
            f"{self.birth_month:02d}" if self.birth_month else "XX",
            str(self.birth_year),
        ]
        text = ".".join(parts)
        return f"{text} ({_('Platzhalter')})" if self.birth_date_is_placeholder else text

    def birth_date(self) -> date | None:
        if self.birth_year and self.birth_month and self.birth_day:
            return date(self.birth_year, self.birth_month, self.birth_day)
        return None


class FieldGroupEntry(models.Model):
    """The values of one field group for one case, with the legal basis for holding them (DP-03).

    One JSON row per (case, group) keeps the group catalogue as data; the protection class comes from
    ``FIELD_GROUPS`` and is the same for every value in the row (see docs/decisions/registry-field-groups.md).
    """

    PROTECTION: ClassVar[dict[str, str]] = {
        "id": N,
        "case": N,
        "group": N,
        "data": "by_group",
        "legal_basis": N,
        "version": N,
        "updated_at": N,
        "updated_by": N,
    }

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    group = models.CharField(_("Feldgruppe"), max_length=40, choices=[(k, g.label) for k, g in FIELD_GROUPS.items()])
    data = models.JSONField(_("Werte"), default=dict)
    legal_basis = models.CharField(_("Rechtsgrundlage"), max_length=30, choices=LegalBasis.choices)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "group"], name="unique_case_group"),
            models.CheckConstraint(condition=~Q(legal_basis=""), name="fieldgroup_has_legal_basis"),
        ]
        verbose_name = _("Feldgruppe")
        verbose_name_plural = _("Feldgruppen")

    def __str__(self) -> str:
        return f"{self.group} ({self.case_id})"


class EventKind(models.TextChoices):
    ARRIVAL = "arrival", _("Einreise")
    ALLOCATION = "allocation", _("Zuweisung")
    COURSE_REGISTERED = "course_registered", _("Anmeldung Integrations-/Sprachkurs")
    COURSE_STARTED = "course_started", _("Kursbeginn")
    COURSE_COMPLETED = "course_completed", _("Kursabschluss")
    LEVEL_REACHED = "level_reached", _("Sprachniveau erreicht")
    SCHOOL_ENROLLED = "school_enrolled", _("Aufnahme Kita/Schule")
    RECOGNITION_APPLIED = "recognition_applied", _("Antrag auf Anerkennung")
    RECOGNITION_DECIDED = "recognition_decided", _("Anerkennungsbescheid")
    TRAINING_STARTED = "training_started", _("Beginn Ausbildung/Studium")
    EMPLOYMENT_STARTED = "employment_started", _("Beschäftigungsaufnahme")
    EMPLOYMENT_ENDED = "employment_ended", _("Ende der Beschäftigung")
    SHARED_HOUSING_IN = "shared_housing_in", _("Einzug Gemeinschaftsunterkunft")
    MOVED_OUT = "moved_out", _("Auszug in eigene Wohnung")
    COUNSELLING = "counselling", _("Beratungskontakt")
    RESIDENCE_CHANGED = "residence_changed", _("Änderung des Aufenthaltsstatus")


# Each event kind belongs to a field group: who cannot read the group does not see the event either.
EVENT_GROUP: dict[str, str] = {
    EventKind.ARRIVAL: "identitaet",
    EventKind.ALLOCATION: "identitaet",
    EventKind.COURSE_REGISTERED: "sprachkurs",
    EventKind.COURSE_STARTED: "sprachkurs",
    EventKind.COURSE_COMPLETED: "sprachkurs",
    EventKind.LEVEL_REACHED: "sprachkurs",
    EventKind.SCHOOL_ENROLLED: "kita_schule",
    EventKind.RECOGNITION_APPLIED: "anerkennung",
    EventKind.RECOGNITION_DECIDED: "anerkennung",
    EventKind.TRAINING_STARTED: "ausbildung",
    EventKind.EMPLOYMENT_STARTED: "beschaeftigung",
    EventKind.EMPLOYMENT_ENDED: "beschaeftigung",
    EventKind.SHARED_HOUSING_IN: "wohnen",
    EventKind.MOVED_OUT: "wohnen",
    EventKind.COUNSELLING: "beratung",
    EventKind.RESIDENCE_CHANGED: "aufenthalt",
}


class TrajectoryEventQuerySet(models.QuerySet["TrajectoryEvent"]):
    def current(self) -> TrajectoryEventQuerySet:
        """Events neither withdrawn nor replaced by a correction."""
        return self.filter(withdrawn_at__isnull=True, replaced_by__isnull=True)


class TrajectoryEvent(models.Model):
    PROTECTION: ClassVar[dict[str, str]] = {
        "id": N,
        "case": N,
        "kind": "by_group",
        "date": "by_group",
        "detail": "by_group",
        "created_at": N,
        "created_by": N,
        "replaces": N,
        "withdrawn_at": N,
        "withdrawn_by": N,
        "withdrawal_reason": "by_group",
    }
    # "by_group" fields take the protection classes of these groups (see privacy.checks).
    ROW_GROUPS: ClassVar[frozenset[str]] = frozenset(EVENT_GROUP.values())

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("Ereignis"), max_length=30, choices=EventKind.choices)
    date = models.DateField(_("Datum"))
    detail = models.CharField(
        _("Angabe"),
        max_length=200,
        blank=True,
        help_text=_("Kurz und sachlich, z. B. Kursträger oder Niveau."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Corrections keep history: a correction is a new row that replaces the old one; a withdrawal marks the
    # row. Neither deletes anything; pages and exports show only current events.
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by", verbose_name=_("ersetzt")
    )
    withdrawn_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.CharField(_("Grund"), max_length=300, blank=True)

    objects = TrajectoryEventQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("Verlaufsereignis")
        verbose_name_plural = _("Verlaufsereignisse")

    def __str__(self) -> str:
        return f"{self.kind} {self.date}"

    @property
    def group(self) -> str:
        return EVENT_GROUP[self.kind]


class PlanArea(models.TextChoices):
    """The 8 areas of Baden-Württemberg's Integrationsmanagement."""

    SPRACHE = "sprache", _("Sprache")
    SCHULE = "schule", _("Schule")
    AUSBILDUNG = "ausbildung", _("Ausbildung/Studium")
    ARBEIT = "arbeit", _("Arbeit")
    WOHNEN = "wohnen", _("Wohnen")
    GESUNDHEIT = "gesundheit", _("Gesundheit")
    TEILHABE = "teilhabe", _("Gesellschaftliche Teilhabe")
    KINDER = "kinder", _("Kinder")


# Goals are visible with the field group of their area; "kinder" goals follow Kita/Schule.
AREA_GROUP: dict[str, str] = {
    PlanArea.SPRACHE: "sprachkurs",
    PlanArea.SCHULE: "kita_schule",
    PlanArea.AUSBILDUNG: "ausbildung",
    PlanArea.ARBEIT: "beschaeftigung",
    PlanArea.WOHNEN: "wohnen",
    PlanArea.GESUNDHEIT: "gesundheit",
    PlanArea.TEILHABE: "teilhabe",
    PlanArea.KINDER: "kita_schule",
}


class GoalStatus(models.TextChoices):
    OPEN = "open", _("offen")
    IN_PROGRESS = "in_progress", _("in Arbeit")
    ACHIEVED = "achieved", _("erreicht")
    DROPPED = "dropped", _("nicht weiter verfolgt")


class PlanGoal(models.Model):
    """One goal of the person's Integrationsplan."""

    PROTECTION: ClassVar[dict[str, str]] = {
        "id": N,
        "case": N,
        "area": "by_group",
        "description": "by_group",
        "status": "by_group",
        "review_on": N,
        "created_at": N,
        "updated_at": N,
        "updated_by": N,
    }
    ROW_GROUPS: ClassVar[frozenset[str]] = frozenset(AREA_GROUP.values())

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    area = models.CharField(_("Handlungsfeld"), max_length=20, choices=PlanArea.choices)
    # Goals of an Art. 9 area (Gesundheit) are stored encrypted (registry.crypto): read via ``text``.
    description = models.TextField(_("Ziel"))
    status = models.CharField(_("Status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    review_on = models.DateField(_("Überprüfung am"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["area", "review_on", "pk"]
        verbose_name = _("Ziel im Integrationsplan")
        verbose_name_plural = _("Ziele im Integrationsplan")

    def __str__(self) -> str:
        return f"{self.area} ({self.case_id})"

    @property
    def group(self) -> str:
        return AREA_GROUP[self.area]

    @property
    def text(self) -> str:
        from teilhabe.registry.crypto import decrypt_text

        return decrypt_text(self.description)
