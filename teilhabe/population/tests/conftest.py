from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def population_dir(settings: Any, tmp_path: Path) -> Path:
    settings.POPULATION_DIR = tmp_path / "population"
    return settings.POPULATION_DIR


@pytest.fixture(autouse=True)
def publish_inline(settings: Any) -> None:
    """The joint disclosure decision runs before the commit returns (no task worker in tests)."""
    settings.TEILHABE_POPULATION_PUBLISH = "inline"
