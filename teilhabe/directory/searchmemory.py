"""The per-process copy of the search index that queries read, kept current incrementally (decision 0061).

``vocabulary()`` returns one :class:`Vocabulary` per process: the index as arrays (``searchindex.Postings``),
the sorted vocabulary for prefix/compound/typo search, the synonym groups, the Kreis' Gemeinden and, per
published offer, its coordinates, Gemeinde, title and filter attributes (so a search page needs no query for
filters, places or map points).

Loading it reads the whole ``SearchTerm`` table (two million rows for 5,000 offers in 7 languages, many
seconds on a busy machine). It is loaded once per process; afterwards writes are *patched in*:
``searchindex.index_offers`` logs every re-indexed offer in ``SearchIndexChange``, and ``vocabulary()``
reads the log entries it has not applied yet and fetches only those offers' rows and attributes. When it
looks: at once after a write in this process (the cache's content version moved), else at most every
``RECHECK_SECONDS``. A full reload happens only for a full rebuild (``rebuild_search_index``) or when more
than ``FULL_RELOAD_AFTER`` offers changed at once (a large import). Log entries of the last
``GRACE_SECONDS`` (10 minutes) are re-read on every check, so a transaction that committed after a younger
one is not missed (applying an offer twice is harmless). Synonym edits rebuild the synonym groups only.

Every patch gives the changed offers a new ``revision``; cached fragments of an offer (``fragments.py``) are
keyed by ``(generation, revision)`` and so never outlive a write.
"""

from __future__ import annotations

import bisect
import itertools
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils import timezone

from teilhabe.directory.models import Offer, SearchIndexChange, SearchTerm, SearchWord, Status, SynonymGroup
from teilhabe.directory.searchindex import Postings, load_postings, synonym_entries
from teilhabe.directory.searchtext import analyze_query
from teilhabe.lib.collation import german_sorted

CONTENT_VERSION_KEY = "directory:content-version"
Q_EXACT, Q_PREFIX, Q_SYNONYM, Q_INFIX, Q_FUZZY = 1.0, 0.85, 0.8, 0.7, 0.6
RECHECK_SECONDS = 5.0
FILTERS = ("gemeinde", "typ", "sprache", "zielgruppe", "kostenlos", "barrierefrei")  # structured filters
GRACE_SECONDS = 600  # longer than any transaction that writes the index (imports included)
FULL_RELOAD_AFTER = 1000  # offers changed since the last look; above this a reload is cheaper than patching


def content_version() -> int:
    return int(cache.get_or_set(CONTENT_VERSION_KEY, 1, None) or 1)


def bump_content_version() -> None:
    """Invalidate cached search pages and make this process look for index changes on its next search."""
    try:
        cache.incr(CONTENT_VERSION_KEY)
    except ValueError:
        cache.set(CONTENT_VERSION_KEY, 2, None)


@dataclass
class Place:
    ags: str
    name: str
    words: tuple[str, ...]
    latitude: float | None
    longitude: float | None


@dataclass
class OfferFacts:
    """What search, filters and the map need of a published offer, without a query."""

    title: str
    latitude: float | None  # own location, else the Gemeinde's centre
    longitude: float | None
    gemeinde: str  # AGS or ""
    offer_type: str
    languages: str  # token strings ",de,ar,"
    target_groups: str
    is_free: bool
    wheelchair: bool


