"""Field groups of an Integrationsakte, as data (DP-02, DP-10).

Each group has one protection class, the organisation kinds that may hold and write it, a permission
pair (``fieldgroup.<name>.read`` / ``.write``) and a retention period counted from case closure. Access
to a group needs all three: the organisation kind holds it, the role grants the permission in the owning
organisation, and (for Art. 9 groups) the installation has enabled the group in settings (off by default,
DP-09). Values of the ``identitaet`` group live on the ``Case`` row itself; all others in
``FieldGroupEntry.data``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from teilhabe.accounts.models import OrganisationKind as K


class Protection:
    NONE = "none"
    PII = "pii"
    SOZIALDATUM = "sozialdatum"
    RESIDENCE_STATUS = "residence_status"
    ART9 = "art9"

    ALL = (NONE, PII, SOZIALDATUM, RESIDENCE_STATUS, ART9)
    LABELS: dict[str, Promise] = {
        NONE: _("keine personenbezogenen Daten"),
        PII: _("personenbezogene Daten"),
        SOZIALDATUM: _("Sozialdaten (§ 67 Abs. 2 SGB X)"),
        RESIDENCE_STATUS: _("Aufenthaltsrechtliche Daten"),
        ART9: _("Besondere Kategorien (Art. 9 DSGVO)"),
    }


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str | Promise
    kind: str = "text"  # text | date | choice | bool | textarea
    choices: tuple[tuple[str, str | Promise], ...] = ()
    future_ok: bool = False  # dates: a future value makes sense (e.g. "gültig bis"); otherwise refused


@dataclass(frozen=True)
class FieldGroup:
    name: str
    label: str | Promise
    protection: str
    holders: frozenset[str]  # organisation kinds that may hold records of this group
    writers: frozenset[str]  # organisation kinds that may create/correct values of this group
    fields: tuple[FieldSpec, ...] = ()
    retention_days: int = 5 * 365  # after the case is closed
    plan_area: str = ""  # the Integrationsplan area whose goals belong to this group
    extra_notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def read_permission(self) -> str:
        return f"fieldgroup.{self.name}.read"

    @property
    def write_permission(self) -> str:
        return f"fieldgroup.{self.name}.write"

    @property
    def is_art9(self) -> bool:
        return self.protection == Protection.ART9


_CASE_AGENCIES = frozenset(
    {K.JOBCENTER, K.SOZIALAMT, K.JUGENDAMT, K.AUSLAENDERBEHOERDE, K.MIGRATIONSBERATUNG, K.LANDKREIS}
)
_SOCIAL_AGENCIES = frozenset({K.JOBCENTER, K.SOZIALAMT, K.JUGENDAMT})

LEVELS = (("", "—"), ("A1", "A1"), ("A2", "A2"), ("B1", "B1"), ("B2", "B2"), ("C1", "C1"))
YES_NO = (("", "—"), ("ja", _("ja")), ("nein", _("nein")))

FIELD_GROUPS: dict[str, FieldGroup] = {
    g.name: g
    for g in (
        FieldGroup(
            "identitaet",
            _("Identität"),
            Protection.PII,
            _CASE_AGENCIES,
            _CASE_AGENCIES,
            fields=(
                FieldSpec("family_name", _("Familienname")),
                FieldSpec("given_names", _("Vornamen")),
                FieldSpec("family_name_latin", _("Familienname (lateinische Umschrift)")),
                FieldSpec("given_names_latin", _("Vornamen (lateinische Umschrift)")),
                FieldSpec("birth_date", _("Geburtsdatum")),
                FieldSpec("sex", _("Geschlecht")),
                FieldSpec("nationalities", _("Staatsangehörigkeiten")),
                FieldSpec("arrival_date", _("Einreise")),
                FieldSpec("allocation_date", _("Zuweisung")),
                FieldSpec("gemeinde", _("Wohngemeinde")),
            ),
            retention_days=10 * 365,
        ),
        FieldGroup(
            "aufenthalt",
            _("Aufenthaltsstatus"),
            Protection.RESIDENCE_STATUS,
            frozenset({K.AUSLAENDERBEHOERDE, K.JOBCENTER, K.SOZIALAMT, K.MIGRATIONSBERATUNG}),
            frozenset({K.AUSLAENDERBEHOERDE}),
            fields=(
                FieldSpec(
                    "title",
                    _("Aufenthaltstitel/-status"),
                    "choice",
                    (
                        ("", "—"),
                        ("aufenthaltsgestattung", _("Aufenthaltsgestattung")),
                        ("duldung", _("Duldung")),
                        ("aufenthaltserlaubnis", _("Aufenthaltserlaubnis")),
                        ("24", _("§ 24 AufenthG")),
                        ("niederlassungserlaubnis", _("Niederlassungserlaubnis")),
                        ("eu", _("Freizügigkeit EU")),
                    ),
                ),
                FieldSpec("legal_provision", _("Rechtsgrundlage des Titels")),
                FieldSpec("valid_until", _("gültig bis"), "date", future_ok=True),
            ),
        ),
        FieldGroup(
            "sprachkurs",
            _("Integrations- und Sprachkurse"),
            Protection.PII,
            _CASE_AGENCIES,
            frozenset({K.JOBCENTER, K.AUSLAENDERBEHOERDE, K.MIGRATIONSBERATUNG, K.SOZIALAMT}),
            fields=(
                FieldSpec(
                    "course_type",
                    _("Kursart"),
                    "choice",
                    (
                        ("", "—"),
                        ("integrationskurs", _("Integrationskurs")),
                        ("berufssprachkurs", _("Berufssprachkurs (DeuFöV)")),
                        ("erstorientierung", _("Erstorientierung")),
                    ),
                ),
                FieldSpec("provider", _("Kursträger")),
                FieldSpec("registered_on", _("Anmeldung"), "date"),
                FieldSpec("started_on", _("Kursbeginn"), "date"),
                FieldSpec("completed_on", _("Abschluss"), "date"),
                FieldSpec("level", _("Erreichtes Niveau"), "choice", LEVELS),
            ),
            plan_area="sprache",
        ),
        FieldGroup(
            "kita_schule",
            _("Kita und Schule"),
            Protection.PII,
            frozenset({K.JUGENDAMT, K.MIGRATIONSBERATUNG, K.JOBCENTER, K.SOZIALAMT}),
            frozenset({K.JUGENDAMT, K.MIGRATIONSBERATUNG}),
            fields=(
                FieldSpec("institution", _("Einrichtung")),
                FieldSpec("since", _("seit"), "date"),
                FieldSpec("school_type", _("Schulart/Betreuungsform")),
            ),
            plan_area="schule",
        ),
        FieldGroup(
            "anerkennung",
            _("Anerkennung von Qualifikationen"),
            Protection.PII,
            _CASE_AGENCIES,
            frozenset({K.JOBCENTER, K.MIGRATIONSBERATUNG}),
            fields=(
                FieldSpec("qualification", _("Qualifikation")),
                FieldSpec("applied_on", _("Antrag"), "date"),
                FieldSpec(
                    "decision",
                    _("Ergebnis"),
                    "choice",
                    (
                        ("", "—"),
                        ("voll", _("volle Gleichwertigkeit")),
                        ("teil", _("teilweise Gleichwertigkeit")),
                        ("keine", _("keine Gleichwertigkeit")),
                    ),
                ),
                FieldSpec("decided_on", _("Bescheid vom"), "date"),
            ),
            plan_area="ausbildung",
        ),
        FieldGroup(
            "ausbildung",
            _("Ausbildung und Studium"),
            Protection.SOZIALDATUM,
            _SOCIAL_AGENCIES | {K.MIGRATIONSBERATUNG},
            frozenset({K.JOBCENTER, K.MIGRATIONSBERATUNG}),
            fields=(
                FieldSpec("kind", _("Art")),
                FieldSpec("started_on", _("Beginn"), "date"),
                FieldSpec("ended_on", _("Ende"), "date"),
            ),
            plan_area="ausbildung",
        ),
        FieldGroup(
            "beschaeftigung",
            _("Beschäftigung"),
            Protection.SOZIALDATUM,
            # The Ausländerbehörde holds what it receives under § 71 Abs. 2 SGB X (Lebensunterhalt).
            _SOCIAL_AGENCIES | {K.MIGRATIONSBERATUNG, K.AUSLAENDERBEHOERDE},
            frozenset({K.JOBCENTER}),
            fields=(
                FieldSpec(
                    "status",
                    _("Status"),
                    "choice",
                    (
                        ("", "—"),
                        ("arbeitsuchend", _("arbeitsuchend")),
                        ("beschaeftigt", _("sozialversicherungspflichtig beschäftigt")),
                        ("minijob", _("geringfügig beschäftigt")),
                        ("selbststaendig", _("selbstständig")),
                    ),
                ),
                FieldSpec("since", _("seit"), "date"),
                FieldSpec("sector", _("Branche")),
            ),
            plan_area="arbeit",
        ),
        FieldGroup(
            "wohnen",
            _("Wohnen"),
            Protection.SOZIALDATUM,
            _SOCIAL_AGENCIES | {K.MIGRATIONSBERATUNG, K.LANDKREIS},
            frozenset({K.SOZIALAMT, K.JOBCENTER, K.LANDKREIS}),
            fields=(
                FieldSpec(
                    "form",
                    _("Wohnform"),
                    "choice",
                    (
                        ("", "—"),
                        ("gemeinschaftsunterkunft", _("Gemeinschaftsunterkunft")),
                        ("wohnung", _("eigene Wohnung")),
                        ("sonstige", _("sonstige")),
                    ),
                ),
                FieldSpec("moved_in_on", _("Einzug"), "date"),
                FieldSpec("moved_out_on", _("Auszug"), "date"),
            ),
            plan_area="wohnen",
        ),
        FieldGroup(
            "gesundheit",
            _("Gesundheit"),
            Protection.ART9,
            frozenset({K.SOZIALAMT, K.JUGENDAMT, K.JOBCENTER, K.MIGRATIONSBERATUNG}),
            frozenset({K.SOZIALAMT, K.JUGENDAMT, K.JOBCENTER}),
            fields=(
                FieldSpec("notes", _("Gesundheitliche Einschränkungen"), "textarea"),
                FieldSpec("support_need", _("Unterstützungsbedarf"), "choice", YES_NO),
            ),
            retention_days=3 * 365,
            plan_area="gesundheit",
        ),
        FieldGroup(
            "beratung",
            _("Beratungskontakte"),
            Protection.SOZIALDATUM,
            _CASE_AGENCIES,
            _CASE_AGENCIES,
            fields=(
                FieldSpec("last_contact_on", _("Letzter Kontakt"), "date"),
                FieldSpec("topics", _("Themen (Stichworte)")),
            ),
            retention_days=3 * 365,
        ),
        FieldGroup(
            "teilhabe",
            _("Soziale Teilhabe"),
            Protection.PII,
            _CASE_AGENCIES,
            frozenset({K.MIGRATIONSBERATUNG, K.LANDKREIS, K.JOBCENTER}),
            fields=(FieldSpec("activities", _("Aktivitäten (Verein, Ehrenamt, Sport)")),),
            plan_area="teilhabe",
        ),
    )
}


def get_group(name: str) -> FieldGroup:
    return FIELD_GROUPS[name]


def art9_enabled(group: FieldGroup) -> bool:
    """Art. 9 groups are off unless the installation lists them in TEILHABE_REGISTRY_ART9_GROUPS (DP-09)."""
    return (not group.is_art9) or group.name in settings.REGISTRY_ART9_GROUPS
