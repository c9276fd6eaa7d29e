"""German collation for every list the public sees (DIN 5007 variant 1, "Wörterbuch").

PyICU would be the first choice but needs the ICU C library and a compiler at install time, which a
district's server does not always have; ``locale.strxfrm`` depends on the server's installed locales.
This key is deterministic everywhere and gives the same order on SQLite and PostgreSQL because lists are
sorted in Python, never by the database's collation (see docs/decisions/0050-german-collation.md).

Rules: umlauts sort as their base letter (Ä = A, Ö = O, Ü = U), ß as "ss", case and other accents are
ignored first and only break ties; punctuation and spaces count as separators ("Schwedt/Oder" after
"Schönfeld" because "schon" < "schwe"). Django-free.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def _base(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("ß", "ss").replace("ẞ", "SS"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def german_key(text: str) -> tuple[str, str, str]:
    """Sort key: (base letters, case-folded with accents, original) — "Göritz" < "Grünow" < "Gutow"."""
    primary = " ".join("".join(ch if ch.isalnum() else " " for ch in _base(text).casefold()).split())
    return primary, text.casefold(), text


def german_sorted(items: Iterable[T], key: Callable[[T], str] | None = None) -> list[T]:
    """``items`` in German order; ``key`` gives the text of an item (default: the item itself)."""
    get = key or (lambda item: str(item))
    return sorted(items, key=lambda item: german_key(get(item)))
