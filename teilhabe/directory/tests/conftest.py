from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """The proposal rate limit lives in the cache; tests must not inherit each other's counts."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="module")
def demo_directory(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo directory (320 offers), built once per module and rolled back afterwards."""
    from teilhabe.directory.tests.demo_fixture import demo_directory_module

    yield from demo_directory_module(django_db_blocker)