@dataclass
class Vocabulary:
    version: int  # content version this copy was last checked at
    generation: int  # a new number on every full load
    postings: Postings
    terms: list[str]  # single-word terms, sorted (prefix search by bisection)
    joined: str  # "\n" + "\n".join(terms) + "\n", for compound-part search
    starts: list[int]  # offset of each term in ``joined``
    display: dict[str, str]
    synonyms: dict[str, list[int]]  # query form or folded bigram → synonym group numbers
    groups: list[tuple[dict[str, float], list[str]]]  # (variants, offer types)
    synonym_mark: tuple[Any, ...]
    places: list[Place]
    gemeinde_choices: list[tuple[str, str]]  # (AGS, name) in German order, for the filter forms
    facts: dict[int, OfferFacts]  # published offers only
    coordinates: dict[int, tuple[float, float, str]]  # published offer → (lat, lon, Gemeinde AGS)
    coord_pks: Any = None  # the same as sorted numpy arrays, for vectorised distances
    coord_lat: Any = None
    coord_lon: Any = None
    coord_ags: Any = None
    published_pks: Any = None  # numpy array of all published offers
    published: int = 0
    change_id: int = 0  # highest SearchIndexChange id applied
    applied: dict[int, float] = field(default_factory=dict)  # recently applied change ids → monotonic time
    revision: dict[int, int] = field(default_factory=dict)  # offer pk → number of patches applied to it
    columns: dict[str, Any] = field(default_factory=dict)  # filter columns over ``published_pks`` (numpy)
    # Results of ``filtered``/``allowed`` per filter values (read-only arrays); emptied by every patch.
    by_filters: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    def filtered(self, data: dict[str, Any]) -> Any:
        """Published offers (sorted pks) matching the structured filters of ``data``, the same rules as
        ``search.apply_filters`` (which the listing without words still runs in SQL)."""
        key = ("filtered", *(data.get(name) or None for name in FILTERS))
        found = self.by_filters.get(key)
        if found is None:
            found = self._remember(key, self._filtered(data))
        return found

    def allowed(self, data: dict[str, Any]) -> Any:
        """Boolean mask over ``postings.offer_ids``: the offers ``filtered(data)`` keeps."""
        key = ("allowed", *(data.get(name) or None for name in FILTERS))
        found = self.by_filters.get(key)
        if found is None:
            found = self._remember(key, np.isin(self.postings.offer_ids, self.filtered(data)))
        return found

    def _remember(self, key: tuple[Any, ...], value: Any) -> Any:
        # The filters' combinations are few (Gemeinde × type × language × target group × two flags), but bounded.
        if len(self.by_filters) >= 2000:
            self.by_filters.clear()
        value.flags.writeable = False
        self.by_filters[key] = value
        return value

    def _filtered(self, data: dict[str, Any]) -> Any:
        keep = np.ones(len(self.published_pks), dtype=bool)
        for key, column in (("gemeinde", "gemeinde"), ("typ", "offer_type")):
            if data.get(key):
                keep &= self.columns[column] == data[key]
        for key, column in (("sprache", "languages"), ("zielgruppe", "target_groups")):
            if data.get(key):
                token = f",{data[key]},"
                keep &= np.array([token in tokens for tokens in self.columns[column]], dtype=bool)
        for key, column in (("kostenlos", "is_free"), ("barrierefrei", "wheelchair")):
            if data.get(key):
                keep &= self.columns[column]
        return self.published_pks[keep]

    def place(self, ags: str) -> Place | None:
        return next((p for p in self.places if p.ags == ags), None)


_state: dict[str, Any] = {"vocabulary": None, "checked": 0.0, "generation": 0, "loads": 0}


def vocabulary() -> Vocabulary:
    """The current per-process copy (see the module docstring for when it looks for changes)."""
    vocab: Vocabulary | None = _state["vocabulary"]
    version = content_version()
    now = time.monotonic()
    if vocab is not None and vocab.version == version and now - _state["checked"] < RECHECK_SECONDS:
        return vocab
    _state["checked"] = now
    if vocab is None or not _sync(vocab):
        vocab = _load(version)
        _state["vocabulary"] = vocab
    vocab.version = version
    return vocab


def preload(log: Any = None) -> None:
    """Load this process's copy and render the search page's query-independent parts before any request:
    called in the gunicorn master (``deploy/gunicorn.conf.py``, decision 0110), whose forked workers then
    share the copy. Never raises: without a database the workers load the index on their first search.

    Afterwards the master's database connections are closed (a forked worker must not share a socket) and
    its objects are moved out of the garbage collector's reach (``gc.freeze``), so collections in the workers
    do not touch, and so copy, the shared pages.
    """
    import gc
    import logging

    from django.db import connections

    logger = log or logging.getLogger(__name__)
    started = time.monotonic()
    try:
        vocab = vocabulary()
        from teilhabe.directory.views import warm_up

        warm_up()
        logger.info(
            "directory search index loaded: %d offers, %d terms, %.1f s",
            vocab.published,
            len(vocab.postings.slices),
            time.monotonic() - started,
        )
    except Exception:
        logger.exception("directory search index not preloaded; workers load it on their first search")
    finally:
        connections.close_all()
    gc.collect()
    gc.freeze()


