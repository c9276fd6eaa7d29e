"""Forms built from pyxform's own XLSForm examples in ``../shared/data/standards/xlsform-examples`` (test data)."""

from __future__ import annotations

import io
import os
from pathlib import Path

EXAMPLES = Path(os.environ.get("TEILHABE_XLSFORM_EXAMPLES", "/work/shared/data/standards/xlsform-examples"))
SPEC_TEST = EXAMPLES / "example_xls" / "xlsform_spec_test.xlsx"
COLUMNS = {
    "type": "type", "name": "name", "label::english": "label::English (en)", "constraint": "constraint",
    "constraint_message::english": "constraint_message::English (en)", "required": "required",
    "requiredMsg": "required_message::English (en)", "appearance": "appearance", "relevant": "relevant",
}  # fmt: skip


def repeat_form() -> bytes:
    """The ``repeat_test`` block of pyxform's ``xlsform_spec_test.xlsx`` (a repeat with groups, a required
    text with its own message, a select_multiple with a constraint) after a top-level ``my_name`` question,
    with the language columns given a code (``label::English (en)``) as Teilhabe requires."""
    from openpyxl import Workbook, load_workbook

    source = load_workbook(SPEC_TEST)
    rows = [list(r) for r in source["survey"].iter_rows(values_only=True)]
    header = rows[0]
    keep = [i for i, name in enumerate(header) if name in COLUMNS]
    start = next(i for i, r in enumerate(rows) if r[0] == "begin repeat")
    end = next(i for i, r in enumerate(rows) if r[0] == "end repeat")
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append([COLUMNS[str(header[i])] for i in keep])
    name_row = next(r for r in rows if r[1] == "my_name")
    survey.append([name_row[i] for i in keep])
    for row in rows[start : end + 1]:
        survey.append([row[i] for i in keep])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::English (en)"])
    for row in source["choices"].iter_rows(min_row=2, values_only=True):
        if row[0]:
            choices.append([row[0], row[1], row[2] or str(row[1]).upper()])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id"])
    settings.append(["Spec test (repeat)", "spec_test_repeat"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
