"""Roles are data: each role maps to a set of permission codenames.

A user holds roles through memberships in organisations; a permission is always held *in* an
organisation, so a caseworker of the Jobcenter has ``case.read`` for Jobcenter records only.
New roles start with no permissions (privacy by default, DP-09). Later capabilities add their
permissions here and the route x role matrix test checks every staff route against this table.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
PERMISSIONS: dict[str, str] = {
    "staff.access": _("Mitarbeitendenbereich nutzen"),
    "organisations.manage": _("Organisationen anlegen und bearbeiten"),
    "members.manage": _("Mitglieder und Rollen der Organisation verwalten"),
    "regions.planungsraum.manage": _("Planungsräume der eigenen Gemeinden pflegen"),
    "site.pages.manage": _("Impressum, Datenschutzerklärung und Barrierefreiheitserklärung bearbeiten"),
    "site.feedback.view": _("Rückmeldungen zur Barrierefreiheit lesen"),
    "audit.view": _("Protokoll (Audit) einsehen und prüfen"),
    "directory.moderate": _("Angebotsverzeichnis: Einträge pflegen, Einreichungen moderieren, Übersetzungen"),
    "directory.dialogue": _("Angebotsverzeichnis: Dialogprotokoll mit Organisationen führen, Ansprachelisten"),
}

_STAFF = {"staff.access"}
_DIRECTORY = {"directory.moderate"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.KREIS_ADMIN: frozenset(
        _STAFF | {"organisations.manage", "members.manage", "site.pages.manage", "site.feedback.view"}
    ),
    Role.ORG_ADMIN: frozenset(_STAFF | {"members.manage"}),
    Role.KOORDINATION: frozenset(
        _STAFF | _DIRECTORY | {"regions.planungsraum.manage", "site.feedback.view", "directory.dialogue"}
    ),
    Role.STATISTIK: frozenset(_STAFF | {"regions.planungsraum.manage"}),
    Role.GEMEINDE: frozenset(_STAFF | _DIRECTORY | {"regions.planungsraum.manage"}),
    Role.FALLBEARBEITUNG: frozenset(_STAFF),
    Role.FALLAUFSICHT: frozenset(_STAFF),
    Role.REDAKTION: frozenset(_STAFF | _DIRECTORY),
    Role.DATENSCHUTZ: frozenset(_STAFF | {"audit.view"}),
}

# Roles that grant permissions across the whole installation rather than only for the member's
# own organisation. Only roles held in the Landkreis office itself are honoured as such.
DISTRICT_WIDE_ROLES = frozenset({Role.KREIS_ADMIN, Role.DATENSCHUTZ})


def permissions_for(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())
