"""Where tests find the official schemas and shapes (HSDS 3.0, DCAT-AP.de SHACL …): ``shared/data/standards``
beside the checkout (``TEILHABE_STANDARDS_DIR`` overrides). Mandatory under ``CI=true`` (the test fails);
elsewhere a missing standard skips the test with a loud reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parents[3]


def standards_dir() -> Path | None:
    configured = os.environ.get("TEILHABE_STANDARDS_DIR")
    if configured:
        return Path(configured)
    for parent in [_ROOT, *_ROOT.parents]:
        candidate = parent / "shared" / "data" / "standards"
        if candidate.is_dir():
            return candidate
    return None


def standard(*parts: str) -> Path:
    """The path of a standard's file, or fail (CI) / skip loudly (elsewhere) if it is not there."""
    base = standards_dir()
    path = base.joinpath(*parts) if base else None
    if path is None or not path.exists():
        message = f"STANDARD NOT FOUND – third-party validation NOT RUN: shared/data/standards/{'/'.join(parts)}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
