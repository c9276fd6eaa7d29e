"""Public directory search: one function, ``search(data)``, behind the search page and the JSON API.

A query is read by ``searchtext.analyze_query`` (the same pipeline that built the index). Gemeinde names in
the query become the place results are sorted around. Every other word becomes a *unit* whose variants are
index terms with a match quality:

====================  =======  ==========================================================================
variant               quality  example
====================  =======  ==========================================================================
same form              1.0     "Beratungen" → berat / beratungen; "fur" = "für"
synonym (curated)      0.8     "Kita" → kindertagesstatte, type:childcare
prefix of a term       0.85    "Deutschkurs" (stem deutschkur) → deutschkurse; "Integr" → integrationskurs
part of a compound     0.7     "Kurs" → sprachkurs, deutschkurs
typo (edit distance)   ≤ 0.6   "Deutchkurs" → deutschkurs (rapidfuzz ratio ≥ 80), with "Meinten Sie …?"
====================  =======  ==========================================================================

An offer's score is Σ over units of max(quality × field weight) × idf(unit), plus a bonus for two query
words found as a phrase or compound in a title ("Deutsch Kurs" → "Deutschkurs"). Offers matching all units
come first; if none does, the offers matching the most units are shown (``relaxed``). With a place the
results are ordered by relevance band (quarters of the best score), then by distance.
SQLite and PostgreSQL run exactly the same code and SQL (decision 0060).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import QuerySet
from rapidfuzz import fuzz, process

from teilhabe.directory.models import Offer, OfferType, Status
from teilhabe.directory.searchindex import TYPE_PREFIX
from teilhabe.directory.searchmemory import (  # noqa: F401 - content_version etc. are used from here
    CONTENT_VERSION_KEY,
    Q_EXACT,
    Q_FUZZY,
    Q_INFIX,
    Q_PREFIX,
    Place,
    Vocabulary,
    bump_content_version,
    content_version,
    vocabulary,
)
from teilhabe.directory.searchtext import Token, analyze_query, script_of

EARTH_RADIUS_KM = 6371.0088
MAX_VARIANTS = 40
TYPE_BONUS = 4.0  # added (in field-weight units) for offers of a type the query names through synonyms


def search_cache_key(language: str, query: str) -> str:
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    return f"directory:search:{content_version()}:{language}:{digest}"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


# Reading a query ---------------------------------------------------------------------------------------


@dataclass
class Unit:
    """One word of the query: index terms with their match quality, offer types it names."""

    tokens: list[Token]
    variants: dict[str, float] = field(default_factory=dict)
    types: list[str] = field(default_factory=list)
    fuzzy: dict[str, str] = field(default_factory=dict)  # fuzzy term → its display spelling

    def add(self, term: str, quality: float) -> None:
        if self.variants.get(term, 0.0) < quality:
            self.variants[term] = quality


def _find_place(tokens: list[Token], places: list[Place]) -> tuple[Place | None, list[Token]]:
    """The first Gemeinde named in the query (full name, or the first word of a longer name, ≥ 5 letters)."""
    folded = [t.folded for t in tokens]
    for place in sorted(places, key=lambda p: -len(p.words)):
        n = len(place.words)
        for i in range(len(folded) - n + 1):
            if tuple(folded[i : i + n]) == place.words:
                return place, tokens[:i] + tokens[i + n :]
    for i, word in enumerate(folded):
        matches = [p for p in places if len(p.words) > 1 and p.words[0] == word and len(word) >= 5]
        if len(matches) == 1:
            return matches[0], tokens[:i] + tokens[i + 1 :]
    for i, word in enumerate(folded):
        # A Gemeinde typed in Cyrillic ("Пренцлау", "Шведт"): German transliteration, then close spelling.
        if script_of(word) != "cyrillic" or len(word) < 4:
            continue
        latin = word.translate(_CYRILLIC_TO_GERMAN)
        best = max(places, key=lambda p: fuzz.ratio(latin, p.words[0]), default=None)
        if best is not None and fuzz.ratio(latin, best.words[0]) >= 85:
            return best, tokens[:i] + tokens[i + 1 :]
    return None, tokens


# German (Duden) transliteration of Russian/Ukrainian letters after ``fold`` (ё→е, й→и, ї→і, є→е, ґ→г).
_CYRILLIC_TO_GERMAN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ж": "sch", "з": "s", "и": "i", "і": "i",
        "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
        "ф": "f", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch", "ъ": "", "ы": "y", "ь": "",
        "э": "e", "ю": "ju", "я": "ja",
    }
)  # fmt: skip


def _with_prefix(vocab: Vocabulary, stem: str) -> list[str]:
    start = bisect.bisect_left(vocab.terms, stem)
    end = bisect.bisect_left(vocab.terms, stem + "\uffff")
    return vocab.terms[start : min(end, start + 200)]


def _containing(vocab: Vocabulary, part: str) -> list[str]:
    """Terms that contain ``part`` after their first letter (compound parts: "kurs" → "sprachkurs")."""
    found: list[str] = []
    position = vocab.joined.find(part)
    while position != -1 and len(found) < 200:
        number = bisect.bisect_right(vocab.starts, position) - 1
        term = vocab.terms[number]
        if position > vocab.starts[number]:
            found.append(term)
        position = vocab.joined.find(part, vocab.starts[number] + len(term) + 1)
    return found


def _add_synonyms(unit: Unit, key: str, vocab: Vocabulary, factor: float = 1.0) -> None:
    """Add the members (and offer types) of every synonym group ``key`` belongs to."""
    for number in vocab.synonyms.get(key, []):
        variants, types = vocab.groups[number]
        for term, quality in variants.items():
            unit.add(term, quality * factor)
        unit.types.extend(t for t in types if t not in unit.types)


def _expand(unit: Unit, vocab: Vocabulary) -> None:
    for token in unit.tokens:
        for form in token.forms:
            unit.add(form, Q_EXACT)
            _add_synonyms(unit, form, vocab)
        found = any(vocab.postings.has(f) for f in token.forms) or bool(unit.types)
        latin_or_cyrillic = script_of(token.folded) in {"latin", "cyrillic"}
        extra: dict[str, float] = {}
        # Prefix search from 4 letters (5 for Arabic-script words with the article ال, which nearly all share).
        for stem in {f for f in token.forms if len(f) >= (5 if f.startswith("ال") else 4)}:
            for term in _with_prefix(vocab, stem):
                if term != stem:
                    extra[term] = max(extra.get(term, 0.0), Q_PREFIX)
            if latin_or_cyrillic:
                for term in _containing(vocab, stem):
                    extra.setdefault(term, Q_INFIX)
        for term, quality in sorted(extra.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[:MAX_VARIANTS]:
            unit.add(term, quality)
        found = found or bool(extra)
        if not found and len(token.folded) >= 5:
            cutoff = 80 if len(token.folded) >= 8 else 75
            for term, score, _index in process.extract(
                token.folded, vocab.terms, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3
            ):
                unit.add(term, Q_FUZZY * score / 100)
                unit.fuzzy.setdefault(term, vocab.display.get(term, term))
                _add_synonyms(unit, term, vocab, Q_FUZZY)


def read_query(text: str, vocab: Vocabulary) -> tuple[list[Unit], list[tuple[str, str]], Place | None]:
    """Units, phrase terms (two neighbouring words) and the place named in ``text``."""
    tokens = analyze_query(text[:200])[:12]
    place, tokens = _find_place(tokens, vocab.places)
    units = [Unit(tokens=[token]) for token in tokens]
    for unit in units:
        _expand(unit, vocab)
    for first, second in itertools.pairwise(units):
        # A two-word synonym ("Deutsch lernen", "дитячий садок"): both words also accept the group's members.
        bigram = f"{first.tokens[0].folded} {second.tokens[0].folded}"
        for unit in (first, second):
            _add_synonyms(unit, bigram, vocab)
    phrases = [(f"{a.folded} {b.folded}", a.folded + b.folded) for a, b in itertools.pairwise(tokens)]
    return units, phrases, place


# Filters and scoring -------------------------------------------------------------------------------------


@dataclass
class SearchResult:
    ids: list[int]
    distances: dict[int, float]
    origin: tuple[float, float] | None
    suggestion: str = ""  # "Meinten Sie …?" – the query with typos replaced by indexed words
    relaxed: bool = False  # no offer matched every word; offers matching most words are shown
    place: str = ""  # Gemeinde recognised in the query text
    related_types: list[str] = field(default_factory=list)
    nearby: list[tuple[str, str, int]] = field(default_factory=list)  # (ags, name, hits) when a Gemeinde had none
    counselling_ids: list[int] = field(default_factory=list)  # shown when nothing was found


def apply_filters(queryset: QuerySet[Offer], data: dict[str, Any]) -> QuerySet[Offer]:
    """Structured filters of the search form (everything except the free text ``q``)."""
    if data.get("gemeinde"):
        queryset = queryset.filter(gemeinde_id=data["gemeinde"])
    if data.get("typ"):
        queryset = queryset.filter(offer_type=data["typ"])
    if data.get("sprache"):
        queryset = queryset.filter(languages__contains=f",{data['sprache']},")
    if data.get("zielgruppe"):
        queryset = queryset.filter(target_groups__contains=f",{data['zielgruppe']},")
    if data.get("kostenlos"):
        queryset = queryset.filter(is_free=True)
    if data.get("barrierefrei"):
        queryset = queryset.filter(location__wheelchair_accessible=True)
    return queryset


def origin_for(data: dict[str, Any]) -> tuple[float, float] | None:
    if data.get("lat") is not None and data.get("lon") is not None:
        return float(data["lat"]), float(data["lon"])
    if data.get("nahe"):
        place = vocabulary().place(data["nahe"])
        if place is not None and place.latitude is not None and place.longitude is not None:
            return float(place.latitude), float(place.longitude)
    return None


def _has_filters(data: dict[str, Any]) -> bool:
    return any(data.get(k) for k in ("gemeinde", "typ", "sprache", "zielgruppe", "kostenlos", "barrierefrei"))


@dataclass
class Scores:
    """Offers matching the most query units: pks with their scores, and the index terms that matched."""

    pks: Any  # numpy int64 array
    scores: Any  # numpy float32 array, same order
    matched_terms: set[str]
    coverage: int  # number of units these offers match


def score_offers(units: list[Unit], phrases: list[tuple[str, str]], allowed: Any, vocab: Vocabulary) -> Scores:
    """Score every indexed offer (``allowed``: boolean mask over ``postings.offer_ids`` or None for all)."""
    postings = vocab.postings
    size = len(postings.offer_ids)
    total = np.zeros(size, dtype=np.float32)
    coverage = np.zeros(size, dtype=np.int16)
    matched_terms: set[str] = set()
    published = max(vocab.published, 1)
    for unit in units:
        best = np.zeros(size, dtype=np.float32)
        for term, quality in unit.variants.items():
            numbers, weights = postings.get(term[:80])
            if not len(numbers):
                continue
            if allowed is not None and not allowed[numbers].any():
                continue
            matched_terms.add(term)
            if term.startswith(TYPE_PREFIX):
                continue
            best[numbers] = np.maximum(best[numbers], weights * quality)
        for offer_type in unit.types:
            # The searcher named a type (through a synonym group): its offers count even without the word.
            numbers, _weights = postings.get(TYPE_PREFIX + offer_type)
            best[numbers] += TYPE_BONUS
        if allowed is not None:
            best[~allowed] = 0
        hits = best > 0
        count = int(hits.sum())
        if count:
            total += best * math.log(1 + published / count)
            coverage += hits
    if phrases and units:
        bonus = np.zeros(size, dtype=np.float32)
        for pair in phrases:
            for term in pair:
                numbers, weights = postings.get(term[:80])
                if len(numbers):
                    bonus[numbers] = np.maximum(bonus[numbers], weights)
        bonus[total == 0] = 0
        count = int((bonus > 0).sum())
        if count:
            total += bonus * math.log(1 + published / count)
    most = int(coverage.max()) if size else 0
    if most == 0:
        return Scores(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), matched_terms, 0)
    chosen = np.nonzero(coverage == most)[0]
    return Scores(postings.offer_ids[chosen], total[chosen], matched_terms, most)


def _suggestion(units: list[Unit], matched_terms: set[str]) -> str:
    """The query with each word that matched only by typo tolerance replaced by the indexed spelling."""
    words: list[str] = []
    changed = False
    for unit in units:
        exact = [t for t, q in unit.variants.items() if q > Q_FUZZY and t in matched_terms]
        fuzzy = [t for t in unit.fuzzy if t in matched_terms]
        if not exact and fuzzy:
            best = max(fuzzy, key=lambda t: unit.variants[t])
            words.append(unit.fuzzy[best])
            changed = True
        else:
            words.extend(t.surface for t in unit.tokens)
    return " ".join(words) if changed else ""


def _allowed(data: dict[str, Any], vocab: Vocabulary) -> Any:
    """Boolean mask over the index's offers for the structured filters, or None without filters."""
    if not _has_filters(data):
        return None
    return vocab.allowed(data)


