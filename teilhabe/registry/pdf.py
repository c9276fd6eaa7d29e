"""Art. 15 access report as PDF (Typst, bundled Fira Sans, tagged PDF). Input: services.access_report()."""

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


def render_access_report(
    report: dict[str, Any],
    groups: list[dict[str, Any]],
    events: list[dict[str, Any]],
    goals: list[dict[str, Any]],
    *,
    reference: str,
    synthetic: bool,
) -> bytes:
    import typst

    data = {
        "controller": report["controller"],
        "reference": reference,
        "generated_at": report["generated_at"][:16],
        "synthetic": synthetic,
        "purposes": report["purposes"],
        "groups": [
            {
                "label": _text(g["label"]),
                "protection": _text(g["protection"]),
                "legal_basis": _text(g["legal_basis"]),
                "items": [[_text(k), _text(v) or "—"] for k, v in g["items"]],
            }
            for g in groups
        ],
        "events": [{"date": e["date"], "label": _text(e["label"]), "detail": e["detail"]} for e in events],
        "goals": [
            {
                "area": _text(g["area_label"]),
                "description": g["description"],
                "status": _text(g["status_label"]),
                "review_on": _text(g["review_on"]) or "—",
            }
            for g in goals
        ],
        "categories": [{**c, "label": _text(c["label"])} for c in report["categories"]],
        "recipients": report["recipients"],
        "consents": report["consents"],
        "source": _text(report["source"]),
        "rights": _text(report["rights"]),
    }
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
