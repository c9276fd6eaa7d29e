"""Linking, review, merge/unmerge (issue 11 items 2–4). Each write runs in one transaction with its audit
event; audit events carry ids and reason codes, never names or dates (DP-29).

Scope rules, enforced here (the views only call these):

- duplicates: both cases belong to the same organisation, in which the user holds ``case.write``
  (decisions) or ``case.restrict`` (merge, unmerge, duplicates report);
- across organisations: only an own case and a transmission the organisation *received* (status sent,
  not revoked). Matching reads the recipient's copy (``Transmission.snapshot``), never the sender's case.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teilhabe.accounts.access import AnyUser, has_permission
from teilhabe.accounts.models import Organisation
from teilhabe.audit.services import record
from teilhabe.lib.names import Birth, compare_birth, name_keys, name_similarity
from teilhabe.linkage.models import CandidateStatus, LinkCandidate, Merge, PersonKey, SearchKey

SPLINK_MIN_RECORDS = 500  # below this an organisation's list is too small to train a model on
REASON_LABELS = {
    "azr": gettext_lazy("AZR-Nummer gleich"),
    "external_id": gettext_lazy("Kennung der Stelle gleich"),
    "name_same": gettext_lazy("Name gleich"),
    "name_similar": gettext_lazy("Name ähnlich"),
    "birth_exact": gettext_lazy("Geburtsdatum gleich"),
    "birth_year": gettext_lazy("Geburtsjahr gleich"),
    "birth_uncertain": gettext_lazy("Geburtsjahr gleich (Platzhalterdatum)"),
    "birth_swapped": gettext_lazy("Tag und Monat vertauscht"),
    "birth_near": gettext_lazy("Geburtsjahr ±1"),
    "sex_same": gettext_lazy("Geschlecht gleich"),
    "nationality_same": gettext_lazy("Staatsangehörigkeit gleich"),
    "splink": gettext_lazy("Modell (Splink)"),
}


def reason_text(codes: list[str]) -> str:
    return ", ".join(str(REASON_LABELS.get(code, code)) for code in codes)


def _actor(user: AnyUser) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


# --- identity of a case or a received copy as matching input -------------------------------------------


@dataclass
class Identity:
    """The link-relevant fields of one record (own case or received copy)."""

    family_name: str = ""
    given_names: str = ""
    family_name_latin: str = ""
    given_names_latin: str = ""
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    placeholder: bool = False
    sex: str = ""
    nationalities: tuple[str, ...] = ()

    @classmethod
    def of_case(cls, case: Any) -> Identity:
        return cls(
            case.family_name,
            case.given_names,
            case.family_name_latin,
            case.given_names_latin,
            case.birth_year,
            case.birth_month,
            case.birth_day,
            case.birth_date_is_placeholder,
            case.sex,
            tuple(case.nationalities or ()),
        )

    @classmethod
    def of_snapshot(cls, values: dict[str, Any]) -> Identity:
        return cls(
            values.get("family_name") or "",
            values.get("given_names") or "",
            values.get("family_name_latin") or "",
            values.get("given_names_latin") or "",
            values.get("birth_year"),
            values.get("birth_month"),
            values.get("birth_day"),
            bool(values.get("birth_date_is_placeholder")),
            values.get("sex") or "",
            tuple(values.get("nationalities") or ()),
        )

    def birth(self) -> Birth:
        return Birth.of(self.birth_year, self.birth_month, self.birth_day, self.placeholder)

    def names(self) -> list[Any]:
        return [
            name_keys(self.family_name, self.given_names),
            name_keys(self.family_name_latin, self.given_names_latin),
        ]

    def search_keys(self) -> set[str]:
        out: set[str] = set()
        for keys in self.names():
            out |= keys.keys()
        return out


def score(a: Identity, b: Identity) -> tuple[float, list[str]]:
    """Transparent pair score for small lists and single records (0..1) with reason codes.

    Name similarity (order-free, scripts and spellings folded) weighs most; a certain birth date that
    differs by more than a year rules a pair out; placeholder dates count only for their year."""
    similarity = max(name_similarity(x, y) for x in a.names() for y in b.names())
    level = compare_birth(a.birth(), b.birth())
    reasons = ["name_same" if similarity >= 0.999 else "name_similar"] if similarity >= 0.75 else []
    birth_weight = {
        "exact": 0.25,
        "year_uncertain": 0.12,
        "swapped": 0.15,
        "year": 0.0,
        "near": -0.05,
        "unknown": 0.0,
        "different": -0.6,
    }[level]
    reasons += {
        "exact": ["birth_exact"],
        "year_uncertain": ["birth_uncertain"],
        "swapped": ["birth_swapped"],
        "near": ["birth_near"],
    }.get(level, [])
    value = 0.7 * similarity + birth_weight
    if a.sex and a.sex == b.sex and a.sex != "x":
        value += 0.03
        reasons.append("sex_same")
    if set(a.nationalities) & set(b.nationalities):
        value += 0.02
        reasons.append("nationality_same")
    if similarity < 0.75:
        value = min(value, 0.3)
    return max(0.0, min(1.0, value)), reasons


# --- candidates inside one organisation ----------------------------------------------------------------


def _own_cases(organisation: Organisation) -> Any:
    from teilhabe.registry.models import Case

    merged = Merge.objects.filter(undone_at__isnull=True).values("absorbed_id")
    return Case.objects.filter(owner=organisation, restricted_at__isnull=True).exclude(pk__in=merged)


def similar_cases(organisation: Organisation, identity: Identity, *, exclude: int | None = None) -> list[Any]:
    """Own cases that may be the same person (score ≥ REVIEW threshold), best first; each case gets
    ``match_probability`` and ``match_reason``. Uses the search keys, so it is cheap per record."""
    from teilhabe.linkage.engine import REVIEW_THRESHOLD

    keys = {k for k in identity.search_keys() if k[:2] in {"s:", "t:"}}
    if not keys:
        return []
    ids = set(
        SearchKey.objects.filter(key__in=keys, case__in=_own_cases(organisation)).values_list("case_id", flat=True)[
            :500
        ]
    )
    ids.discard(exclude)
    found = []
    for case in _own_cases(organisation).filter(pk__in=ids):
        value, reasons = score(identity, Identity.of_case(case))
        if value >= max(REVIEW_THRESHOLD, 0.5):
            case.match_probability = round(value, 3)
            case.match_reason = reason_text(reasons)
            found.append(case)
    return sorted(found, key=lambda c: -c.match_probability)


def intake_check(*, acting_user: AnyUser, owner: Organisation, data: dict[str, Any]) -> list[Any]:
    """ "Search before create": own cases similar to the data typed into the new-case form. Audited as a
    search (only counts go into the log)."""
    if not has_permission(acting_user, "case.write", owner):
        raise PermissionDenied
    identity = Identity(
        data.get("family_name") or "",
        data.get("given_names") or "",
        data.get("family_name_latin") or "",
        data.get("given_names_latin") or "",
        data.get("birth_year"),
        data.get("birth_month"),
        data.get("birth_day"),
        bool(data.get("birth_date_is_placeholder")),
        data.get("sex") or "",
        tuple(data.get("nationalities") or ()),
    )
    found = similar_cases(owner, identity)[:5]
    record(
        "linkage.intake_check",
        actor=acting_user,
        organisation=owner,
        object_type="registry.case",
        extra={"results": len(found)},
    )
    return found


def _store_pair(owner: Organisation, left: int, right: int, probability: float, rule: str, reasons: list[str]) -> bool:
    left, right = min(left, right), max(left, right)
    _candidate, created = LinkCandidate.objects.get_or_create(
        left_id=left,
        right_id=right,
        defaults={
            "owner": owner,
            "match_probability": probability,
            "rule": rule,
            "reasons": reasons,
        },
    )
    return created


def _external_pairs(organisation: Organisation) -> list[tuple[int, int, str]]:
    """Deterministic rules: same AZR number or same agency id (keyed hashes) inside the organisation."""
    rows = SearchKey.objects.filter(case__in=_own_cases(organisation)).filter(
        Q(key__startswith="a:") | Q(key__startswith="x:")
    )
    by_key: dict[str, list[int]] = {}
    for case_id, key in rows.values_list("case_id", "key"):
        by_key.setdefault(key, []).append(case_id)
    pairs = []
    for key, ids in by_key.items():
        ids = sorted(set(ids))
        rule = "azr" if key.startswith("a:") else "external_id"
        pairs += [(a, b, rule) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    return pairs


def _splink_pairs(cases: list[Any]) -> list[tuple[int, int, float]]:
    import pandas as pd

    from teilhabe.linkage import engine

    frame = pd.DataFrame(
        [
            {
                "unique_id": str(c.pk),
                "given_name": c.given_names_latin or c.given_names,
                "family_name": c.family_name_latin or c.family_name,
                "birth_date": ""
                if not c.birth_year
                else f"{c.birth_year}-{c.birth_month or 0:02d}-{c.birth_day or 0:02d}",
                "nationality": (c.nationalities or [""])[0],
                "sex": c.sex if c.sex in {"m", "w", "d"} else "",
                "azr": c.azr_number if c.azr_number_enc else "",
                "gemeinde_ags": c.gemeinde_id or "",
            }
            for c in cases
        ]
    )
    pairs = engine.dedupe(frame, threshold=engine.REVIEW_THRESHOLD)
    return [
        (int(a), int(b), float(p))
        for a, b, p in pairs[["unique_id_l", "unique_id_r", "match_probability"]].itertuples(index=False)
    ]


@transaction.atomic
def run_duplicates(*, acting_user: AnyUser, organisation: Organisation, only_new: bool = True) -> int:
    """Find likely duplicates inside one organisation and put them into its review queue.

    Deterministic rules first (AZR number, agency ids), then Splink when the organisation holds at least
    ``SPLINK_MIN_RECORDS`` cases, else the transparent key-based score. ``only_new``: incremental — only
    pairs that involve a case created or changed since the organisation's last run. Returns new candidates."""
    if acting_user is not None and not has_permission(acting_user, "case.write", organisation):
        raise PermissionDenied
    from teilhabe.audit.models import AuditEvent

    last = (
        AuditEvent.objects.filter(action="linkage.run", organisation_id=organisation.pk)
        .order_by("-pk")
        .values_list("created_at", flat=True)
        .first()
        if only_new
        else None
    )
    cases = list(_own_cases(organisation))
    fresh = {c.pk for c in cases if last is None or c.updated_at >= last}
    created = 0
    for a, b, rule in _external_pairs(organisation):
        if a in fresh or b in fresh:
            created += _store_pair(organisation, a, b, 1.0, rule, [rule])
    if len(cases) >= SPLINK_MIN_RECORDS:
        for a, b, probability in _splink_pairs(cases):
            if a in fresh or b in fresh:
                created += _store_pair(organisation, a, b, round(probability, 4), "splink", ["splink"])
    else:
        by_pk = {c.pk: c for c in cases}
        for pk in fresh:
            for other in similar_cases(organisation, Identity.of_case(by_pk[pk]), exclude=pk):
                created += _store_pair(
                    organisation, pk, other.pk, other.match_probability, "score", _reason_codes(by_pk[pk], other)
                )
    record(
        "linkage.run",
        actor=acting_user,
        organisation=organisation,
        extra={"cases": len(cases), "fresh": len(fresh), "new_candidates": created},
    )
    return created


