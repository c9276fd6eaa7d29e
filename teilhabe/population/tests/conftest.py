from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def population_dir(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.POPULATION_DIR = tmp_path / "population"
    return settings.POPULATION_DIR
