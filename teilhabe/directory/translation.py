"""Pluggable machine translation. No provider is configured by default, so nothing external is called.

``TEILHABE_MT_PROVIDER`` names a class (dotted path) with ``translate(texts, *, source, target)``.
Machine translations are always stored with status 'machine' and shown with a note to visitors.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class MachineTranslator(Protocol):
    name: str

    def translate(self, texts: list[str], *, source: str, target: str) -> list[str]: ...


def get_provider() -> MachineTranslator | None:
    path = getattr(settings, "TEILHABE_MT_PROVIDER", "")
    if not path:
        return None
    provider: MachineTranslator = import_string(path)()
    return provider


class LibreTranslateProvider:
    """A self-hosted LibreTranslate instance (TEILHABE_MT_URL, optional TEILHABE_MT_API_KEY)."""

    name = "LibreTranslate"

    def translate(self, texts: list[str], *, source: str, target: str) -> list[str]:
        url = settings.TEILHABE_MT_URL.rstrip("/") + "/translate"
        if not url.startswith(("https://", "http://")):
            raise ValueError("TEILHABE_MT_URL muss eine http(s)-Adresse sein.")
        results = []
        for text in texts:
            if not text:
                results.append("")
                continue
            body = json.dumps(
                {
                    "q": text,
                    "source": source,
                    "target": target,
                    "format": "text",
                    "api_key": settings.TEILHABE_MT_API_KEY,
                }
            ).encode()
            request = urllib.request.Request(  # noqa: S310 - scheme checked above
                url, data=body, headers={"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - scheme checked above
                results.append(json.loads(response.read())["translatedText"])
        return results
