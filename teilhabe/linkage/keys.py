"""Search keys of a case (the side table ``SearchKey``), rebuilt whenever the case is saved.

Keys are derived from the name fields with :mod:`teilhabe.lib.names`; AZR numbers and agency ids are stored
only as keyed hashes (``a:``/``x:`` + HMAC-SHA256, key ``settings.PSEUDONYM_KEY`` or ``SECRET_KEY``), so the
table never holds them in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from django.conf import settings

from teilhabe.lib.names import name_keys
from teilhabe.linkage.models import ExternalId, PersonKey, SearchKey


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 (hex, 32 chars) of a normalised identifier; equal ids give equal hashes."""
    key = (getattr(settings, "PSEUDONYM_KEY", "") or settings.SECRET_KEY).encode()
    normalised = re.sub(r"[\s\-./]", "", value or "").upper()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()[:32]


def case_name_keys(case: Any) -> set[str]:
    keys = name_keys(case.family_name, case.given_names).keys()
    keys |= name_keys(case.family_name_latin, case.given_names_latin).keys()
    return {key[:80] for key in keys if len(key) > 2}


def case_keys(case: Any) -> set[str]:
    keys = case_name_keys(case)
    azr = case.azr_number if case.azr_number_enc else ""
    if azr:
        keys.add(f"a:{keyed_hash(azr)}")
    for value in ExternalId.objects.filter(case=case).values_list("value", flat=True):
        keys.add(f"x:{keyed_hash(value)}")
    return keys


def reindex(case: Any) -> None:
    """Replace the keys of one case (inside the caller's transaction)."""
    wanted = case_keys(case)
    existing = set(SearchKey.objects.filter(case=case).values_list("key", flat=True))
    SearchKey.objects.filter(case=case, key__in=existing - wanted).delete()
    SearchKey.objects.filter(case=case).exclude(owner_id=case.owner_id).update(owner_id=case.owner_id)
    SearchKey.objects.bulk_create([SearchKey(case=case, owner_id=case.owner_id, key=key) for key in wanted - existing])
    PersonKey.objects.get_or_create(case=case)


def on_case_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    reindex(instance)


def reindex_missing(batch_size: int = 2000) -> int:
    """Build keys for cases that have none (records loaded with ``bulk_create``, e.g. the demo district)."""
    from teilhabe.registry.models import Case

    done = 0
    missing = Case.objects.filter(search_keys__isnull=True).order_by("pk")
    for case in missing.iterator(chunk_size=batch_size):
        reindex(case)
        done += 1
    return done


def build_demo_keys(district: Any) -> None:
    """Demo builder (runs after the registry's): the bulk-created demo cases get their search keys."""
    reindex_missing()
