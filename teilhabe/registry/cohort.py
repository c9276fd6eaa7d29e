"""Cohort monitoring from case records (issue #7 item 8, DP-41, DP-42).

``build_extract()`` writes one pseudonymised ``CohortRecord`` per *person* with an arrival date: unrestricted
cases that share a person key (``linkage.PersonKey``, shared after a merge inside one organisation) count
once, and a case merged into another (``linkage.Merge``, not undone) is represented by the surviving case,
which holds its events. Cases without a person key count as one person each (issue 11 item 3).
``cohort_table()`` computes trajectory indicators per arrival year from that store only — never from the
case tables — and applies primary suppression with k = settings.DISCLOSURE_MIN_COUNT: a count of 1 … k-1
persons is never shown, and neither is a share whose numerator or complement is such a count, nor a median
over fewer than k persons.
"""

from __future__ import annotations

import hashlib
import hmac
import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from teilhabe.lib.disclosure import needs_primary
from teilhabe.registry.crypto import decrypt_json
from teilhabe.registry.models import Case, CohortRecord, EventKind, TrajectoryEvent
from teilhabe.registry.signals import cohort_extract_built

EMPLOYED = {"beschaeftigt", "minijob", "selbststaendig"}
B1_OR_BETTER = {"B1", "B2", "C1"}


def pseudonym(owner_id: int, case_id: int) -> str:
    if not settings.PSEUDONYM_KEY:
        raise ImproperlyConfigured("TEILHABE_PSEUDONYM_KEY must be set for the cohort extract.")
    message = f"kiim:{owner_id}:{case_id}".encode()
    return hmac.new(settings.PSEUDONYM_KEY.encode(), message, hashlib.sha256).hexdigest()


def forget(case: Case) -> int:
    """Remove a case from the analytics store at once (erasure, restriction, retention)."""
    if not settings.PSEUDONYM_KEY:
        return 0
    deleted, _ = CohortRecord.objects.filter(pseudonym=pseudonym(case.owner_id, case.pk)).delete()
    return deleted


def _iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _first(*values: date | None) -> date | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _record(case: Case, today: date) -> CohortRecord | None:
    arrival = case.arrival_date or case.allocation_date
    if arrival is None:
        return None
    events: dict[str, list[tuple[date, str]]] = {}
    for event in case.events.all():
        events.setdefault(event.kind, []).append((event.date, event.detail.strip().upper()))
    groups = {entry.group: decrypt_json(entry.data) for entry in case.entries.all()}
    course = groups.get("sprachkurs", {})
    work = groups.get("beschaeftigung", {})
    housing = groups.get("wohnen", {})

    course_start = _first(*(d for d, _ in events.get(EventKind.COURSE_STARTED, [])), _iso(course.get("started_on")))
    b1 = _first(
        *(d for d, detail in events.get(EventKind.LEVEL_REACHED, []) if detail in B1_OR_BETTER),
        _iso(course.get("completed_on")) if course.get("level") in B1_OR_BETTER else None,
    )
    employed = _first(
        *(d for d, _ in events.get(EventKind.EMPLOYMENT_STARTED, [])),
        _iso(work.get("since")) if work.get("status") in EMPLOYED else None,
    )
    shared = housing.get("form") == "gemeinschaftsunterkunft"
    moved_in = _first(
        *(d for d, _ in events.get(EventKind.SHARED_HOUSING_IN, [])),
        _iso(housing.get("moved_in_on")) if shared else None,
    )
    moved_out = _first(*(d for d, _ in events.get(EventKind.MOVED_OUT, [])), _iso(housing.get("moved_out_on")))

    def within(reached: date | None, months: int) -> bool | None:
        deadline = arrival + timedelta(days=round(months * 30.44))
        if reached is not None and reached <= deadline:
            return True
        return None if deadline > today else False

    return CohortRecord(
        pseudonym=pseudonym(case.owner_id, case.pk),
        owner_kind=case.owner.kind,
        gemeinde_ags=case.gemeinde_id or "",
        arrival_year=arrival.year,
        arrival_quarter=(arrival.month - 1) // 3 + 1,
        days_to_course_start=(course_start - arrival).days if course_start and course_start >= arrival else None,
        b1_within_24_months=within(b1, 24),
        employed_within_36_months=within(employed, 36),
        months_in_shared_accommodation=(
            round((moved_out - moved_in).days / 30.44) if moved_in and moved_out and moved_out >= moved_in else None
        ),
        extracted_at=timezone.now(),
    )


