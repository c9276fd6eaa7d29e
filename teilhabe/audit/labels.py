"""German labels for audit action codes, so the log reads "Akte gelesen", never "case.read".

Action codes stay stable English identifiers (``domain.verb``); what people see is composed from the domain
(``DOMAINS``) and the verb (``VERBS``), or taken from ``EXPLICIT`` where composition would read badly. A test
scans the code base for every recorded action and fails on one without a German label.
"""

from __future__ import annotations

DOMAINS: dict[str, str] = {
    "api": "API-Zugang",
    "audit": "Protokoll",
    "auth": "Anmeldung",
    "case": "Akte",
    "cohort": "Kohortenkennzahlen",
    "concept": "Integrationskonzept",
    "consent": "Einwilligung",
    "directory": "Angebotsverzeichnis",
    "fieldgroup": "Feldgruppe",
    "indicators": "Monitoring",
    "linkage": "Personenabgleich",
    "membership": "Mitgliedschaft",
    "population": "Bevölkerungsstatistik",
    "privacy": "Datenschutz",
    "registry": "KiIM",
    "report": "Bericht",
    "surveys": "Befragung",
    "transmission": "Übermittlung",
    "user": "Konto",
    "system": "Betrieb",
}

VERBS: dict[str, str] = {
    "action_create": "Aufgabe angelegt",
    "action_remind": "an Aufgabe erinnert",
    "action_status": "Aufgabenstatus geändert",
    "attendance_set": "Anwesenheit erfasst",
    "backup": "Sicherung erstellt",
    "body_create": "Gremium angelegt",
    "comment_answer": "Kommentar beantwortet",
    "comment_create": "Kommentar abgegeben",
    "contact_create": "Kontakt angelegt",
    "decide": "Entscheidung getroffen",
    "decision_add": "Beschluss erfasst",
    "duplicates_report": "Dublettenbericht erstellt",
    "erase_replay": "Löschung nach Wiederherstellung erneut ausgeführt",
    "event_correct": "Ereignis berichtigt",
    "event_withdraw": "Ereignis zurückgezogen",
    "evidence_add": "Nachweis hinzugefügt",
    "evidence_download": "Nachweis heruntergeladen",
    "field_create": "Handlungsfeld angelegt",
    "field_delete": "Handlungsfeld gelöscht",
    "goal_delete": "Ziel gelöscht",
    "import_check": "Import geprüft",
    "intake_check": "Suche vor dem Anlegen",
    "invitation_sent": "Einladung versandt",
    "link_transmission": "Übermittlung zugeordnet",
    "measure_create": "Maßnahme angelegt",
    "measure_delete": "Maßnahme gelöscht",
    "meeting_create": "Sitzung angelegt",
    "meeting_invite": "zur Sitzung eingeladen",
    "member_add": "Mitglied aufgenommen",
    "member_end": "Mitgliedschaft beendet",
    "merge": "zusammengeführt",
    "milestone_create": "Meilenstein angelegt",
    "minutes_approve": "Protokoll genehmigt",
    "minutes_save": "Protokoll gespeichert",
    "pair_read": "Paar angesehen",
    "report_build": "Sachstandsbericht erstellt",
    "report_download": "Sachstandsbericht heruntergeladen",
    "report_publish": "Sachstandsbericht veröffentlicht",
    "responsibility_create": "Zuständigkeit eingetragen",
    "restore": "Sicherung wiederhergestellt",
    "run": "Abgleich ausgeführt",
    "target_create": "Zielwert angelegt",
    "target_delete": "Zielwert gelöscht",
    "unmerge": "Zusammenführung aufgehoben",
    "version_adopt": "Fassung beschlossen",
    "version_copy": "neue Fassung als Kopie angelegt",
    "version_create": "Fassung angelegt",
    "version_update": "Fassung geändert",
    "access_report": "Auskunft nach Art. 15 erstellt",
    "access_request": "Auskunftsersuchen erfasst",
    "agency_import": "Behördenaggregate importiert",
    "approve": "freigegeben",
    "approve_denied": "Freigabe verweigert",
    "azr_grant": "AZR-Ermächtigung erteilt",
    "azr_revoke": "AZR-Ermächtigung entzogen",
    "backup_codes_created": "Notfallcodes erzeugt",
    "build_download": "PDF heruntergeladen",
    "build_request": "Erstellung angefordert",
    "catalogue_sync": "Katalog abgeglichen",
    "change": "geändert",
    "check": "geprüft",
    "cohort_extract": "Kohortenauszug erstellt",
    "commentary_save": "Kommentar gespeichert",
    "commit": "übernommen",
    "confirm": "bestätigt",
    "create": "angelegt",
    "deactivate": "gesperrt",
    "definition_create": "Berichtsreihe angelegt",
    "delete": "gelöscht",
    "demo_seed": "Demodaten erzeugt",
    "discard": "verworfen",
    "edition_create": "Ausgabe angelegt",
    "edition_update": "Ausgabe geändert",
    "erase": "gelöscht (Art. 17)",
    "event_add": "Ereignis erfasst",
    "export": "exportiert",
    "give": "erteilt",
    "goal_create": "Ziel im Integrationsplan angelegt",
    "grant": "erteilt",
    "history": "Zugriffsverlauf angesehen",
    "import": "importiert",
    "key_rotation": "Schlüssel gewechselt",
    "legal_hold": "Löschsperre gesetzt",
    "load": "geladen",
    "locked_out": "gesperrt nach Fehlversuchen",
    "login": "angemeldet",
    "login_failed": "fehlgeschlagen",
    "logout": "abgemeldet",
    "mfa_enrolled": "zweiter Faktor eingerichtet",
    "mfa_failed": "zweiter Faktor falsch",
    "mfa_reset": "zweiter Faktor zurückgesetzt",
    "mfa_verified": "zweiter Faktor bestätigt",
    "offer_import": "Angebote importiert",
    "password_changed": "Passwort geändert",
    "permission_denied": "Zugriff verweigert",
    "publish": "veröffentlicht",
    "reactivate": "entsperrt",
    "read": "gelesen",
    "recompute": "neu berechnet",
    "reject": "abgelehnt",
    "release_grant": "für eine Gemeinde freigegeben",
    "release_revoke": "Freigabe für eine Gemeinde zurückgenommen",
    "replace": "ersetzt",
    "request": "beantragt",
    "restrict": "eingeschränkt (Art. 18)",
    "retention": "Aufbewahrungsfristen angewendet",
    "revoke": "widerrufen",
    "save": "gespeichert",
    "search": "gesucht",
    "send": "gesendet",
    "session_expired": "Sitzung abgelaufen",
    "sso_linked": "mit dem Verzeichnisdienst verknüpft",
    "sso_login": "über den Verzeichnisdienst (SSO) angemeldet",
    "sso_refused": "Anmeldung über den Verzeichnisdienst abgelehnt",
    "directory_sync": "mit dem Verzeichnisdienst abgeglichen",
    "stale_notify": "Aktualität angefragt",
    "token_create": "Zugangsschlüssel erzeugt",
    "token_revoke": "Zugangsschlüssel widerrufen",
    "update": "geändert",
    "verify": "geprüft",
    "view": "angesehen",
    "withdraw": "widerrufen",
    "body_update": "Gremium geändert",
    "contact_update": "Kontakt geändert",
    "field_update": "Handlungsfeld geändert",
    "goal_update": "Ziel geändert",
    "measure_update": "Maßnahme geändert",
    "meeting_update": "Sitzung geändert",
    "milestone_update": "Meilenstein geändert",
    "responsibility_update": "Zuständigkeit geändert",
    "restrict_lift": "Einschränkung aufgehoben (Art. 18)",
    "target_update": "Zielwert geändert",
}

