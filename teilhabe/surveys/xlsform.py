"""XLSForm upload: pyxform converts, we check what the web form supports, every problem in German.

``read(data, file_name)`` returns a ``ParsedForm`` (pyxform's JSON form and XForm, the languages with code
and direction, German warnings) or raises ``XLSFormError`` with a list of ``Problem(sheet, row, message)``.
Rows are spreadsheet rows (the header is row 1), as pyxform counts them. Django-free.
"""

from __future__ import annotations

import io
import re
import warnings as py_warnings
from dataclasses import dataclass, field
from typing import Any

from pyxform import xls2xform
from pyxform.errors import PyXFormError

from teilhabe.surveys import formspec, xpath

MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    message: str

    def __str__(self) -> str:
        where = f"Tabellenblatt „{self.sheet}“" + (f", Zeile {self.row}" if self.row else "")
        return f"{where}: {self.message}"


class XLSFormError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class ParsedForm:
    form: dict[str, Any]
    xform: str
    title: str
    languages: list[dict[str, str]]
    warnings: list[str] = field(default_factory=list)


# pyxform's English messages → German. Groups are named; anything unknown keeps pyxform's text.
_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"the '(?P<column>[\w:]+)' value is invalid\. Reference variables must contain a name from the "
            r"'survey' sheet\. Could not find the name '(?P<name>[^']+)'"
        ),
        "Spalte „{column}“: Der Verweis ${{{name}}} nennt keine Frage dieses Fragebogens.",
    ),
    (re.compile(r"Unknown question type '(?P<type>[^']+)'"), "Unbekannter Fragetyp „{type}“."),
    (
        re.compile(r"There should be a choices sheet"),
        "Das Tabellenblatt „choices“ fehlt oder hat nicht die Pflichtspalten list_name, name und label.",
    ),
    (
        re.compile(r"List name not in choices sheet: (?P<name>\S+)"),
        "Die Auswahlliste „{name}“ fehlt im Tabellenblatt „choices“.",
    ),
    (
        re.compile(
            r"Unmatched 'begin_(?P<kind>group|repeat)'\. No matching 'end_\w+' was found for the name '(?P<name>[^']*)'"
        ),
        "„begin {kind}“ „{name}“ wird nie mit „end {kind}“ geschlossen.",
    ),
    (re.compile(r"Unmatched 'end_(?P<kind>group|repeat)'"), "„end {kind}“ ohne vorausgehendes „begin {kind}“."),
    (
        re.compile(r"the 'name' value '(?P<name>[^']+)' is invalid\. Questions, groups, and repeats must be unique"),
        "Der Name „{name}“ kommt in derselben Gruppe doppelt vor; Namen müssen eindeutig sein.",
    ),
    (re.compile(r"Question or group with no name"), "Frage oder Gruppe ohne Namen (Spalte „name“ ist leer)."),
    (
        re.compile(r"the 'name' value is invalid\. Names must begin with a letter or underscore"),
        "Ungültiger Name: Namen beginnen mit einem Buchstaben oder Unterstrich und enthalten danach nur "
        "Buchstaben, Ziffern, „_“, „-“ oder „.“.",
    ),
    (
        re.compile(r"Choice names must be unique for each choice list"),
        "Antwortcodes (Spalte „name“) müssen je Auswahlliste eindeutig sein.",
    ),
    (re.compile(r"Choices should have a label"), "Antwortmöglichkeit ohne Beschriftung (Spalte „label“)."),
    (re.compile(r"Duplicate column header: (?P<name>.+)"), "Die Spaltenüberschrift „{name}“ kommt doppelt vor."),
    (
        re.compile(r"This section has not been included"),
        "Der Fragetyp „include“ (ein anderer Fragebogen als Abschnitt) wird nicht unterstützt; bitte die Fragen "
        "direkt in dieses Tabellenblatt übernehmen.",
    ),
    (
        re.compile(r"sheets with similar names were found: (?P<names>.+?)\. If you do not mean"),
        "Ein Tabellenblatt heißt ähnlich wie ein XLSForm-Blatt ({names}); ist ein Tippfehler gemeint? "
        "Blätter, die nicht gelesen werden sollen, beginnen mit „_“.",
    ),
    (
        re.compile(r"uses or_other and translations"),
        "„or_other“ mit Übersetzungen: die Zusatzfrage „Andere“ bleibt unübersetzt; besser eine eigene "
        "Antwortmöglichkeit „other“ mit Folgefrage anlegen.",
    ),
    (
        re.compile(r"Language '(?P<lang>[^']+)' is missing the (?P<sheet>\w+) (?P<column>\w+) column"),
        "Der Sprache „{lang}“ fehlt die Spalte „{column}“ im Tabellenblatt „{sheet}“.",
    ),
]
_ROW = re.compile(r"\[row : (\d+)\]")
_SHEET = re.compile(r"On the '(\w+)' sheet")


def german(message: str, *, default_sheet: str = "survey") -> Problem:
    """One pyxform message (error or warning) as a German ``Problem`` naming sheet and row."""
    row_match, sheet_match = _ROW.search(message), _SHEET.search(message)
    row = int(row_match.group(1)) if row_match else None
    sheet = sheet_match.group(1) if sheet_match else default_sheet
    for pattern, template in _MESSAGES:
        match = pattern.search(message)
        if match:
            return Problem(sheet, row, template.format(**match.groupdict()))
    plain = _ROW.sub("", message).strip()
    return Problem(sheet, row, f"pyxform meldet (englisch): {plain}")