def search(data: dict[str, Any]) -> SearchResult:
    """Ids of published offers matching ``data`` (cleaned SearchForm), best first.

    Without words: all offers matching the filters, by title (nearest first if an origin is given).
    Raises nothing for odd input: an unreadable query is treated as no query.
    """
    vocab = vocabulary()
    units, phrases, place = read_query(str(data.get("q") or ""), vocab)
    origin = origin_for(data)
    radius = float(data.get("umkreis") or 10) if origin is not None else None
    if origin is None and place is not None and place.latitude is not None and place.longitude is not None:
        origin = (float(place.latitude), float(place.longitude))
    result = SearchResult(ids=[], distances={}, origin=origin, place=place.name if place else "")
    if units:
        scored = score_offers(units, phrases, _allowed(data, vocab), vocab)
        result.relaxed = 0 < scored.coverage < len(units)
        result.suggestion = _suggestion(units, scored.matched_terms)
        result.related_types = list(dict.fromkeys(t for unit in units for t in unit.types))
        pks, scores = scored.pks, scored.scores
    elif origin is not None:
        pks = vocab.filtered(data) if _has_filters(data) else vocab.published_pks
        scores = np.zeros(len(pks), dtype=np.float32)
    else:
        offers = apply_filters(Offer.objects.filter(status=Status.PUBLISHED), data)
        result.ids = list(offers.order_by("title", "pk").values_list("pk", flat=True))
        return result
    if origin is None:
        order = np.lexsort((pks, -scores))
        result.ids = [int(pk) for pk in pks[order]]
    else:
        _order_by_distance(result, origin, radius, place, pks, scores, vocab)
    if not result.ids and (units or place):
        _empty_state(result, data, units, phrases, vocab)
    return result


