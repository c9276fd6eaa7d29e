from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_settings(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    settings.REGISTRY_ENCRYPTION_KEYS = ["test-only-registry-key-1"]  # type: ignore[attr-defined]


from teilhabe.registry.tests.conftest import world  # noqa: E402,F401 - shared seeded world (org A/B/C, case)