def forget() -> None:
    """Drop this process's copy (tests that rebuild the database underneath)."""
    _state["vocabulary"] = None


def full_loads() -> int:
    """How often this process has read the whole index (tests and benchmarks check patches avoid it)."""
    return int(_state["loads"])


def _synonym_mark() -> tuple[Any, ...]:
    mark = SynonymGroup.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    return (mark["n"], mark["m"])


def _last_change_id() -> int:
    return int(SearchIndexChange.objects.aggregate(m=Max("id"))["m"] or 0)


def _load(version: int) -> Vocabulary:
    change_id = _last_change_id()  # before reading: a change during the load is applied again, harmlessly
    # The log entries visible now are contained in what is read below: mark them applied, or the grace
    # window would see a rebuild's entry as new and reload everything again on every check for 10 minutes.
    now = time.monotonic()
    since = timezone.now() - timedelta(seconds=GRACE_SECONDS)
    applied = {
        change: now
        for change in SearchIndexChange.objects.filter(id__lte=change_id, created_at__gte=since).values_list(
            "id", flat=True
        )
    }
    postings = load_postings()
    display = {
        term: shown for term, shown in SearchWord.objects.values_list("term", "display") if term in postings.slices
    }
    terms = sorted(display)
    joined, starts = _joined(terms)
    from teilhabe.directory.forms import kreis_gemeinden

    places = []
    for gemeinde in kreis_gemeinden():
        words = tuple(t.folded for t in analyze_query(gemeinde.name))
        if words:
            places.append(Place(gemeinde.ags, gemeinde.name, words, gemeinde.latitude, gemeinde.longitude))
    _state["generation"] += 1
    _state["loads"] += 1
    vocab = Vocabulary(
        version=version,
        generation=_state["generation"],
        postings=postings,
        terms=terms,
        joined=joined,
        starts=starts,
        display=display,
        synonyms={},
        groups=[],
        synonym_mark=(),
        places=places,
        gemeinde_choices=[(p.ags, p.name) for p in german_sorted(places, key=lambda p: p.name)],
        facts=_facts(Offer.objects.filter(status=Status.PUBLISHED)),
        coordinates={},
        change_id=change_id,
        applied=applied,
    )
    _index_facts(vocab)
    _load_synonyms(vocab)
    return vocab


def _joined(terms: list[str]) -> tuple[str, list[int]]:
    starts, offset = [], 1
    for term in terms:
        starts.append(offset)
        offset += len(term) + 1
    return "\n" + "\n".join(terms) + "\n", starts


def _facts(queryset: Any) -> dict[int, OfferFacts]:
    rows = queryset.values_list(
        "pk",
        "title",
        "location__latitude",
        "location__longitude",
        "gemeinde__latitude",
        "gemeinde__longitude",
        "gemeinde_id",
        "offer_type",
        "languages",
        "target_groups",
        "is_free",
        "location__wheelchair_accessible",
    )
    facts = {}
    for pk, title, lat, lon, glat, glon, ags, offer_type, languages, targets, free, wheelchair in rows:
        if lat is None or lon is None:
            lat, lon = glat, glon  # offers without their own location are placed at their Gemeinde's centre
        facts[pk] = OfferFacts(
            title=title,
            latitude=float(lat) if lat is not None and lon is not None else None,
            longitude=float(lon) if lat is not None and lon is not None else None,
            gemeinde=ags or "",
            offer_type=offer_type,
            languages=languages or "",
            target_groups=targets or "",
            is_free=bool(free),
            wheelchair=bool(wheelchair),
        )
    return facts


def _index_facts(vocab: Vocabulary) -> None:
    """Derive the coordinate arrays and the published list from ``facts``."""
    vocab.coordinates = {
        pk: (f.latitude, f.longitude, f.gemeinde)
        for pk, f in vocab.facts.items()
        if f.latitude is not None and f.longitude is not None
    }
    pks = sorted(vocab.coordinates)
    vocab.coord_pks = np.array(pks, dtype=np.int64)
    vocab.coord_lat = np.array([vocab.coordinates[pk][0] for pk in pks], dtype=np.float64)
    vocab.coord_lon = np.array([vocab.coordinates[pk][1] for pk in pks], dtype=np.float64)
    vocab.coord_ags = np.array([vocab.coordinates[pk][2] for pk in pks], dtype=object)
    published = sorted(vocab.facts)
    vocab.published_pks = np.array(published, dtype=np.int64)
    vocab.published = len(published)
    facts = [vocab.facts[pk] for pk in published]
    vocab.columns = {
        name: np.array([getattr(f, name) for f in facts], dtype=object)
        for name in ("gemeinde", "offer_type", "languages", "target_groups")
    }
    vocab.by_filters = {}  # the offers, their facts or the index's offer numbers changed
    vocab.columns["is_free"] = np.array([f.is_free for f in facts], dtype=bool)
    vocab.columns["wheelchair"] = np.array([f.wheelchair for f in facts], dtype=bool)


