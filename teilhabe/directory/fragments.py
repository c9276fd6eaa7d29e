"""Rendered pieces of the search page and the JSON API that do not depend on the query (decision 0061).

Every uncached search used to render the same filter form options, fetch and render the same offer cards and
serialise the same offers again. Kept per process instead, each keyed by what it depends on:

- **offer cards** (HTML) and **offer JSON** per (offer, language, index generation, offer revision): the
  revision moves whenever the offer is re-indexed (any write to it, its translations or its location, see
  ``searchmemory``), the generation on every full reload, so a cached piece never outlives a write. The
  distance, which depends on the query, is rendered separately (``directory/includes/distance.html``);
- **select widgets** of the filter form per (language, field, chosen value, attributes, choices).

The caches are bounded LRU dicts (``CARD_ENTRIES`` cards ≈ 1.5 KB each). Fragments are rendered by the same
templates and serialisers as before, so the page and the API look exactly as without the cache.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from teilhabe.directory.content import localize, with_translations
from teilhabe.directory.models import SPOKEN_LANGUAGE_NAMES, Offer, TargetGroup
from teilhabe.directory.searchmemory import Vocabulary

CARD_ENTRIES = 6000
JSON_ENTRIES = 6000
WIDGET_ENTRIES = 2000
_SLOT = "\x00distance\x00"  # where a card's distance goes; offer texts never contain NUL (clean_text)


class Lru:
    """A small least-recently-used dict (per process; nothing here is personal data)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.data: OrderedDict[Hashable, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Any:
        value = self.data.get(key)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self.data.move_to_end(key)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        self.data[key] = value
        self.data.move_to_end(key)
        while len(self.data) > self.size:
            self.data.popitem(last=False)

    def clear(self) -> None:
        self.data.clear()


cards_cache = Lru(CARD_ENTRIES)
json_cache = Lru(JSON_ENTRIES)
widgets_cache = Lru(WIDGET_ENTRIES)
_distances = Lru(2000)


def clear() -> None:
    for lru in (cards_cache, json_cache, widgets_cache, _distances):
        lru.clear()


def offer_card(offer: Offer, language: str, distance: float | None) -> dict[str, Any]:
    """The context of ``directory/includes/offer_card.html`` for one offer (translations prefetched)."""
    target_names = dict(TargetGroup.choices)
    return {
        "offer": offer,
        "text": localize(offer, language),
        "distance": distance,
        "languages": [SPOKEN_LANGUAGE_NAMES.get(code, code) for code in offer.language_list],
        "target_groups": [target_names.get(code, code) for code in offer.target_group_list],
    }


def _key(vocab: Vocabulary, pk: int, language: str) -> tuple[int, int, int, str]:
    return (vocab.generation, vocab.revision.get(pk, 0), pk, language)


def _cached(lru: Lru, pks: list[int], language: str, vocab: Vocabulary, make: Callable[[Offer], Any]) -> dict[int, Any]:
    """{pk: fragment} for ``pks``; the missing ones are fetched in one query (plus one for translations)."""
    found: dict[int, Any] = {}
    missing = []
    for pk in pks:
        value = lru.get(_key(vocab, pk, language))
        if value is None:
            missing.append(pk)
        else:
            found[pk] = value
    if missing:
        for offer in _offers(missing, language):
            found[offer.pk] = value = make(offer)
            lru.put(_key(vocab, offer.pk, language), value)
    return found


def _offers(pks: Iterable[int], language: str) -> QuerySet[Offer]:
    queryset = Offer.objects.filter(pk__in=list(pks)).select_related("gemeinde", "location", "owner")
    return with_translations(queryset, language)


def cards_html(pks: list[int], language: str, distances: dict[int, float], vocab: Vocabulary) -> list[SafeString]:
    """Rendered ``offer_card.html`` of each offer in ``pks`` (in that order; offers gone since are skipped)."""

    def render(offer: Offer) -> tuple[str, str]:
        card = offer_card(offer, language, None)
        card["distance_html"] = mark_safe(_SLOT)
        head, _slot, tail = render_to_string("directory/includes/offer_card.html", {"card": card}).partition(_SLOT)
        return head, tail

    parts = _cached(cards_cache, pks, language, vocab, render)
    return [
        mark_safe(parts[pk][0] + distance_html(distances.get(pk), language) + parts[pk][1]) for pk in pks if pk in parts
    ]


def distance_html(distance: float | None, language: str) -> str:
    """`` · 2,4 km entfernt`` as ``offer_card.html`` writes it (``directory/includes/distance.html``)."""
    if distance is None:
        return ""
    key = (language, round(distance, 1))
    html = _distances.get(key)
    if html is None:
        html = render_to_string("directory/includes/distance.html", {"distance": distance})
        _distances.put(key, html)
    return str(html)


def offers_json(
    pks: list[int], language: str, distances: dict[int, float], vocab: Vocabulary, serialise: Callable[[Offer], Any]
) -> list[dict[str, Any]]:
    """``serialise(offer)`` (the API's serialised offer without distance) of each offer, plus ``distance_km``."""
    data = _cached(json_cache, pks, language, vocab, serialise)
    results = []
    for pk in pks:
        if pk not in data:
            continue
        item = dict(data[pk])
        if distances.get(pk) is not None:
            item["distance_km"] = round(distances[pk], 2)
        results.append(item)
    return results


class RememberedSelect(forms.Select):
    """A select whose HTML is remembered per language, name, value, attributes and choices: the filter form's
    option lists are the same for every search, and rendering them option by option through the widget
    templates was most of the page's cost."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        key = (
            get_language(),
            name,
            repr(value),
            tuple(sorted({**self.attrs, **(attrs or {})}.items())),
            tuple((str(v), str(label)) for v, label in self.choices),
        )
        html = widgets_cache.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            widgets_cache.put(key, html)
        return html