def _order_by_distance(
    result: SearchResult,
    origin: tuple[float, float],
    radius: float | None,
    place: Place | None,
    pks: Any,
    scores: Any,
    vocab: Vocabulary,
) -> None:
    """Relevance band (quarter of the best score) first, then offers in the named Gemeinde, then distance.
    With an explicit origin (``nahe``, ``lat``/``lon``) offers beyond ``radius`` km are dropped."""
    if not len(pks):
        return
    found = np.searchsorted(vocab.coord_pks, pks).clip(0, max(len(vocab.coord_pks) - 1, 0))
    known = vocab.coord_pks[found] == pks if len(vocab.coord_pks) else np.zeros(len(pks), dtype=bool)
    lat = np.where(known, vocab.coord_lat[found], np.nan)
    lon = np.where(known, vocab.coord_lon[found], np.nan)
    phi1, phi2 = math.radians(origin[0]), np.radians(lat)
    a = np.sin((phi2 - phi1) / 2) ** 2 + math.cos(phi1) * np.cos(phi2) * np.sin(np.radians(lon - origin[1]) / 2) ** 2
    distance = np.nan_to_num(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a)), nan=np.inf)
    keep = distance <= radius if radius is not None else np.ones(len(pks), dtype=bool)
    top = float(scores.max()) or 1.0
    band = np.floor(4 * scores / top + 1e-6)
    at_place = known & (vocab.coord_ags[found] == place.ags) if place is not None else np.zeros(len(pks), dtype=bool)
    order = np.lexsort((pks, distance, ~at_place, -band))
    order = order[keep[order]]
    result.ids = [int(pk) for pk in pks[order]]
    result.distances = {
        int(pk): float(d) for pk, d in zip(pks[order], distance[order], strict=True) if math.isfinite(d)
    }