def _load_synonyms(vocab: Vocabulary) -> None:
    synonyms: dict[str, list[int]] = {}
    groups: list[tuple[dict[str, float], list[str]]] = []
    for number, entry in enumerate(synonym_entries()):
        variants: dict[str, float] = {}
        for phrase in entry.phrases:
            tokens = analyze_query(phrase)
            if len(tokens) == 1:
                keys = set(tokens[0].forms)
                variants.update(dict.fromkeys(tokens[0].forms, Q_SYNONYM))
            elif tokens:
                keys = {f"{a.folded} {b.folded}" for a, b in itertools.pairwise(tokens)}
                variants.update(dict.fromkeys(keys, Q_SYNONYM))
                variants["".join(t.folded for t in tokens)] = Q_SYNONYM
            else:
                continue
            for key in keys:
                synonyms.setdefault(key, []).append(number)
        # Members also match as the start of a compound ("Fahrrad" → "Fahrradwerkstatt").
        for term, quality in list(variants.items()):
            if " " not in term and len(term) >= 5:
                start = bisect.bisect_left(vocab.terms, term)
                for longer in vocab.terms[start : start + 50]:
                    if not longer.startswith(term):
                        break
                    variants.setdefault(longer, quality * Q_PREFIX)
        groups.append((variants, entry.types))
    vocab.synonyms, vocab.groups, vocab.synonym_mark = synonyms, groups, _synonym_mark()


def _sync(vocab: Vocabulary) -> bool:
    """Apply the index changes logged since the last look; False if a full reload is needed instead."""
    now = time.monotonic()
    since = timezone.now() - timedelta(seconds=GRACE_SECONDS)
    rows = list(
        SearchIndexChange.objects.filter(Q(id__gt=vocab.change_id) | Q(created_at__gte=since))
        .order_by("id")
        .values_list("id", "offer_id")
    )
    fresh = [(change, pk) for change, pk in rows if change not in vocab.applied]
    if any(pk is None for _change, pk in fresh):
        return False
    pks = sorted({int(pk) for _change, pk in fresh if pk is not None})
    if len(pks) > FULL_RELOAD_AFTER:
        return False
    if pks:
        _apply(vocab, pks)
    for change, _pk in fresh:
        vocab.applied[change] = now
        vocab.change_id = max(vocab.change_id, change)
    vocab.applied = {c: t for c, t in vocab.applied.items() if now - t < 2 * GRACE_SECONDS}
    if _synonym_mark() != vocab.synonym_mark:
        _load_synonyms(vocab)
    return True


def _apply(vocab: Vocabulary, pks: list[int]) -> None:
    """Replace the index rows and facts of the offers ``pks`` in ``vocab``; nothing else is read."""
    rows: dict[int, list[tuple[str, int]]] = {pk: [] for pk in pks}
    for pk, term, weight in SearchTerm.objects.filter(offer_id__in=pks).values_list("offer_id", "term", "weight"):
        rows[pk].append((term, weight))
    new_terms = vocab.postings.apply(rows)
    if new_terms:
        words = dict(SearchWord.objects.filter(term__in=new_terms).values_list("term", "display"))
        vocab.display.update(words)
        if words:
            vocab.terms = sorted(set(vocab.terms) | set(words))
            vocab.joined, vocab.starts = _joined(vocab.terms)
    for pk in pks:
        vocab.facts.pop(pk, None)
        vocab.revision[pk] = vocab.revision.get(pk, 0) + 1
    vocab.facts.update(_facts(Offer.objects.filter(pk__in=pks, status=Status.PUBLISHED)))
    _index_facts(vocab)