def _persons(cases: Any) -> set[int] | None:
    """One case per person: absorbed cases of an active merge are left out, and of the cases that share a
    person key (same organisation) the one with the earliest arrival, then the lowest id, stands for it."""
    from django.apps import apps

    if not apps.is_installed("teilhabe.linkage"):
        return None
    from teilhabe.linkage.models import Merge, PersonKey

    absorbed = Merge.objects.filter(undone_at__isnull=True).values("absorbed_id")
    cases = cases.exclude(pk__in=absorbed)
    keys = dict(PersonKey.objects.filter(case__in=cases).values_list("case_id", "key"))
    chosen: dict[tuple[int, str], tuple[date, int]] = {}
    for pk, owner_id, arrival, allocation in cases.values_list("pk", "owner_id", "arrival_date", "allocation_date"):
        person = (owner_id, keys.get(pk) or f"case:{pk}")
        rank = (arrival or allocation or date.max, pk)
        if person not in chosen or rank < chosen[person]:
            chosen[person] = rank
    return {pk for _arrival, pk in chosen.values()}


@transaction.atomic
def build_extract() -> int:
    """Rebuild the analytics store from scratch; returns the number of records (persons)."""
    from teilhabe.audit.services import record

    today = timezone.localdate()
    CohortRecord.objects.all().delete()
    unrestricted = Case.objects.filter(restricted_at__isnull=True)
    persons = _persons(unrestricted)
    cases = unrestricted.select_related("owner").prefetch_related(
        Prefetch("events", queryset=TrajectoryEvent.objects.current()), "entries"
    )
    rows = [
        row
        for case in cases.iterator(chunk_size=500)
        if (persons is None or case.pk in persons) and (row := _record(case, today)) is not None
    ]
    CohortRecord.objects.bulk_create(rows, batch_size=2000)
    record(
        "registry.cohort_extract", object_type="registry.cohortrecord", username="system", extra={"records": len(rows)}
    )
    transaction.on_commit(lambda: cohort_extract_built.send(sender=CohortRecord, records=len(rows)))
    return len(rows)


@dataclass(frozen=True)
class Figure:
    value: float | None
    basis: int  # persons behind the figure (shown only when not suppressed)
    suppressed: bool


def _count(n: int, k: int) -> Figure:
    return Figure(float(n), n, needs_primary(n, k))


def _share(flags: list[bool | None], k: int) -> Figure:
    observed = [f for f in flags if f is not None]
    yes = sum(1 for f in observed if f)
    no = len(observed) - yes
    if not observed or len(observed) < k or needs_primary(yes, k) or needs_primary(no, k):
        return Figure(None, len(observed), True)
    return Figure(round(100 * yes / len(observed), 1), len(observed), False)


def _median(values: list[int], k: int) -> Figure:
    if len(values) < k:
        return Figure(None, len(values), True)
    return Figure(float(statistics.median(values)), len(values), False)


def cohort_table(k: int | None = None) -> list[dict[str, Any]]:
    """One row per arrival year plus 'alle'; every figure carries its own suppression flag."""
    k = k or settings.DISCLOSURE_MIN_COUNT
    records = list(CohortRecord.objects.all())
    years = sorted({r.arrival_year for r in records})
    rows: list[dict[str, Any]] = []
    for label, subset in [*((str(y), [r for r in records if r.arrival_year == y]) for y in years), ("alle", records)]:
        rows.append(
            {
                "cohort": label,
                "persons": _count(len(subset), k),
                "median_days_to_course": _median(
                    [r.days_to_course_start for r in subset if r.days_to_course_start is not None], k
                ),
                "share_b1_24": _share([r.b1_within_24_months for r in subset], k),
                "share_employed_36": _share([r.employed_within_36_months for r in subset], k),
                "median_months_shared": _median(
                    [r.months_in_shared_accommodation for r in subset if r.months_in_shared_accommodation is not None],
                    k,
                ),
            }
        )
    # A single suppressed year could be recovered from 'alle' minus the other years: then hide 'alle' too.
    suppressed_years = [row for row in rows[:-1] if row["persons"].suppressed]
    if len(suppressed_years) == 1 and rows:
        rows[-1]["persons"] = Figure(None, rows[-1]["persons"].basis, True)
    return rows
