"""Load and validate the processing registry (registry.yaml) — DP-01."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

REGISTRY_PATH = Path(__file__).resolve().parent / "registry.yaml"
REQUIRED_ACTIVITY_KEYS = (
    "id",
    "name",
    "controller",
    "purposes",
    "legal_bases",
    "data_subjects",
    "data_categories",
    "recipients",
    "retention",
    "tom",
)


@cache
def load_registry(path: str = str(REGISTRY_PATH)) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def coverage(registry: dict[str, Any]) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(model label, protection class) pairs and (field group, protection class) pairs that are covered by an
    activity with a purpose, a legal basis and a retention period."""
    models: set[tuple[str, str]] = set()
    groups: set[tuple[str, str]] = set()
    for activity in registry.get("activities", []):
        if not (activity.get("purposes") and activity.get("legal_bases") and activity.get("retention")):
            continue
        for protection, category in (activity.get("data_categories") or {}).items():
            for label in category.get("models", []):
                models.add((label.lower(), protection))
            for group in category.get("field_groups", []):
                groups.add((group, protection))
    return models, groups
