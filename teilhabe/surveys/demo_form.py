"""The demo questionnaire as an XLSForm workbook, built from ``data/demo_form.yaml``.

The YAML holds ``languages`` ([{name, code}]), ``title`` and per question/choice a ``label`` (and optional
``constraint_message``) as {language code: text}, plus the XLSForm columns ``type``, ``name``, ``required``,
``relevant``, ``constraint``, ``choice_filter``, ``appearance``. ``workbook_bytes()`` returns the .xlsx
(sheets survey, choices, settings; one ``label::<Language> (<code>)`` column per language) that the demo
and the tests upload like any questionnaire.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SOURCE = Path(__file__).parent / "data" / "demo_form.yaml"
COLUMNS = ("required", "relevant", "constraint")


@cache
def definition() -> dict[str, Any]:
    with SOURCE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def languages() -> list[tuple[str, str]]:
    return [(lang["name"], lang["code"]) for lang in definition()["languages"]]


def workbook_bytes(chosen: list[tuple[str, str]] | None = None) -> bytes:
    """The workbook in ``chosen`` languages ([(name, code)], default all seven; the first is the default)."""
    from openpyxl import Workbook

    data = definition()
    chosen = chosen or languages()
    codes = [code for _name, code in chosen]
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    cols = [f"label::{n} ({c})" for n, c in chosen]
    msgs = [f"constraint_message::{n} ({c})" for n, c in chosen]
    survey.append(["type", "name", *cols, *COLUMNS, *msgs, "choice_filter", "appearance"])
    for q in data["questions"]:
        message = q.get("constraint_message") or {}
        survey.append([q["type"], q["name"], *[q["label"][c] for c in codes], *[q.get(k, "") for k in COLUMNS],
                       *[message.get(c) for c in codes], q.get("choice_filter", ""), q.get("appearance", "")])  # fmt: skip
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *cols])
    for choice in data["choices"]:
        choices.append([choice["list_name"], choice["name"], *[choice["label"][c] for c in codes]])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "default_language"])
    settings.append([data["title"][codes[0]], data["form_id"], f"{chosen[0][0]} ({chosen[0][1]})"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