def _rows(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """Survey and choices rows as pyxform reads them (row = index + 2)."""
    try:
        definition = xls2xform.get_xlsform(data)
    except Exception:
        return {"survey": [], "choices": []}
    return {"survey": list(definition.survey or []), "choices": list(definition.choices or [])}


def _find_row(rows: list[dict[str, Any]], *, name: str | None = None, type_prefix: str | None = None) -> int | None:
    for index, row in enumerate(rows):
        row_type = str(row.get("type") or "").strip()
        if name is not None and str(row.get("name") or "").strip() != name:
            continue
        if type_prefix is not None and not row_type.startswith(type_prefix):
            continue
        return index + 2
    return None


def _duplicate_header_sheet(data: bytes, header: str) -> str:
    try:
        from openpyxl import load_workbook

        with py_warnings.catch_warnings():
            py_warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True)
        for sheet in book.worksheets:
            first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
            names = [str(v).strip() for v in first if v is not None]
            if names.count(header) > 1:
                return sheet.title
    except Exception:  # noqa: S110 - only a better location for a message we report anyway
        pass
    return "survey"


def _locate(problem: Problem, data: bytes, rows: dict[str, list[dict[str, Any]]], raw: str) -> Problem:
    if problem.row is not None:
        return problem
    if match := re.search(r"Duplicate column header: (.+)", raw):
        return Problem(_duplicate_header_sheet(data, match.group(1).strip()), 1, problem.message)
    if "not been included" in raw:
        return Problem("survey", _find_row(rows["survey"], type_prefix="include"), problem.message)
    if match := re.search(r"Unknown question type '([^']+)'", raw):
        return Problem("survey", _find_row(rows["survey"], type_prefix=match.group(1)), problem.message)
    if "choices sheet" in raw:
        return Problem("choices", None, problem.message)
    return problem


def read(data: bytes, file_name: str = "fragebogen.xlsx") -> ParsedForm:
    """Convert and check an XLSForm; raises ``XLSFormError`` with every problem found."""
    if len(data) > MAX_BYTES:
        raise XLSFormError([Problem("–", None, "Die Datei ist größer als 5 MB.")])
    if not file_name.lower().endswith((".xlsx", ".xls")):
        raise XLSFormError([Problem("–", None, "Bitte eine XLSForm-Datei im Format .xlsx hochladen.")])
    rows = _rows(data)
    warnings: list[str] = []
    try:
        with py_warnings.catch_warnings():
            py_warnings.simplefilter("ignore")
            result = xls2xform.convert(data, warnings=warnings, form_name="data")
    except PyXFormError as error:
        raw = str(error)
        raise XLSFormError([_locate(german(raw), data, rows, raw)]) from error
    except Exception as error:
        raise XLSFormError(
            [Problem("–", None, f"Die Datei ist keine lesbare XLSForm-Tabelle ({type(error).__name__}).")]
        ) from error
    form: dict[str, Any] = result._pyxform or {}
    problems: list[Problem] = []
    notes: list[str] = []
    for message in warnings:
        if "machine-readable codes" in message:
            names = message.split(":", 1)[1].split("Learn more")[0].strip().rstrip(".")
            problems.append(
                Problem("survey", 1, f"Sprachspalte ohne Sprachcode ({names}): bitte „label::Sprache (code)“ "
                        "schreiben, z. B. „label::العربية (ar)“ – nur mit Code lässt sich die Schreibrichtung "
                        "je Sprache setzen.")
            )  # fmt: skip
        else:
            notes.append(str(german(message)))
    try:
        spec = formspec.build(form)
    except formspec.UnsupportedType as error:
        type_name = formspec.TYPE_NAMES_DE.get(error.qtype, error.qtype)
        problems.append(
            Problem("survey", _find_row(rows["survey"], name=error.name),
                    f"Der Fragetyp {type_name} der Frage „{error.name}“ wird im Webformular nicht angeboten "
                    "(unterstützt: text, integer, decimal, date, select_one, select_multiple, note, Gruppen, Wiederholungsgruppen).")
        )  # fmt: skip
        spec = None
    except xpath.ExpressionError as error:
        name = getattr(error, "name", None)
        problems.append(Problem("survey", _find_row(rows["survey"], name=name) if name else None, str(error)))
        spec = None
    if problems:
        raise XLSFormError(problems)
    assert spec is not None
    languages = []
    for key in formspec.language_keys(form):
        code = formspec.language_code(key) or ("und" if key == formspec.DEFAULT else None)
        if code is None:
            raise XLSFormError([Problem("survey", 1, f"Die Sprachspalte „{key}“ nennt keinen Sprachcode in Klammern.")])
        name = _CODE_SUFFIX.sub("", key).strip() if key != formspec.DEFAULT else "Standard"
        languages.append({"key": key, "code": code, "name": name, "dir": formspec.direction(code)})
    if any(lang["code"] == "und" for lang in languages):
        notes.append(
            "Beschriftungen ohne Sprachangabe: diese Fassung gilt als „Sprache unbestimmt“ (links nach rechts)."
        )
    if spec.ignored:
        notes.append(
            "Nicht erhoben (Berechnungen und Gerätedaten, die Befragung bleibt anonym): "
            + ", ".join(spec.ignored)
            + "."
        )
    return ParsedForm(form=form, xform=result.xform, title=spec.title, languages=languages, warnings=notes)


_CODE_SUFFIX = re.compile(r"\([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\)\s*$")
