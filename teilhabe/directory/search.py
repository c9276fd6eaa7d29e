"""Public search: full text (German stemming on PostgreSQL, substring on SQLite) plus filters."""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet

from teilhabe.directory.models import Offer
from teilhabe.regions.models import Gemeinde

EARTH_RADIUS_KM = 6371.0088
WORD = re.compile(r"\w+", re.UNICODE)


CONTENT_VERSION_KEY = "directory:content-version"


def content_version() -> int:
    return int(cache.get_or_set(CONTENT_VERSION_KEY, 1, None) or 1)


def bump_content_version() -> None:
    """Invalidate cached search pages after any write that can change search results."""
    try:
        cache.incr(CONTENT_VERSION_KEY)
    except ValueError:
        cache.set(CONTENT_VERSION_KEY, 2, None)


def search_cache_key(language: str, query: str) -> str:
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    return f"directory:search:{content_version()}:{language}:{digest}"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def full_text(queryset: QuerySet[Offer], text: str) -> QuerySet[Offer]:
    text = text.strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        # Stemmed prefix match per word ("Sprachkurs" finds "Sprachkurse": the Snowball stems differ).
        words = WORD.findall(text)[:8]
        if not words:
            return queryset
        # Same expression as the GIN index of migration 0002, so the index is used. Bound parameter only.
        return queryset.extra(
            where=[
                "to_tsvector('german'::regconfig, directory_offer.search_text) @@ to_tsquery('german'::regconfig, %s)"
            ],
            params=[" & ".join(f"{word}:*" for word in words)],
        )
    for word in text.casefold().split()[:8]:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


@dataclass
class SearchResult:
    ids: list[int]
    distances: dict[int, float]
    origin: tuple[float, float] | None


def apply_filters(queryset: QuerySet[Offer], data: dict[str, Any]) -> QuerySet[Offer]:
    queryset = full_text(queryset, data.get("q") or "")
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
        gemeinde = Gemeinde.objects.filter(ags=data["nahe"]).values_list("latitude", "longitude").first()
        if gemeinde and gemeinde[0] is not None and gemeinde[1] is not None:
            return float(gemeinde[0]), float(gemeinde[1])
    return None


def search(data: dict[str, Any]) -> SearchResult:
    """Ids of published offers matching ``data`` (cleaned SearchForm), nearest first if an origin is given."""
    queryset = apply_filters(Offer.objects.published(), data)
    origin = origin_for(data)
    if origin is None:
        return SearchResult(
            ids=list(queryset.order_by("title", "pk").values_list("pk", flat=True)), distances={}, origin=None
        )
    radius = float(data.get("umkreis") or 10)
    distances: dict[int, float] = {}
    rows = queryset.values_list(
        "pk", "location__latitude", "location__longitude", "gemeinde__latitude", "gemeinde__longitude"
    )
    for pk, lat, lon, glat, glon in rows:
        point = (lat, lon) if lat is not None and lon is not None else (glat, glon)
        if point[0] is None or point[1] is None:
            continue
        distance = haversine_km(origin[0], origin[1], float(point[0]), float(point[1]))
        if distance <= radius:
            distances[pk] = distance
    ids = sorted(distances, key=lambda pk: (distances[pk], pk))
    return SearchResult(ids=ids, distances=distances, origin=origin)
