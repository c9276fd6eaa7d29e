"""Invitation letters as one PDF (Typst): one page per one-time code, in the code's language, with a QR
code of the short link (segno, SVG) and the short link in print. The Meldebehörde prints and mails them;
the platform never sees an address. Fonts: Fira Sans (bundled) plus Noto for Arabic/Persian script."""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from teilhabe.surveys.formspec import direction

TEMPLATE = Path(__file__).resolve().parent / "typst" / "letter.typ"
FONT_DIRS = [Path(settings.BASE_DIR) / "teilhabe" / "reports" / "fonts", Path("/usr/share/fonts/truetype/noto")]


def letter_texts(survey: Any, language: str) -> dict[str, str]:
    """The letter's texts in ``language`` (UI translations; German if the language has none)."""
    ui = language if language in {c for c, _n in settings.LANGUAGES} else settings.LANGUAGE_CODE
    with translation.override(ui):
        return {
            "greeting": _("Guten Tag,"),
            "body": _(
                "wir möchten wissen, wie Sie im Landkreis leben: Arbeit, Wohnen, Familie, Sprache und Ihre Pläne. "
                "Ihre Meinung hilft, Angebote für Zugewanderte zu verbessern. Die Befragung dauert etwa 10 Minuten "
                "und ist anonym: Niemand kann Ihre Antworten Ihnen zuordnen."
            ),
            "how": _("So nehmen Sie teil: QR-Code scannen oder die Adresse eingeben und den Zugangscode eintragen."),
            "code_label": _("Ihr Zugangscode"),
            "link_label": _("Adresse"),
            "voluntary": _("Die Teilnahme ist freiwillig. Der Code gilt einmal."),
            "closing": _("Vielen Dank für Ihre Unterstützung!"),
        }


def letters_pdf(survey: Any, codes: list[Any], *, base_url: str) -> bytes:
    import typst

    workdir = Path(tempfile.mkdtemp(prefix="teilhabe-briefe-"))
    try:
        pages = []
        for index, code in enumerate(codes):
            link = f"{base_url}/umfragen/c/{code.code}/"
            qr = segno.make(link, error="m")
            buffer = io.BytesIO()
            qr.save(buffer, kind="svg", scale=4, border=2)
            name = f"qr{index}.svg"
            (workdir / name).write_bytes(buffer.getvalue())
            pages.append(
                {
                    "code": code.code,
                    "link": link,
                    "qr": name,
                    "lang": code.language.split("-")[0],
                    "dir": direction(code.language),
                    **letter_texts(survey, code.language),
                }
            )
        data = {"title": survey.title, "sender": str(survey.owner), "pages": pages, "synthetic": bool(settings.DEMO)}
        (workdir / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        shutil.copy(TEMPLATE, workdir / "letter.typ")
        pdf = typst.compile(
            str(workdir / "letter.typ"), root=str(workdir),
            font_paths=[str(p) for p in FONT_DIRS if p.exists()], ignore_system_fonts=True,
        )  # fmt: skip
        return bytes(pdf or b"")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
