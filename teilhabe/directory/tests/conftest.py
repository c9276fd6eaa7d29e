from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """The proposal rate limit lives in the cache; tests must not inherit each other's counts."""
    from django.core.cache import cache

    cache.clear()
