"""Building the directory search index: which words of an offer are searchable, with which weight.

Every offer contributes, in every platform language: its title, summary, description and the other text
fields (German source plus each translation), its organisation, Gemeinde and location, the labels of its
offer type and target groups, and the names of the languages it is held in (so "Sprachkurs", "arabisch",
"عربي", "Arapça" all find something). Each word becomes the index forms of ``searchtext.analyze``;
one ``SearchTerm`` row per (offer, form) keeps the best weight among the fields it occurs in.

Also here: the vocabulary (``SearchWord``) and the synonym groups (``synonyms.yaml`` + ``SynonymGroup``),
both cached per process and per content version (``search.content_version``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import translation

from teilhabe.directory.models import (
    Offer,
    OfferTranslation,
    OfferType,
    SearchIndexChange,
    SearchTerm,
    SearchWord,
    Status,
    SynonymGroup,
    TargetGroup,
    tokens_split,
)
from teilhabe.directory.searchtext import Token, analyze

# Field weights (SearchTerm.weight). Ranking: title > type > place/target group > languages > organisation >
# summary > description and the remaining texts. A phrase (two title words in a row) counts above a word.
W_TITLE_PHRASE = 10
W_TITLE = 10
W_TYPE = 8
W_TYPE_MARKER = 12  # "type:childcare", reached only through synonym groups: the searcher named the type
W_PLACE = 5
W_TARGET = 5
W_LANGUAGE = 4
W_ORGANISATION = 3
W_SUMMARY = 3
W_TEXT = 1
TYPE_PREFIX = "type:"  # marker term: offers of a type, reached through synonym groups

UI_LANGUAGES = [code for code, _name in settings.LANGUAGES]
SYNONYM_FILE = Path(__file__).with_name("synonyms.yaml")

# Names of the languages offers are held in, in the seven platform languages (and common adjectives).
LANGUAGE_NAMES: dict[str, list[str]] = {
    "de": ["Deutsch", "German", "الألمانية", "ألماني", "Німецька", "Немецкий", "Almanca", "آلمانی"],
    "en": ["Englisch", "English", "الإنجليزية", "إنجليزي", "Англійська", "Английский", "İngilizce", "انگلیسی"],
    "ar": ["Arabisch", "Arabic", "العربية", "عربي", "Арабська", "Арабский", "Arapça", "عربی"],
    "uk": ["Ukrainisch", "Ukrainian", "الأوكرانية", "Українська", "Украинский", "Ukraynaca", "اوکراینی"],
    "ru": ["Russisch", "Russian", "الروسية", "روسي", "Російська", "Русский", "Rusça", "روسی"],
    "tr": ["Türkisch", "Turkish", "التركية", "تركي", "Турецька", "Турецкий", "Türkçe", "ترکی"],
    "fa": ["Persisch", "Farsi", "Dari", "Persian", "الفارسية", "فارسي", "Перська", "Персидский", "Farsça", "فارسی"],
    "ps": ["Paschtu", "Pashto", "البشتو", "Пушту", "Peştuca", "پشتو", "پښتو"],
    "ku": ["Kurdisch", "Kurdish", "Kurdî", "الكردية", "كردي", "Курдська", "Курдский", "Kürtçe", "کردی"],
    "ti": ["Tigrinya", "Tigrinisch", "التغرينية", "Тигринья", "Tigrinyaca", "تیگرینیا", "ትግርኛ"],
    "so": ["Somali", "Somalisch", "الصومالية", "Сомалі", "Сомали", "Somalice", "سومالیایی", "Soomaali"],
    "fr": ["Französisch", "French", "الفرنسية", "Французька", "Французский", "Fransızca", "فرانسوی", "Français"],
    "pl": ["Polnisch", "Polish", "البولندية", "Польська", "Польский", "Lehçe", "لهستانی", "Polski"],
    "ro": ["Rumänisch", "Romanian", "الرومانية", "Румунська", "Румынский", "Rumence", "رومانیایی", "Română"],
    "vi": ["Vietnamesisch", "Vietnamese", "الفيتنامية", "В'єтнамська", "Вьетнамский", "Vietnamca", "ویتنامی"],
    "sq": ["Albanisch", "Albanian", "الألبانية", "Албанська", "Албанский", "Arnavutça", "آلبانیایی", "Shqip"],
}


def _label_in(label: Any, language: str) -> str:
    with translation.override(language):
        return str(label)


def label_texts() -> dict[str, dict[str, list[tuple[str, str]]]]:
    """{"type"|"target": {code: [(language, label), ...]}} for every platform language."""
    result: dict[str, dict[str, list[tuple[str, str]]]] = {"type": {}, "target": {}}
    for kind, choices in (("type", OfferType), ("target", TargetGroup)):
        for member in choices:
            result[kind][member.value] = [(lang, _label_in(member.label, lang)) for lang in UI_LANGUAGES]
    return result


def _script_language(text: str, default: str) -> str:
    """Language to analyse a name in: names are mixed-script, so pick by script."""
    from teilhabe.directory.searchtext import script_of

    script = script_of(text)
    return {"arabic": "ar", "cyrillic": "ru"}.get(script, default)


@dataclass
class _Collector:
    weights: dict[str, int] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)

    def add(self, tokens: Iterable[Token], weight: int, *, phrases: int = 0) -> None:
        """Record ``tokens`` at ``weight``; with ``phrases`` also each two neighbouring words at that weight."""
        previous: Token | None = None
        for token in tokens:
            for form in token.forms:
                if self.weights.get(form, 0) < weight:
                    self.weights[form] = weight
                self.display.setdefault(form, token.surface)
            if phrases and previous is not None:
                phrase = f"{previous.folded} {token.folded}"
                self.weights[phrase] = max(self.weights.get(phrase, 0), phrases)
            previous = token

    def text(self, text: str, language: str, weight: int, *, phrases: int = 0) -> None:
        if text:
            self.add(analyze(text, language), weight, phrases=phrases)


def terms_for(offer: Offer, labels: dict[str, dict[str, list[tuple[str, str]]]]) -> _Collector:
    """All index terms of one offer (translations, owner, gemeinde, location must be loaded)."""
    collector = _Collector()
    texts = [(offer.source_language, offer)] + [(t.language, t) for t in offer.translations.all()]
    for language, source in texts:
        collector.text(source.title, language, W_TITLE, phrases=W_TITLE_PHRASE)
        collector.text(source.summary, language, W_SUMMARY)
        for name in ("description", "eligibility", "how_to_access", "cost_note"):
            collector.text(getattr(source, name), language, W_TEXT)
    for language, label in labels["type"].get(offer.offer_type, []):
        collector.text(label, language, W_TYPE, phrases=W_TYPE)
    collector.weights[TYPE_PREFIX + offer.offer_type] = W_TYPE_MARKER
    for code in tokens_split(offer.target_groups):
        for language, label in labels["target"].get(code, []):
            collector.text(label, language, W_TARGET)
    for code in tokens_split(offer.languages):
        for name in LANGUAGE_NAMES.get(code, []):
            collector.text(name, _script_language(name, "de"), W_LANGUAGE)
    if offer.gemeinde is not None:
        collector.text(offer.gemeinde.name, "de", W_PLACE)
    if offer.location is not None:
        collector.text(offer.location.city, "de", W_PLACE)
        collector.text(offer.location.street, "de", W_TEXT)
    collector.text(offer.owner.name, "de", W_ORGANISATION)
    return collector


def index_offers(offer_ids: Iterable[int] | None = None, *, batch: int = 200, log: bool = True) -> int:
    """(Re)build the index rows of the given offers (all offers if None). Only published offers get rows.

    Returns the number of SearchTerm rows written. Runs in one transaction per batch. Each batch also logs its
    offers in ``SearchIndexChange`` (a full rebuild replaces the log by one "everything" row), which is how
    every process's in-memory copy learns what to patch (``searchmemory.vocabulary``). ``log=False`` only for
    migration 0004, which runs before the log table exists.
    """
    ids = list(Offer.objects.values_list("pk", flat=True)) if offer_ids is None else list(offer_ids)
    if offer_ids is None and log:
        with transaction.atomic():
            SearchIndexChange.objects.all().delete()
            SearchIndexChange.objects.create(offer_id=None)
    labels = label_texts()
    written = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        offers = (
            Offer.objects.filter(pk__in=chunk, status=Status.PUBLISHED)
            .select_related("owner", "gemeinde", "location")
            .prefetch_related(Prefetch("translations", queryset=OfferTranslation.objects.exclude(title="")))
        )
        rows: list[SearchTerm] = []
        words: dict[str, str] = {}
        for offer in offers:
            collected = terms_for(offer, labels)
            rows.extend(
                SearchTerm(offer_id=offer.pk, term=term[:80], weight=weight)
                for term, weight in collected.weights.items()
            )
            for term, display in collected.display.items():
                words.setdefault(term[:80], display[:80])
        with transaction.atomic():
            SearchTerm.objects.filter(offer_id__in=chunk).delete()
            SearchTerm.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
            SearchWord.objects.bulk_create(
                [SearchWord(term=t, display=d) for t, d in words.items()], batch_size=2000, ignore_conflicts=True
            )
            if offer_ids is not None and log:
                SearchIndexChange.objects.bulk_create([SearchIndexChange(offer_id=pk) for pk in chunk])
        written += len(rows)
    return written


def note_changed(offer_ids: Iterable[int]) -> None:
    """Log a change of offers whose index rows stay the same but whose shown data changed (e.g. confirmed),
    so every process renews their cached fragments (``searchmemory``, ``fragments``)."""
    SearchIndexChange.objects.bulk_create([SearchIndexChange(offer_id=pk) for pk in offer_ids])


# Synonyms ------------------------------------------------------------------------------------------


@dataclass
class SynonymEntry:
    phrases: list[str]
    types: list[str]


def synonym_entries() -> list[SynonymEntry]:
    """The curated groups from synonyms.yaml (merged per concept across languages) plus staff groups."""
    entries = curated_synonym_entries()
    for staff_group in SynonymGroup.objects.filter(is_active=True):
        entries.append(SynonymEntry(phrases=staff_group.term_list, types=tokens_split(staff_group.offer_types)))
    return entries


def curated_synonym_entries() -> list[SynonymEntry]:
    """The groups of synonyms.yaml; groups sharing a ``concept`` are merged into one across languages."""
    # The C loader (libyaml) when built in: the pure-Python one took a second for this file.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(SYNONYM_FILE.read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506 - a safe loader
    by_concept: dict[str, SynonymEntry] = {}
    entries: list[SynonymEntry] = []
    for groups in data.values():
        for group in groups:
            phrases = [str(t) for t in group["terms"]]
            types = [str(t) for t in group.get("types") or []]
            concept = group.get("concept")
            if concept and concept in by_concept:
                merged = by_concept[concept]
                merged.phrases.extend(p for p in phrases if p not in merged.phrases)
                merged.types.extend(t for t in types if t not in merged.types)
                continue
            entry = SynonymEntry(phrases=phrases, types=types)
            entries.append(entry)
            if concept:
                by_concept[concept] = entry
    return entries


# The in-memory copy of the index that queries read --------------------------------------------------------


@dataclass
class Postings:
    """All ``SearchTerm`` rows as arrays: term → slice of (dense offer number, weight); ``offer_ids[n]`` = pk.

    About 5 bytes per row (2 million rows for 5,000 offers in seven languages ≈ 10 MB per process).
    Offers re-indexed after the load are patched in (``apply``, decision 0061): their loaded rows are hidden by
    ``stale`` and their current rows live in the small ``delta`` (term → numbers, weights), so a write costs
    one query for that offer's rows instead of reloading two million.
    """

    offer_ids: Any  # numpy int64 array, dense number → Offer pk (loaded offers sorted, patched-in ones after)
    postings: Any  # numpy int32 array of dense numbers
    weights: Any  # numpy float32 array
    slices: dict[str, tuple[int, int]]
    stale: Any = None  # numpy bool array over dense numbers: loaded rows outdated; None until the first patch
    delta: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # term → (dense numbers, weights)
    delta_terms: dict[int, list[str]] = field(default_factory=dict)  # dense number → its delta terms
    numbers: dict[int, int] = field(default_factory=dict)  # pk → dense number (built on the first patch)

    def get(self, term: str) -> tuple[Any, Any]:
        start, end = self.slices.get(term, (0, 0))
        numbers, weights = self.postings[start:end], self.weights[start:end]
        if self.stale is not None and end > start:
            keep = ~self.stale[numbers]
            if not keep.all():
                numbers, weights = numbers[keep], weights[keep]
        extra = self.delta.get(term)
        if extra is not None:
            numbers, weights = np.concatenate((numbers, extra[0])), np.concatenate((weights, extra[1]))
        return numbers, weights

    def has(self, term: str) -> bool:
        return term in self.slices or term in self.delta

    def apply(self, rows: dict[int, list[tuple[str, int]]]) -> set[str]:
        """Replace the rows of the offers in ``rows`` ({pk: [(term, weight), ...]}, [] = no rows any more).

        Other offers' postings are untouched. Returns the terms that were not in the index before.
        """
        if self.stale is None:
            self.stale = np.zeros(len(self.offer_ids), dtype=bool)
            self.numbers = {int(pk): n for n, pk in enumerate(self.offer_ids.tolist())}
        new_pks = [pk for pk in rows if pk not in self.numbers]
        if new_pks:
            first = len(self.offer_ids)
            self.offer_ids = np.concatenate((self.offer_ids, np.array(new_pks, dtype=np.int64)))
            self.stale = np.concatenate((self.stale, np.zeros(len(new_pks), dtype=bool)))
            self.numbers.update({pk: first + i for i, pk in enumerate(new_pks)})
        changed = {self.numbers[pk] for pk in rows}
        self.stale[list(changed)] = True
        for number in changed:
            for term in self.delta_terms.pop(number, []):
                kept_numbers, kept_weights = self.delta[term]
                keep = kept_numbers != number
                if keep.any():
                    self.delta[term] = (kept_numbers[keep], kept_weights[keep])
                else:
                    del self.delta[term]
        added: dict[str, tuple[list[int], list[float]]] = {}
        for pk, terms in rows.items():
            number = self.numbers[pk]
            self.delta_terms[number] = [term for term, _weight in terms]
            for term, weight in terms:
                entry = added.setdefault(term, ([], []))
                entry[0].append(number)
                entry[1].append(float(weight))
        new_terms = {term for term in added if not self.has(term)}
        for term, (numbers, weights) in added.items():
            extra = (np.array(numbers, dtype=np.int32), np.array(weights, dtype=np.float32))
            if term in self.delta:
                extra = tuple(np.concatenate(pair) for pair in zip(self.delta[term], extra, strict=True))  # type: ignore[assignment]
            self.delta[term] = extra
        return new_terms


def load_postings() -> Postings:
    """Read the whole index, grouped per term by the database (same result on SQLite and PostgreSQL).

    Each posting travels as one number ``offer_id * 16 + weight``; the order within a term does not matter
    (scores are per offer). PostgreSQL groups by hashing (a sort or an index scan over two million rows took
    three times as long) and sends each term's numbers as one bytea of big-endian int8, which numpy reads
    without parsing; SQLite sends a comma-separated string per term.
    """
    from django.db import connection

    table = SearchTerm._meta.db_table
    postgres = connection.vendor == "postgresql"
    if postgres:
        concat = "string_agg(int8send(offer_id * 16 + weight), ''::bytea)"
    else:
        concat = "group_concat(offer_id * 16 + weight, ',')"
    slices: dict[str, tuple[int, int]] = {}
    chunks = []
    offset = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            # Session settings for this query only (SET LOCAL ends with the transaction).
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("SET LOCAL enable_indexonlyscan = off")
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(f"SELECT term, {concat} FROM {table} GROUP BY term")  # noqa: S608 - no user input
        while batch := cursor.fetchmany(5000):
            for term, packed in batch:
                if postgres:
                    chunks.append(packed)
                    size = len(packed) // 8
                else:
                    values = np.array(packed.split(","), dtype=np.int64)
                    chunks.append(values)
                    size = len(values)
                slices[term] = (offset, offset + size)
                offset += size
        if postgres:
            # Inside a longer transaction (tests, a request) the settings would otherwise outlive this query.
            for name in ("work_mem", "enable_indexscan", "enable_indexonlyscan", "jit"):
                cursor.execute(f"SET LOCAL {name} TO DEFAULT")
    if postgres:
        packed_all = np.frombuffer(b"".join(chunks), dtype=">i8").astype(np.int64)
    else:
        packed_all = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)
    offer_ids, dense = np.unique(packed_all >> 4, return_inverse=True)
    return Postings(
        offer_ids=offer_ids,
        postings=dense.astype(np.int32),
        weights=(packed_all & 15).astype(np.float32),
        slices=slices,
    )
