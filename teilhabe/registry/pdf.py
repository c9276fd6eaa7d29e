"""Art. 15 letter as PDF (Typst, bundled Fira Sans, tagged PDF). Input: registry.letters.access_letter()."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings

TEMPLATE = Path(__file__).resolve().parent / "typst" / "access_report.typ"
FONT_DIR = Path(settings.BASE_DIR) / "teilhabe" / "reports" / "fonts"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def render_access_report(letter: dict[str, Any], *, synthetic: bool) -> bytes:
    """The Art. 15 letter (``registry.letters.access_letter``) as PDF. Latin-script languages only: the
    bundled Fira Sans has no Arabic glyphs, so callers pass a German or English letter."""
    import typst

    data = {"letter": letter, "synthetic": synthetic}
    workdir = Path(tempfile.mkdtemp(prefix="teilhabe-auskunft-"))
    try:
        (workdir / "data.json").write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
        shutil.copy(TEMPLATE, workdir / "report.typ")
        pdf = typst.compile(
            str(workdir / "report.typ"), root=str(workdir), font_paths=[str(FONT_DIR)], ignore_system_fonts=True
        )
        return bytes(pdf or b"")
    finally:
        # The working copy holds personal data: never leave it on disk.
        shutil.rmtree(workdir, ignore_errors=True)
