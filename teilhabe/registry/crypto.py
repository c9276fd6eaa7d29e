"""Application-level encryption of Art. 9 and residence-status values (DP-34, issue #7 item 7).

Keys live outside the database: ``TEILHABE_REGISTRY_ENCRYPTION_KEYS`` (comma-separated; the first key
encrypts, all keys decrypt, so a new key is put in front and ``manage.py registry_rotate_keys`` re-encrypts).
Any random string works as a key; it is stretched to a Fernet key with SHA-256. Without configured keys,
debug and demo runs derive one from SECRET_KEY; production refuses to encrypt.

Formats: strings become ``enc:<token>``; JSON objects become ``{"_enc": "<token>"}``. Values without that
marker are returned unchanged, so unencrypted legacy rows stay readable until the next rotation run.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TEXT_PREFIX = "enc:"
JSON_KEY = "_enc"


def _fernet_key(secret: str) -> bytes:
    return base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())


def _multi() -> MultiFernet:
    secrets = list(settings.REGISTRY_ENCRYPTION_KEYS)
    if not secrets:
        if not (settings.DEBUG or settings.DEMO):
            raise ImproperlyConfigured("TEILHABE_REGISTRY_ENCRYPTION_KEYS must be set to store protected values.")
        secrets = ["registry-encryption:" + settings.SECRET_KEY]
    return MultiFernet([Fernet(_fernet_key(secret)) for secret in secrets])


def encrypt_text(value: str) -> str:
    if not value or value.startswith(TEXT_PREFIX):
        return value
    return TEXT_PREFIX + _multi().encrypt(value.encode()).decode()


def decrypt_text(value: str) -> str:
    if not value or not value.startswith(TEXT_PREFIX):
        return value
    return _multi().decrypt(value[len(TEXT_PREFIX) :].encode()).decode()


def is_encrypted_json(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {JSON_KEY}


def encrypt_json(value: dict[str, Any]) -> dict[str, Any]:
    if is_encrypted_json(value):
        return value
    token = _multi().encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True).encode()).decode()
    return {JSON_KEY: token}


def decrypt_json(value: dict[str, Any]) -> dict[str, Any]:
    if not is_encrypted_json(value):
        return dict(value or {})
    return json.loads(_multi().decrypt(value[JSON_KEY].encode()))


def rotate_text(value: str) -> str:
    if not value.startswith(TEXT_PREFIX):
        return encrypt_text(value)
    return TEXT_PREFIX + _multi().rotate(value[len(TEXT_PREFIX) :].encode()).decode()


def rotate_json(value: dict[str, Any]) -> dict[str, Any]:
    if not is_encrypted_json(value):
        return encrypt_json(value)
    return {JSON_KEY: _multi().rotate(value[JSON_KEY].encode()).decode()}


def rotate_all() -> dict[str, int]:
    """Re-encrypt all protected values with the current (first) key; also encrypts legacy plaintext rows."""
    from django.db import transaction

    from teilhabe.audit.services import record
    from teilhabe.registry.fieldgroups import FIELD_GROUPS, Protection
    from teilhabe.registry.models import AREA_GROUP, Case, FieldGroupEntry, PlanGoal, Transmission

    protected = {Protection.ART9, Protection.RESIDENCE_STATUS}
    groups = [name for name, group in FIELD_GROUPS.items() if group.protection in protected]
    areas = [area for area, group in AREA_GROUP.items() if FIELD_GROUPS[group].protection in protected]
    report = {"feldgruppen": 0, "azr": 0, "ziele": 0, "kopien": 0}
    with transaction.atomic():
        for entry in FieldGroupEntry.objects.select_for_update().filter(group__in=groups):
            entry.data = rotate_json(entry.data)
            entry.save(update_fields=["data"])
            report["feldgruppen"] += 1
        for case in Case.objects.select_for_update().exclude(azr_number_enc=""):
            case.azr_number_enc = rotate_text(case.azr_number_enc)
            case.save(update_fields=["azr_number_enc"])
            report["azr"] += 1
        for goal in PlanGoal.objects.select_for_update().filter(area__in=areas):
            goal.description = rotate_text(goal.description)
            goal.save(update_fields=["description"])
            report["ziele"] += 1
        for transmission in Transmission.objects.select_for_update().exclude(snapshot={}):
            transmission.snapshot = rotate_json(transmission.snapshot)
            transmission.save(update_fields=["snapshot"])
            report["kopien"] += 1
        record("registry.key_rotation", object_type="registry.case", username="system", extra=report)
    return report