OBJECTS: dict[str, str] = {
    "import": "Import",
    "offer": "Angebot",
    "submission": "Einreichung",
    "translation": "Übersetzung",
    "demo": "Demodaten",
}

# Generic verbs without a domain (the object type column says what was touched).
EXPLICIT: dict[str, str] = {
    "create": "Angelegt",
    "read": "Gelesen",
    "update": "Geändert",
    "delete": "Gelöscht",
    "export": "Exportiert",
    "search": "Gesucht",
}


def _compose(code: str) -> str | None:
    if code in EXPLICIT:
        return EXPLICIT[code]
    parts = code.split(".")
    if len(parts) < 2 or parts[0] not in DOMAINS or parts[-1] not in VERBS:
        return None
    middle = parts[1:-1]
    if any(part not in OBJECTS for part in middle):
        return None
    subject = " – ".join([DOMAINS[parts[0]], *(OBJECTS[p] for p in middle)])
    return f"{subject}: {VERBS[parts[-1]]}"


def action_label(code: str) -> str:
    """``case.read`` → "Akte: gelesen"; an unknown code is shown as "Sonstige Aktion" with the code in brackets
    (the label test keeps that from happening for actions the platform records)."""
    return _compose(code) or f"Sonstige Aktion ({code})"


def has_label(code: str) -> bool:
    return _compose(code) is not None


def field_labels(object_type: str, names: list[str]) -> list[str]:
    """Changed field names of an event in German, from the model's verbose names (``birth_year`` → "Geburtsjahr").

    ``object_type`` is ``app_label.model_name`` as stored in the event; names that are not model fields (a field
    group, a pseudo-field) are shown through ``FIELD_NAMES`` or, failing that, as the field group's label.
    """
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    try:
        model = apps.get_model(object_type) if "." in object_type else None
    except (LookupError, ValueError):
        model = None
    labels = []
    for name in names:
        label = None
        if model is not None:
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                label = None
        if label is None:
            label = _group_or_name(name)
        labels.append(label)
    return labels


def _group_or_name(name: str) -> str:
    from teilhabe.registry.fieldgroups import FIELD_GROUPS

    group = FIELD_GROUPS.get(name)
    if group is not None:
        return str(group.label)
    for candidate in FIELD_GROUPS.values():
        for spec in candidate.fields:
            if spec.name == name:
                return str(spec.label)
    return FIELD_NAMES.get(name, name)


FIELD_NAMES: dict[str, str] = {
    "numerator": "Zähler",
    "denominator": "Nenner",
    "code": "Kennung",
    "azr_number": "AZR-Nummer",
}