def _reason_codes(a: Any, b: Any) -> list[str]:
    return score(Identity.of_case(a), Identity.of_case(b))[1]


# --- decisions ----------------------------------------------------------------------------------------


@transaction.atomic
def decide(*, acting_user: AnyUser, candidate: LinkCandidate, status: str, reason: str) -> LinkCandidate:
    if not has_permission(acting_user, "case.write", candidate.owner):
        raise PermissionDenied
    if status not in {CandidateStatus.SAME, CandidateStatus.DIFFERENT}:
        raise ValidationError({"status": _("Bitte eine Entscheidung wählen (linkage.status).")})
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte die Entscheidung begründen (linkage.reason_missing).")})
    candidate.status = status
    candidate.decision_reason = reason.strip()[:300]
    candidate.decided_by = _actor(acting_user)
    candidate.decided_at = timezone.now()
    candidate.save()
    record(
        "linkage.decide",
        actor=acting_user,
        organisation=candidate.owner,
        object_type="linkage.linkcandidate",
        object_id=candidate.pk,
        extra={"status": status, "rule": candidate.rule, "transmission_id": candidate.transmission_id},
    )
    return candidate


# --- merge and unmerge -----------------------------------------------------------------------------------

FILLABLE = ("family_name_latin", "given_names_latin", "birth_month", "birth_day", "gemeinde_id", "reference")


