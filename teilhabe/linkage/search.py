"""Case search that knows transliteration (issue 11 item 1), used by ``registry.services.case_search``.

Candidates come from three sources, each scoped to ``Case.objects.visible_to(user)``, never restricted
(Art. 18) or merged-away records:

1. exact keys: Aktenzeichen (prefix, case-insensitive), AZR number (only in organisations where the user may
   read AZR data, DP-28), agency ids (``ExternalId``) — via keyed hashes in ``SearchKey``;
2. name keys: every query token must meet a key of the case (folded token 3, skeleton 2, phonetic 1 point),
   one grouped SQL query over ``SearchKey``; "Family, Given" and any token order work;
3. the old substring match on ``search_name`` (fragments such as "müllerh").

Candidates are ranked by match strength (:func:`teilhabe.lib.names.name_similarity`), and each hit carries
``match_reason`` (e.g. "Name ähnlich, Geburtsjahr gleich") and ``match_score`` (0..100).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Max, Value, When
from django.utils.translation import gettext as _

from teilhabe.lib.names import name_keys, name_similarity, split_family_given
from teilhabe.linkage.keys import keyed_hash
from teilhabe.linkage.models import Merge, SearchKey

NAME_CANDIDATES = 60  # cases ranked in Python (three times the result cap of 20)
RARE_CANDIDATES = 500  # cases of the rarest query token read before the other tokens are checked
_WEIGHTS = {"t": 3, "s": 2, "p": 1}


@dataclass
class Hit:
    score: float
    reasons: list[str] = field(default_factory=list)


def _base(user: Any, birth_year: int | None) -> Any:
    from teilhabe.registry.models import Case

    queryset = Case.objects.visible_to(user).filter(restricted_at__isnull=True)
    merged = Merge.objects.filter(undone_at__isnull=True).values("absorbed_id")
    queryset = queryset.exclude(pk__in=merged)
    if birth_year:
        queryset = queryset.filter(birth_year=birth_year)
    return queryset


def _exact_hits(user: Any, base: Any, query: str) -> dict[int, Hit]:
    from teilhabe.registry.access import can_read_azr

    hits: dict[int, Hit] = {}
    compact = query.strip()
    if not re.search(r"\d", compact):
        return hits
    for pk in base.filter(reference__istartswith=compact).values_list("pk", flat=True)[:100]:
        hits[pk] = Hit(100, [_("Aktenzeichen")])
    digits = re.sub(r"\D", "", compact)
    if len(digits) == 12:
        from teilhabe.accounts.models import Organisation

        key = f"a:{keyed_hash(digits)}"
        rows = base.filter(search_keys__key=key).values_list("pk", "owner_id")
        allowed = {
            org.pk for org in Organisation.objects.filter(pk__in={o for _p, o in rows}) if can_read_azr(user, org)
        }
        for pk, owner_id in rows:
            if owner_id in allowed:
                hits[pk] = Hit(100, [_("AZR-Nummer gleich")])
    for pk in base.filter(search_keys__key=f"x:{keyed_hash(compact)}").values_list("pk", flat=True)[:100]:
        hits.setdefault(pk, Hit(95, [_("Kennung der Stelle gleich")]))
    return hits


def _rarest_first(scope: Any, tokens: list[Any], birth_year: int | None) -> list[int]:
    """Case ids that meet the rarest query token, at most ``RARE_CANDIDATES``, exact keys first (folded
    token, then skeleton, then phonetic). The tokens are compared by a bounded count of their key rows
    (index-only ranges of ``owner, key, case``); a single token needs no count. Empty when a token meets
    no key at all. With a birth year the case row is joined (primary key) to keep only that year."""
    if len(tokens) == 1:
        rarest = tokens[0]
    else:
        counts = []
        for index, token in enumerate(tokens):
            n = scope.filter(key__in=sorted(token.keys()))[: RARE_CANDIDATES + 1].count()
            if n == 0:
                return []
            counts.append((n, index))
        rarest = tokens[min(counts)[1]]
    if birth_year:
        scope = scope.filter(case__birth_year=birth_year)
    found: dict[int, None] = {}
    keys_of = rarest.keys()
    for prefix in ("t:", "s:", ""):
        keys = sorted(k for k in keys_of if k.startswith(prefix))
        rows = scope.filter(key__in=keys).values_list("case_id", flat=True)
        if found:
            rows = rows.exclude(case_id__in=list(found))
        found.update(dict.fromkeys(rows[: RARE_CANDIDATES - len(found)]))
        if len(found) >= RARE_CANDIDATES:
            break
    return list(found)


def _name_candidates(owners: set[int], birth_year: int | None, query: str) -> list[int]:
    """Up to ``NAME_CANDIDATES`` case ids whose keys meet every query token, best first.

    Shape of the work, whatever the caseload: one bounded count per query token (none for one token), the
    rarest token's cases (≤ ``RARE_CANDIDATES``), then one grouped query over the key rows of only those
    cases, joined to the case row for the restriction flag (Art. 18) and merges."""
    family, given = split_family_given(query)
    tokens = list(name_keys(family, given).tokens)
    if not tokens or not owners:
        return []
    scope = SearchKey.objects.filter(owner_id__in=sorted(owners))
    candidates = _rarest_first(scope, tokens, birth_year)
    if not candidates:
        return []
    annotations = {}
    all_keys: set[str] = set()
    for index, token in enumerate(tokens):
        whens = []
        token_keys = token.keys()
        all_keys |= token_keys
        for prefix, weight in sorted(_WEIGHTS.items(), key=lambda kv: -kv[1]):
            keys = [k for k in token_keys if k.startswith(prefix + ":")]
            if keys:
                whens.append(When(key__in=keys, then=Value(weight)))
        annotations[f"tok{index}"] = Max(SqlCase(*whens, default=Value(0), output_field=IntegerField()))
    rows = SearchKey.objects.filter(
        owner_id__in=sorted(owners), case_id__in=candidates, key__in=sorted(all_keys), case__restricted_at__isnull=True
    )
    merged = Merge.objects.filter(undone_at__isnull=True, owner_id__in=owners, absorbed_id__in=candidates)
    absorbed = list(merged.values_list("absorbed_id", flat=True))
    if absorbed:
        rows = rows.exclude(case_id__in=absorbed)
    grouped = rows.values("case_id").annotate(**annotations).filter(**{f"tok{i}__gt": 0 for i in range(len(tokens))})
    order = sum((_field(name) for name in annotations), Value(0))
    return [row["case_id"] for row in grouped.annotate(total=order).order_by("-total", "case_id")[:NAME_CANDIDATES]]


def _field(name: str) -> Any:
    from django.db.models import F

    return F(name)


def search_cases(*, user: Any, query: str, birth_year: int | None, cap: int) -> tuple[list[Any], bool]:
    """Ranked visible cases for *query* (any script, any order). Returns (cases, truncated); each case has
    ``match_score`` (0..100) and ``match_reason`` (German). No audit here: the caller records the search."""
    from teilhabe.registry.models import Case

    base = _base(user, birth_year)
    hits = _exact_hits(user, base, query)
    query_keys = name_keys(*split_family_given(query))
    from teilhabe.accounts.access import organisation_ids_with

    owners = organisation_ids_with(user, "case.read") if user.is_authenticated else set()
    name_ids = [pk for pk in _name_candidates(owners, birth_year, query) if pk not in hits]
    substring: list[int] = []
    if not name_ids and len(hits) <= cap:  # fragments ("müllerh") only when the keys found nothing
        substring = list(
            base.filter(search_name__contains=" ".join(query.split()).lower())
            .exclude(pk__in=list(hits))
            .values_list("pk", flat=True)[: cap + 1]
        )
    ids = list(hits) + name_ids + [pk for pk in substring if pk not in name_ids]
    cases: dict[int, Any] = {c.pk: c for c in Case.objects.filter(pk__in=ids).select_related("owner")}
    for pk in name_ids + substring:
        case = cases.get(pk)
        if case is None or pk in hits:
            continue
        similarity = max(
            name_similarity(query_keys, name_keys(case.family_name, case.given_names)),
            name_similarity(query_keys, name_keys(case.family_name_latin, case.given_names_latin)),
        )
        if similarity >= 0.999:
            reasons = [_("Name gleich")]
        elif pk in name_ids:
            reasons = [_("Name ähnlich")]
        else:
            reasons = [_("Name enthält Suchtext")]
        hits[pk] = Hit(round(100 * max(similarity, 0.3 if pk in substring else 0)), reasons)
    if birth_year:
        for hit in hits.values():
            hit.reasons.append(_("Geburtsjahr gleich"))
    ranked = sorted(
        (pk for pk in hits if pk in cases),
        key=lambda pk: (-hits[pk].score, cases[pk].family_name_latin, pk),
    )
    result = []
    for pk in ranked[: cap + 1]:
        case = cases[pk]
        case.match_score = hits[pk].score
        case.match_reason = ", ".join(hits[pk].reasons)
        result.append(case)
    return result[:cap], len(result) > cap