def _empty_state(
    result: SearchResult, data: dict[str, Any], units: list[Unit], phrases: list[tuple[str, str]], vocab: Vocabulary
) -> None:
    """Guidance when nothing matched: Gemeinden nearby with hits, related offer types, counselling offers."""
    published = Offer.objects.filter(status=Status.PUBLISHED)
    gemeinde = data.get("gemeinde")
    if gemeinde and units:
        scored = score_offers(units, phrases, _allowed({**data, "gemeinde": ""}, vocab), vocab)
        counts: dict[str, int] = {}
        for pk in scored.pks.tolist():
            ags = vocab.coordinates.get(pk, (0.0, 0.0, ""))[2]
            if ags:
                counts[ags] = counts.get(ags, 0) + 1
        home = next((p for p in vocab.places if p.ags == gemeinde), None)

        def distance(place: Place) -> float:
            if home is None or None in (home.latitude, home.longitude, place.latitude, place.longitude):
                return math.inf
            return haversine_km(home.latitude, home.longitude, place.latitude, place.longitude)  # type: ignore[arg-type]

        near = sorted((p for p in vocab.places if p.ags in counts), key=distance)[:5]
        result.nearby = [(p.ags, p.name, counts[p.ags]) for p in near]
    if not result.related_types:
        result.related_types = [OfferType.COUNSELLING.value]
    counselling = published.filter(offer_type=OfferType.COUNSELLING)
    if gemeinde:
        local = list(counselling.filter(gemeinde_id=gemeinde).order_by("title", "pk").values_list("pk", flat=True)[:3])
        if local:
            result.counselling_ids = local
            return
    result.counselling_ids = list(counselling.order_by("title", "pk").values_list("pk", flat=True)[:3])
