"""Roles are data: each role maps to a set of permission codenames.

A user holds roles through memberships in organisations; a permission is always held *in* an
organisation, so a caseworker of the Jobcenter has ``case.read`` for Jobcenter records only.
New roles start with no permissions (privacy by default, DP-09). Later capabilities add their
permissions here and the route x role matrix test checks every staff route against this table.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise


class Role(models.TextChoices):
    KREIS_ADMIN = "kreis_admin", _("Administration (Landkreis)")
    ORG_ADMIN = "org_admin", _("Administration der eigenen Organisation")
    KOORDINATION = "koordination", _("Integrationskoordination")
    STATISTIK = "statistik", _("Kommunalstatistik")
    GEMEINDE = "gemeinde", _("Mitarbeit Gemeinde")
    FALLBEARBEITUNG = "fallbearbeitung", _("Fallbearbeitung")
    FALLAUFSICHT = "fallaufsicht", _("Fallbearbeitung mit Freigabe (Vier-Augen-Prinzip)")
    REDAKTION = "redaktion", _("Redaktion Angebotsverzeichnis")
    DATENSCHUTZ = "datenschutz", _("Datenschutzbeauftragte/r")


# Permission codenames and what they allow, for the role overview page. One line per permission.
PERMISSIONS: dict[str, StrOrPromise] = {
    "staff.access": _("Mitarbeitendenbereich nutzen"),
    "organisations.manage": _("Organisationen anlegen und bearbeiten"),
    "members.manage": _("Mitglieder und Rollen der Organisation verwalten"),
    "regions.planungsraum.manage": _("Planungsräume der eigenen Gemeinden pflegen"),
    "site.pages.manage": _("Impressum, Datenschutzerklärung und Barrierefreiheitserklärung bearbeiten"),
    "site.feedback.view": _("Rückmeldungen zur Barrierefreiheit lesen"),
    "audit.view": _("Protokoll (Audit) einsehen und prüfen"),
    "population.import": _("Melderegister-Auszüge importieren und Mikrodaten-Prüfberichte sehen"),
    "population.view": _("Bevölkerungstabellen (geheimhaltungsgeschützt) ansehen und exportieren"),
    "population.view.gemeinde": _(
        "Veröffentlichte Bevölkerungstabellen der eigenen Gemeinde ansehen, soweit der Landkreis sie freigibt"
    ),
    "population.release": _("Festlegen, welche Gemeinde welche Bevölkerungstabellen erhält"),
    "indicators.view": _(
        "Integrationsmonitoring im Mitarbeitendenbereich ansehen (auch unveröffentlichte Indikatoren)"
    ),
    "indicators.manage": _("Behördenaggregate erfassen und importieren, Indikatoren anlegen und veröffentlichen"),
    "directory.moderate": _("Angebotsverzeichnis: Einträge pflegen, Einreichungen moderieren, Übersetzungen"),
    "directory.dialogue": _("Angebotsverzeichnis: Dialogprotokoll mit Organisationen führen, Ansprachelisten"),
    # KiIM case records (teilhabe.registry); field groups are listed in registry/fieldgroups.py
    "case.read": _("Integrationsakten der eigenen Organisation lesen und suchen"),
    "case.write": _("Integrationsakten der eigenen Organisation anlegen und berichtigen"),
    "azr.read": _("AZR-Nummer sehen und pflegen (zusätzlich ist eine persönliche Ermächtigung nötig)"),
    "consent.manage": _("Einwilligungen erfassen und Widerrufe eintragen"),
    "transmission.request": _("Übermittlungen an andere Stellen beantragen und widerrufen"),
    "transmission.approve": _("Übermittlungen freigeben (Vier-Augen-Prinzip)"),
    "privacy.registry.view": _("Verzeichnis der Verarbeitungstätigkeiten einsehen"),
    "case.restrict": _("Integrationsakten einschränken, löschen und Auskunft nach Art. 15 erteilen"),
    "cohort.view": _("Pseudonymisierte Kohortenkennzahlen der Integrationsverläufe einsehen"),
    "reports.manage": _("Integrationsberichte bearbeiten, erstellen und veröffentlichen"),
    # Integration concept and network (teilhabe.concept)
    "concept.view": _("Integrationskonzept im Mitarbeitendenbereich ansehen (auch Entwürfe)"),
    "concept.manage": _(
        "Integrationskonzept, Gremien, Sitzungen, Zuständigkeiten und Sachstandsberichte pflegen (Geschäftsstelle)"
    ),
    "concept.measures.own": _("Maßnahmen und Zuständigkeiten der eigenen Organisation (Gemeinde) pflegen"),
    "surveys.manage": _("Befragungen anlegen, Fragebögen hochladen, Zugangscodes und Ergebnisse (geschützt)"),
    "surveys.interview": _("Befragungen: Antworten im Interview erfassen (Interviewer-Modus)"),
    "surveys.open_text": _("Befragungen: Freitextantworten und Einzelantworten lesen und exportieren"),
}

# Which roles hold each permission. One line per permission, so capabilities add lines, not edits.
GRANTS: dict[str, frozenset[Role]] = {
    "staff.access": frozenset(Role),
    "organisations.manage": frozenset({Role.KREIS_ADMIN}),
    "members.manage": frozenset({Role.KREIS_ADMIN, Role.ORG_ADMIN}),
    "regions.planungsraum.manage": frozenset({Role.KOORDINATION, Role.STATISTIK, Role.GEMEINDE}),
    "site.pages.manage": frozenset({Role.KREIS_ADMIN}),
    "site.feedback.view": frozenset({Role.KREIS_ADMIN, Role.KOORDINATION}),
    "audit.view": frozenset({Role.DATENSCHUTZ}),
    "population.import": frozenset({Role.STATISTIK}),
    "population.view": frozenset({Role.STATISTIK, Role.KOORDINATION}),
    "population.view.gemeinde": frozenset({Role.GEMEINDE}),
    "population.release": frozenset({Role.STATISTIK, Role.KOORDINATION}),
    "indicators.view": frozenset({Role.KOORDINATION, Role.STATISTIK, Role.GEMEINDE}),
    "indicators.manage": frozenset({Role.KOORDINATION, Role.STATISTIK}),
    "directory.moderate": frozenset({Role.KOORDINATION, Role.GEMEINDE, Role.REDAKTION}),
    "directory.dialogue": frozenset({Role.KOORDINATION}),
    "case.read": frozenset({Role.FALLBEARBEITUNG, Role.FALLAUFSICHT}),
    "case.write": frozenset({Role.FALLBEARBEITUNG, Role.FALLAUFSICHT}),
    "azr.read": frozenset({Role.FALLBEARBEITUNG, Role.FALLAUFSICHT}),
    "consent.manage": frozenset({Role.FALLBEARBEITUNG, Role.FALLAUFSICHT}),
    "transmission.request": frozenset({Role.FALLBEARBEITUNG, Role.FALLAUFSICHT}),
    "transmission.approve": frozenset({Role.FALLAUFSICHT}),
    "privacy.registry.view": frozenset({Role.DATENSCHUTZ}),
    "case.restrict": frozenset({Role.FALLAUFSICHT}),
    "cohort.view": frozenset({Role.KOORDINATION, Role.STATISTIK}),
    "reports.manage": frozenset({Role.KOORDINATION}),
    "concept.view": frozenset({Role.KOORDINATION, Role.STATISTIK, Role.GEMEINDE}),
    "concept.manage": frozenset({Role.KOORDINATION}),
    "concept.measures.own": frozenset({Role.GEMEINDE}),
    "surveys.manage": frozenset({Role.KOORDINATION, Role.STATISTIK}),
    "surveys.interview": frozenset({Role.KOORDINATION, Role.GEMEINDE}),
    "surveys.open_text": frozenset({Role.STATISTIK}),
}

# Field-group permissions of case records; "gesundheit" is Art. 9 data and only for FALLAUFSICHT.
CASE_FIELD_GROUPS = (
    "identitaet",
    "aufenthalt",
    "sprachkurs",
    "kita_schule",
    "anerkennung",
    "ausbildung",
    "beschaeftigung",
    "wohnen",
    "gesundheit",
    "beratung",
    "teilhabe",
)
ART9_FIELD_GROUPS = frozenset({"gesundheit"})


def _group_name(group: str) -> str:
    # The German name lives with the field group (registry/fieldgroups.py); read lazily to avoid an import cycle.
    from teilhabe.registry.fieldgroups import FIELD_GROUPS

    return str(FIELD_GROUPS[group].label) if group in FIELD_GROUPS else group


_field_group_label = lazy(_group_name, str)
for _group in CASE_FIELD_GROUPS:
    _holders = (
        frozenset({Role.FALLAUFSICHT})
        if _group in ART9_FIELD_GROUPS
        else frozenset({Role.FALLBEARBEITUNG, Role.FALLAUFSICHT})
    )
    for _mode, _label in (("read", _("Feldgruppe „{}“ lesen")), ("write", _("Feldgruppe „{}“ bearbeiten"))):
        PERMISSIONS[f"fieldgroup.{_group}.{_mode}"] = format_lazy(_label, _field_group_label(_group))
        GRANTS[f"fieldgroup.{_group}.{_mode}"] = _holders

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    role: frozenset(permission for permission, roles in GRANTS.items() if role in roles) for role in Role
}

# Roles that grant permissions across the whole installation rather than only for the member's
# own organisation. Only roles held in the Landkreis office itself are honoured as such.
DISTRICT_WIDE_ROLES = frozenset({Role.KREIS_ADMIN, Role.DATENSCHUTZ})
# ... and only for these permissions: administration and oversight, never access to case records.
DISTRICT_WIDE_PERMISSIONS = frozenset(
    {
        "staff.access",
        "organisations.manage",
        "members.manage",
        "site.pages.manage",
        "site.feedback.view",
        "audit.view",
        "privacy.registry.view",
    }
)


def permissions_for(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())
