"""Roles are data: each role maps to a set of permission codenames.

A user holds roles through memberships in organisations; a permission is always held *in* an
organisation, so a caseworker of the Jobcenter has ``case.read`` for Jobcenter records only.
New roles start with no permissions (privacy by default, DP-09). Later capabilities add their
permissions here and the route x role matrix test checks every staff route against this table.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
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


# Permission codenames and what they allow, for the role overview page.
PERMISSIONS: dict[str, StrOrPromise] = {
    "staff.access": _("Mitarbeitendenbereich nutzen"),
    "organisations.manage": _("Organisationen anlegen und bearbeiten"),
    "members.manage": _("Mitglieder und Rollen der Organisation verwalten"),
    "regions.planungsraum.manage": _("Planungsräume der eigenen Gemeinden pflegen"),
    "site.pages.manage": _("Impressum, Datenschutzerklärung und Barrierefreiheitserklärung bearbeiten"),
    "site.feedback.view": _("Rückmeldungen zur Barrierefreiheit lesen"),
    "audit.view": _("Protokoll (Audit) einsehen und prüfen"),
    # KiIM case records (teilhabe.registry); field groups are listed in registry/fieldgroups.py
    "case.read": _("Integrationsakten der eigenen Organisation lesen und suchen"),
    "case.write": _("Integrationsakten der eigenen Organisation anlegen und berichtigen"),
    "azr.read": _("AZR-Nummer sehen und pflegen"),
    "consent.manage": _("Einwilligungen erfassen und Widerrufe eintragen"),
    "transmission.request": _("Übermittlungen an andere Stellen beantragen und widerrufen"),
    "transmission.approve": _("Übermittlungen freigeben (Vier-Augen-Prinzip)"),
    "privacy.registry.view": _("Verzeichnis der Verarbeitungstätigkeiten einsehen"),
}

# Field-group permissions of case records; "gesundheit" is Art. 9 data and only for FALLAUFSICHT.
CASE_FIELD_GROUPS = ("identitaet", "aufenthalt", "sprachkurs", "kita_schule", "anerkennung", "ausbildung",
                     "beschaeftigung", "wohnen", "gesundheit", "beratung", "teilhabe")
ART9_FIELD_GROUPS = frozenset({"gesundheit"})
for _group in CASE_FIELD_GROUPS:
    PERMISSIONS[f"fieldgroup.{_group}.read"] = format_lazy(_("Feldgruppe „{}“ lesen"), _group)
    PERMISSIONS[f"fieldgroup.{_group}.write"] = format_lazy(_("Feldgruppe „{}“ bearbeiten"), _group)
_FIELDGROUPS_BASIC = frozenset(f"fieldgroup.{g}.{mode}" for g in CASE_FIELD_GROUPS if g not in ART9_FIELD_GROUPS
                               for mode in ("read", "write"))
_FIELDGROUPS_ART9 = frozenset(f"fieldgroup.{g}.{mode}" for g in ART9_FIELD_GROUPS for mode in ("read", "write"))
_CASEWORK = frozenset({"case.read", "case.write", "azr.read", "consent.manage", "transmission.request"})

_STAFF = {"staff.access"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.KREIS_ADMIN: frozenset(
        _STAFF | {"organisations.manage", "members.manage", "site.pages.manage", "site.feedback.view"}
    ),
    Role.ORG_ADMIN: frozenset(_STAFF | {"members.manage"}),
    Role.KOORDINATION: frozenset(_STAFF | {"regions.planungsraum.manage", "site.feedback.view"}),
    Role.STATISTIK: frozenset(_STAFF | {"regions.planungsraum.manage"}),
    Role.GEMEINDE: frozenset(_STAFF | {"regions.planungsraum.manage"}),
    Role.FALLBEARBEITUNG: frozenset(_STAFF | _CASEWORK | _FIELDGROUPS_BASIC),
    Role.FALLAUFSICHT: frozenset(_STAFF | _CASEWORK | _FIELDGROUPS_BASIC | _FIELDGROUPS_ART9
                                 | {"transmission.approve"}),
    Role.REDAKTION: frozenset(_STAFF),
    Role.DATENSCHUTZ: frozenset(_STAFF | {"audit.view", "privacy.registry.view"}),
}

# Roles that grant permissions across the whole installation rather than only for the member's
# own organisation. Only roles held in the Landkreis office itself are honoured as such.
DISTRICT_WIDE_ROLES = frozenset({Role.KREIS_ADMIN, Role.DATENSCHUTZ})


def permissions_for(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())
