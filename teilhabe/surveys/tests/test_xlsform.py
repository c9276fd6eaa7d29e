"""XLSForm import: pyxform's own example forms, German errors with sheet and row, the demo form."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from teilhabe.surveys import demo_form, xlsform

EXAMPLES = Path(os.environ.get("TEILHABE_XLSFORM_EXAMPLES", "/work/shared/data/standards/xlsform-examples"))
FILES = sorted(EXAMPLES.glob("*/*.xlsx")) if EXAMPLES.exists() else []

# The verdict per file (ANGENOMMEN / ABGELEHNT) with the sheet and row of the first problem.
VERDICTS = {
    "bug_example_xls/ODKValidateWarnings.xlsx": ("rejected", "survey", 1),
    "bug_example_xls/UCL_Biomass_Plot_Form.xlsx": ("rejected", "survey", 22),
    "bug_example_xls/bad_calc.xlsx": ("accepted", None, None),
    "bug_example_xls/duplicate_columns.xlsx": ("rejected", "survey", 1),
    "bug_example_xls/xl_date_ambiguous.xlsx": ("rejected", "survey", 1),
    "bug_example_xls/xl_date_ambiguous_v1.xlsx": ("rejected", "survey", 1),
    "example_xls/attribute_columns_test.xlsx": ("rejected", "survey", 1),
    "example_xls/bad_calc.xlsx": ("accepted", None, None),
    "example_xls/case_insensitivity.xlsx": ("rejected", "survey", None),
    "example_xls/choice_filter_test.xlsx": ("accepted", None, None),
    "example_xls/extra_columns.xlsx": ("accepted", None, None),
    "example_xls/extra_sheet_names.xlsx": ("accepted", None, None),
    "example_xls/field-list.xlsx": ("rejected", "survey", 1),
    "example_xls/flat_xlsform_test.xlsx": ("rejected", "survey", 1),
    "example_xls/group.xlsx": ("rejected", "survey", 4),
    "example_xls/include.xlsx": ("rejected", "survey", 3),
    "example_xls/include_json.xlsx": ("rejected", "survey", 2),
    "example_xls/loop.xlsx": ("rejected", "survey", 1),
    "example_xls/or_other.xlsx": ("accepted", None, None),
    "example_xls/pull_data.xlsx": ("accepted", None, None),
    "example_xls/specify_other.xlsx": ("rejected", "survey", 1),
    "example_xls/survey_no_name.xlsx": ("accepted", None, None),
    "example_xls/text_and_integer.xlsx": ("rejected", "survey", 1),
    "example_xls/xlsform_spec_test.xlsx": ("rejected", "survey", 1),
    "example_xls/yes_or_no_question.xlsx": ("rejected", "survey", 1),
}


def test_examples_are_present_under_ci() -> None:
    if not FILES:
        if os.environ.get("CI") == "true":
            pytest.fail(f"XLSForm-Beispiele fehlen unter {EXAMPLES} (unter CI=true Pflicht).")
        pytest.skip(f"XLSForm-Beispiele fehlen unter {EXAMPLES}: Import-Test ÜBERSPRUNGEN")
    assert len(FILES) == len(VERDICTS)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_example_is_accepted_or_rejected_in_german_with_sheet_and_row(path: Path) -> None:
    name = f"{path.parent.name}/{path.name}"
    verdict, sheet, row = VERDICTS[name]
    try:
        parsed = xlsform.read(path.read_bytes(), path.name)
    except xlsform.XLSFormError as error:
        assert verdict == "rejected", f"{name}: {error}"
        first = error.problems[0]
        assert first.sheet == sheet
        assert first.row == row
        for problem in error.problems:
            text = str(problem)
            assert text.startswith("Tabellenblatt „"), text
            assert "pyxform meldet (englisch)" not in text, text  # every rejection is translated
    else:
        assert verdict == "accepted", name
        assert parsed.xform.startswith("<?xml")
        assert parsed.languages


def _md_workbook(rows: list[list[str]]) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_it_names_sheet_and_row_of_an_unknown_reference_in_german() -> None:
    data = _md_workbook(
        [
            ["type", "name", "label::Deutsch (de)", "relevant"],
            ["text", "a", "A", ""],
            ["text", "b", "B", "${gibtsnicht} = 'x'"],
        ]
    )
    with pytest.raises(xlsform.XLSFormError) as info:
        xlsform.read(data, "f.xlsx")
    problem = info.value.problems[0]
    assert (problem.sheet, problem.row) == ("survey", 3)
    assert "${gibtsnicht}" in problem.message and "Spalte „relevant“" in problem.message


def test_it_rejects_a_broken_expression_that_pyxform_lets_through() -> None:
    data = _md_workbook([["type", "name", "label::Deutsch (de)", "constraint"], ["integer", "a", "A", ". > ("]])
    with pytest.raises(xlsform.XLSFormError) as info:
        xlsform.read(data, "f.xlsx")
    assert info.value.problems[0].row == 2
    assert "kein gültiger XPath-Ausdruck" in info.value.problems[0].message


def test_demo_form_has_seven_languages_with_direction_per_language() -> None:
    parsed = xlsform.read(demo_form.workbook_bytes(), "demo.xlsx")
    directions = {lang["code"]: lang["dir"] for lang in parsed.languages}
    assert directions == {"de": "ltr", "en": "ltr", "ar": "rtl", "uk": "ltr", "ru": "ltr", "tr": "ltr", "fa": "rtl"}