@transaction.atomic
def merge(*, acting_user: AnyUser, candidate: LinkCandidate, survivor_id: int, reason: str) -> Merge:
    """Merge the other case of a confirmed own pair into ``survivor_id``. Moves events, plan goals and the
    field groups the survivor lacks; fills the survivor's empty identity fields; the absorbed case keeps its
    row (out of search) and takes the survivor's person key. Everything is recorded for :func:`unmerge`."""
    from teilhabe.registry.crypto import encrypt_text
    from teilhabe.registry.models import Case, FieldGroupEntry, PlanGoal, TrajectoryEvent

    owner = candidate.owner
    if not has_permission(acting_user, "case.restrict", owner):
        raise PermissionDenied
    if candidate.right_id is None or candidate.status != CandidateStatus.SAME:
        raise ValidationError(
            _("Nur bestätigte Dubletten derselben Stelle können zusammengeführt werden (linkage.merge_state).")
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte die Zusammenführung begründen (linkage.reason_missing).")})
    if survivor_id not in (candidate.left_id, candidate.right_id):
        raise ValidationError(_("Die führende Akte muss zum Paar gehören (linkage.survivor)."))
    absorbed_id = candidate.right_id if survivor_id == candidate.left_id else candidate.left_id
    survivor = Case.objects.select_for_update().get(pk=survivor_id, owner=owner)
    absorbed = Case.objects.select_for_update().get(pk=absorbed_id, owner=owner)
    present = set(survivor.entries.values_list("group", flat=True))
    moved_entries = list(absorbed.entries.exclude(group__in=present).values_list("pk", flat=True))
    moved_events = list(absorbed.events.values_list("pk", flat=True))
    moved_goals = list(absorbed.goals.values_list("pk", flat=True))
    filled = {}
    for name in FILLABLE:
        if getattr(survivor, name) in (None, "") and getattr(absorbed, name) not in (None, ""):
            filled[name] = getattr(survivor, name)
            setattr(survivor, name, getattr(absorbed, name))
    survivor_key, _created = PersonKey.objects.get_or_create(case=survivor)
    absorbed_key, _created = PersonKey.objects.get_or_create(case=absorbed)
    state = {
        "entries": moved_entries,
        "events": moved_events,
        "goals": moved_goals,
        "survivor_before": filled,
        "absorbed_key": absorbed_key.key,
        "absorbed_previous_key": absorbed_key.previous_key,
    }
    FieldGroupEntry.objects.filter(pk__in=moved_entries).update(case=survivor)
    TrajectoryEvent.objects.filter(pk__in=moved_events).update(case=survivor)
    PlanGoal.objects.filter(pk__in=moved_goals).update(case=survivor)
    if filled:
        survivor.updated_by = _actor(acting_user)
        survivor.save()
    absorbed_key.previous_key, absorbed_key.key = absorbed_key.key, survivor_key.key
    absorbed_key.save()
    candidate.status = CandidateStatus.MERGED
    candidate.save(update_fields=["status"])
    done = Merge.objects.create(
        owner=owner,
        survivor=survivor,
        absorbed=absorbed,
        candidate=candidate,
        state=encrypt_text(json.dumps(state, default=str)),
        reason=reason.strip()[:300],
        merged_by=_actor(acting_user),
        merged_at=timezone.now(),
    )
    record(
        "linkage.merge",
        actor=acting_user,
        organisation=owner,
        obj=survivor,
        changed_fields=sorted(filled),
        extra={
            "merge_id": done.pk,
            "absorbed_id": absorbed.pk,
            "moved": {"entries": len(moved_entries), "events": len(moved_events), "goals": len(moved_goals)},
        },
    )
    return done


@transaction.atomic
def unmerge(*, acting_user: AnyUser, merge_record: Merge, reason: str) -> None:
    """Undo a merge exactly: moved rows go back, filled survivor fields are emptied again, the absorbed
    case gets its own person key back and returns to search."""
    from teilhabe.registry.crypto import decrypt_text
    from teilhabe.registry.models import Case, FieldGroupEntry, PlanGoal, TrajectoryEvent

    owner = merge_record.owner
    if not has_permission(acting_user, "case.restrict", owner):
        raise PermissionDenied
    if merge_record.undone_at is not None:
        raise ValidationError(_("Diese Zusammenführung ist bereits aufgehoben (linkage.unmerged)."))
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte die Trennung begründen (linkage.reason_missing).")})
    state = json.loads(decrypt_text(merge_record.state))
    absorbed = merge_record.absorbed
    FieldGroupEntry.objects.filter(pk__in=state["entries"]).update(case=absorbed)
    TrajectoryEvent.objects.filter(pk__in=state["events"]).update(case=absorbed)
    PlanGoal.objects.filter(pk__in=state["goals"]).update(case=absorbed)
    survivor = Case.objects.select_for_update().get(pk=merge_record.survivor_id)
    for name, value in state["survivor_before"].items():
        setattr(survivor, name, value)
    if state["survivor_before"]:
        survivor.updated_by = _actor(acting_user)
        survivor.save()
    PersonKey.objects.filter(case=absorbed).update(
        key=state["absorbed_key"], previous_key=state["absorbed_previous_key"]
    )
    if merge_record.candidate_id:
        LinkCandidate.objects.filter(pk=merge_record.candidate_id).update(status=CandidateStatus.SAME)
    merge_record.undone_at = timezone.now()
    merge_record.undone_by = _actor(acting_user)
    merge_record.undo_reason = reason.strip()[:300]
    merge_record.save()
    record(
        "linkage.unmerge",
        actor=acting_user,
        organisation=owner,
        obj=survivor,
        changed_fields=sorted(state["survivor_before"]),
        extra={"merge_id": merge_record.pk, "absorbed_id": absorbed.pk},
    )
