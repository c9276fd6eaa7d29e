"""Accounts follow the district's directory: who left (or is disabled there) is disabled here (decision 0024).

Input: a SCIM 2.0 ``ListResponse`` of Users (RFC 7644 §3.4.2; what Keycloak, Entra ID, Authentik or an LDAP
bridge export), as a dict::

    {"Resources": [{"id": "…", "externalId": "…", "userName": "…", "active": true,
                    "emails": [{"value": "a@kreis.de", "primary": true}]}, …]}

Rules (``sync``):
* an active account bound to the directory (``oidc_subject``) whose subject is not in the export (matched
  against ``id`` and ``externalId``), or whose entry has ``active: false``, is disabled;
* an active account not (yet) bound, whose e-mail belongs to an entry with ``active: false``, is disabled;
* ``all_accounts=True`` (districts where every account must come from the directory) also disables unbound
  accounts whose e-mail is not in the export at all (or that have none);
* accounts are never enabled, created or given roles here.
Each disabling ends the account's sessions and is one audit event ``user.deactivate`` with the reason; the
run itself is ``user.directory_sync`` with the counts. Safety: an export without any entry, or one that would
disable more than ``max_share`` of the active accounts, is refused with ``DirectoryExportRefused`` (a broken
export must not lock out the whole district); ``force=True`` overrides.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from teilhabe.accounts.models import User
from teilhabe.accounts.services import user_deactivate
from teilhabe.audit.services import record

ACTION_SYNC = "user.directory_sync"


class DirectoryExportRefused(Exception):
    """The export is unusable or implausible; nothing was changed. German message."""


@dataclass
class SyncResult:
    disabled: list[tuple[str, str]] = field(default_factory=list)  # (username, reason)
    entries: int = 0
    checked: int = 0


def load_export(source: str) -> dict[str, Any]:
    """Read the export from a file path or an https URL (bearer token from settings.DIRECTORY_TOKEN)."""
    if source.startswith("https://"):
        import requests

        headers = {"Authorization": f"Bearer {settings.DIRECTORY_TOKEN}"} if settings.DIRECTORY_TOKEN else {}
        response = requests.get(source, headers=headers, timeout=30)
        response.raise_for_status()
        data = response.json()
    else:
        try:
            data = json.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise DirectoryExportRefused(f"Verzeichnisexport nicht lesbar: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("Resources"), list):
        raise DirectoryExportRefused("Verzeichnisexport ist keine SCIM-ListResponse (Feld „Resources“ fehlt).")
    return data


def sync(
    export: dict[str, Any], *, all_accounts: bool = False, max_share: float = 0.5, force: bool = False
) -> SyncResult:
    entries = [e for e in export.get("Resources", []) if isinstance(e, dict)]
    if not entries:
        raise DirectoryExportRefused("Der Verzeichnisexport enthält keine Einträge; es wurde nichts gesperrt.")
    active_subjects: set[str] = set()
    inactive_subjects: set[str] = set()
    active_emails: set[str] = set()
    inactive_emails: set[str] = set()
    for entry in entries:
        ids = {str(entry[k]) for k in ("id", "externalId") if entry.get(k)}
        emails = {str(e.get("value", "")).lower() for e in entry.get("emails") or [] if isinstance(e, dict)}
        emails.discard("")
        if entry.get("active", True) is False:
            inactive_subjects |= ids
            inactive_emails |= emails
        else:
            active_subjects |= ids
            active_emails |= emails
    plan: list[tuple[User, str]] = []
    bound = list(User.objects.filter(is_active=True, oidc_subject__isnull=False))
    for user in bound:
        subject = str(user.oidc_subject)
        if subject in inactive_subjects and subject not in active_subjects:
            plan.append((user, "im Verzeichnisdienst deaktiviert"))
        elif subject not in active_subjects:
            plan.append((user, "im Verzeichnisdienst unbekannt"))
    for user in User.objects.filter(is_active=True, oidc_subject__isnull=True):
        email = user.email.lower()
        if email and email in inactive_emails and email not in active_emails:
            plan.append((user, "im Verzeichnisdienst deaktiviert (E-Mail)"))
        elif all_accounts and (not email or email not in active_emails):
            plan.append((user, "im Verzeichnisdienst unbekannt (E-Mail)"))
    result = SyncResult(entries=len(entries), checked=len(bound))
    limit = max(1, int(max_share * User.objects.filter(is_active=True).count()))
    if len(plan) > limit and not force:
        raise DirectoryExportRefused(
            f"Der Abgleich würde {len(plan)} Konten sperren (Grenze {limit}); der Export ist vermutlich "
            "unvollständig. Nichts wurde gesperrt; mit --force trotzdem ausführen."
        )
    for user, reason in plan:
        user_deactivate(acting_user=None, user=user, reason=reason)
        result.disabled.append((user.username, reason))
    record(
        ACTION_SYNC,
        object_type="accounts.user",
        object_repr="Verzeichnisabgleich",
        extra={"entries": result.entries, "bound_accounts": result.checked, "disabled": len(result.disabled)},
    )
    return result
