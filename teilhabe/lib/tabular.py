"""The one reader for tables that clerks export from office software. Django-free; the first step of every
import (register extracts, agency aggregates, offer lists, case lists, surveys).

Input: the bytes of an upload and its file name. Output: a ``Table`` of rows (line number, list of cells)
plus the problems found while reading; nothing is guessed silently:

- **XLSX/XLS/ODS** (recognised by signature, not only by name) via python-calamine; cells keep their types
  (numbers as ``float``/``int``, dates as ``date``/``datetime``, text as ``str``).
- **CSV/text**: encoding detected per file and **verified per line** (see ``decode``): UTF-8 with or
  without BOM, Windows-1252, UTF-16 with BOM (Excel's "Unicode-Text": tab-separated). A line that does not
  decode in the chosen encoding is a problem with its line number (``E_ENCODING_ROW``), never mojibake; a
  file whose lines mix UTF-8 and Windows-1252 is rejected with a message that says how to fix it.
  Delimiter ``;``, ``,`` or tab, detected from the header line.
- Text cells are cleaned with ``clean_text``: control characters, bidi embeddings/overrides/isolates and
  other invisible formatting characters are removed (ZWJ/ZWNJ stay: Persian needs them).

``parse_number`` is the one rule for numbers in German or international notation (see there);
``suggest`` gives "did you mean" hints for reference keys.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

CSV_SIZE_LIMIT = 64 * 1024 * 1024

# C0/C1 controls except tab and line breaks; bidi embeddings, overrides and isolates (U+202A–U+202E,
# U+2066–U+2069), LRM/RLM/ALM, zero-width space, word joiner, BOM, soft hyphen, interlinear annotation.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_LINE_SEPARATORS = re.compile("[\u2028\u2029\x85]")
EXCEL_ERRORS = {
    "#DIV/0!",
    "#WERT!",
    "#VALUE!",
    "#NV",
    "#N/A",
    "#NA",
    "#BEZUG!",
    "#REF!",
    "#NAME?",
    "#ZAHL!",
    "#NUM!",
    "#NULL!",
    "#LEER!",
    "#ÜBERLAUF!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
}
NOT_FINITE = {"nan", "-nan", "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity", "unendlich", "∞", "-∞"}


@dataclass(frozen=True)
class ReadProblem:
    """A problem found while reading: ``line`` is the 1-based line in the file (0 = the whole file)."""

    line: int
    code: str  # E_FILE_EMPTY, E_FILE_FORMAT, E_ENCODING, E_ENCODING_MIXED, E_ENCODING_ROW
    message: str


@dataclass
class Table:
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # non-empty rows incl. header
    file_format: str = ""  # "CSV", "XLSX", "ODS"
    encoding: str = ""  # "UTF-8", "UTF-8 (BOM)", "Windows-1252", "UTF-16"
    delimiter: str = ""
    problems: list[ReadProblem] = field(default_factory=list)

    @property
    def label(self) -> str:
        """For the import page: ``CSV (UTF-16, Tabulator)`` or ``XLSX``."""
        if self.file_format != "CSV":
            return self.file_format
        names = {";": "„;“", ",": "„,“", "\t": "Tabulator"}
        return f"CSV ({self.encoding}, {names.get(self.delimiter, self.delimiter)})"

    @property
    def ok(self) -> bool:
        return not self.problems


def clean_text(text: str) -> str:
    """Remove control and invisible formatting characters (ZWJ/ZWNJ kept), NFC; line separators → ``\\n``."""
    text = _LINE_SEPARATORS.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text))


def _has_non_ascii(line: bytes) -> bool:
    return any(b > 0x7F for b in line)


@dataclass
class Decoded:
    text: str
    encoding: str
    problems: list[ReadProblem] = field(default_factory=list)


def decode(data: bytes) -> Decoded:
    """Decode a text file and verify every line.

    Rules: a BOM decides (UTF-8, UTF-16 LE/BE). Without a BOM the file is UTF-8 if every line is valid
    UTF-8. Otherwise, if some lines carry non-ASCII UTF-8 and others are not UTF-8, the file mixes
    encodings: each non-UTF-8 line is an ``E_ENCODING_ROW`` problem plus one ``E_ENCODING_MIXED``. A file
    without any UTF-8 line is Windows-1252; a line with a byte Windows-1252 does not define
    (0x81, 0x8D, 0x8F, 0x90, 0x9D) is an ``E_ENCODING_ROW`` problem.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        body, encoding = data[3:], "UTF-8 (BOM)"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        try:
            return Decoded(data[2:].decode(codec), "UTF-16")
        except UnicodeDecodeError as exc:
            bad_line = data[2 : exc.start + 2].decode(codec, errors="replace").count("\n") + 1
            return Decoded("", "UTF-16", [_row_problem(bad_line, "UTF-16")])
    else:
        body, encoding = data, "UTF-8"
    if b"\x00" in body[:4096]:
        return Decoded("", "", [ReadProblem(0, "E_FILE_FORMAT", _FORMAT_MESSAGE)])
    try:
        return Decoded(body.decode("utf-8"), encoding)
    except UnicodeDecodeError:
        pass
    lines = body.split(b"\n")
    utf8_lines: list[int] = []
    other_lines: list[int] = []
    for number, line in enumerate(lines, start=1):
        if not _has_non_ascii(line):
            continue
        try:
            line.decode("utf-8")
            utf8_lines.append(number)
        except UnicodeDecodeError:
            other_lines.append(number)
    if utf8_lines or encoding == "UTF-8 (BOM)":
        problems = [
            ReadProblem(
                0,
                "E_ENCODING_MIXED",
                "Die Datei mischt Zeichenkodierungen: die meisten Zeilen sind UTF-8, "
                f"{len(other_lines)} Zeile(n) nicht (vermutlich Windows-1252). Bitte die ganze Datei einheitlich "
                "speichern, z. B. in Excel „Speichern unter → CSV UTF-8 (durch Trennzeichen getrennt)“.",
            )
        ]
        problems += [_row_problem(n, "UTF-8") for n in other_lines]
        return Decoded("", "UTF-8", problems)
    bad = []
    for number, line in enumerate(lines, start=1):
        try:
            line.decode("cp1252")
        except UnicodeDecodeError:
            bad.append(number)
    if bad:
        return Decoded("", "Windows-1252", [_row_problem(n, "Windows-1252") for n in bad])
    return Decoded(body.decode("cp1252"), "Windows-1252")


def _row_problem(line: int, encoding: str) -> ReadProblem:
    return ReadProblem(
        line,
        "E_ENCODING_ROW",
        f"Zeile {line} lässt sich nicht als {encoding} lesen (Zeichen wären verfälscht). "
        "Bitte die Datei als „CSV UTF-8“ speichern.",
    )


_FORMAT_MESSAGE = (
    "Die Datei ist weder als CSV-/Textdatei (UTF-8, Windows-1252, UTF-16) noch als Arbeitsmappe (XLSX, ODS) lesbar."
)


def sniff_delimiter(header: str) -> str:
    """``;``, tab or ``,``: the one that occurs most often in the header line (``;`` wins ties)."""
    counts = {d: header.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _is_workbook(data: bytes, file_name: str) -> bool:
    return data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _workbook_cell(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    return value


def read(data: bytes, file_name: str = "") -> Table:
    """Read an upload into a ``Table``; problems instead of exceptions (see the module docstring)."""
    if not data.strip():
        return Table(problems=[ReadProblem(0, "E_FILE_EMPTY", "Die Datei ist leer.")])
    if _is_workbook(data, file_name):
        from python_calamine import CalamineWorkbook

        kind = "ODS" if b"opendocument.spreadsheet" in data[:200] else "XLSX"
        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            raw = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except Exception:  # calamine raises its own error types for every kind of damaged file
            return Table(file_format=kind, problems=[ReadProblem(0, "E_FILE_FORMAT", _FORMAT_MESSAGE)])
        rows = [
            (line, [_workbook_cell(v) for v in row])
            for line, row in enumerate(raw, start=1)
            if any(v not in ("", None) for v in row)
        ]
        return _finish(Table(rows, kind))
    if file_name.lower().endswith((".xlsx", ".xls", ".ods")):
        return Table(problems=[ReadProblem(0, "E_FILE_FORMAT", _FORMAT_MESSAGE)])
    decoded = decode(data)
    table = Table(file_format="CSV", encoding=decoded.encoding, problems=decoded.problems)
    if decoded.problems:
        return table
    text = decoded.text
    header = text.split("\n", 1)[0]
    table.delimiter = sniff_delimiter(header)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=table.delimiter, strict=False)
        for cells in reader:
            if any(c.strip() for c in cells):
                table.rows.append((reader.line_num, [clean_text(c) for c in cells]))
    except csv.Error:
        table.problems.append(ReadProblem(0, "E_FILE_FORMAT", _FORMAT_MESSAGE))
    return _finish(table)


def _finish(table: Table) -> Table:
    if not table.rows and not table.problems:
        table.problems.append(ReadProblem(0, "E_FILE_EMPTY", "Die Datei enthält keine Zeilen."))
    return table


def read_table(data: bytes, file_name: str) -> tuple[list[list[Any]], str, str]:
    """Compatibility shape ``(rows, encoding or format, delimiter)``; raises ``ValueError`` on any problem."""
    table = read(data, file_name)
    if table.problems:
        raise ValueError("; ".join(p.message for p in table.problems))
    return [cells for _line, cells in table.rows], table.encoding or table.file_format, table.delimiter


# --- numbers ---------------------------------------------------------------------------------------------


class NumberError(ValueError):
    """``str(error)`` is a German message for the user that says how to fix the value."""


_PLAIN = re.compile(r"^\d+$")


def parse_number(raw: Any, *, integer: bool = False) -> int | Decimal:
    """Parse a number from German or international notation with one explicit rule.

    - Digits only: that integer. Thousands separators ``.``, space, NBSP, apostrophe: groups of three.
    - Both ``.`` and ``,``: the rightmost is the decimal separator (``1.234,5`` and ``1,234.5`` → 1234.5);
      the other must group by three digits.
    - One separator occurring several times (``1.234.567``): grouping.
    - One separator once, not followed by exactly three digits (``12,5``, ``0.75``): the decimal separator.
    - One separator once followed by exactly three digits (``1.234``, ``1,234``) is ambiguous. For an
      integer column (``integer=True``, e.g. counts) ``1.234`` is German grouping → 1234 and ``1,234`` an
      error; for other columns ``1,234`` is the German decimal comma → 1.234 and ``1.234`` an error.
    - ``nan``, infinity and Excel error values (``#DIV/0!``, ``#WERT!``, ``#NV`` …) are errors; so is a
      fraction where ``integer=True``.
    Cells from workbooks arrive as ``int``/``float`` and are checked the same way. Returns ``int`` when
    ``integer`` else ``Decimal``; raises ``NumberError``.
    """
    if isinstance(raw, bool):
        raise NumberError(f"„{raw}“ ist keine Zahl.")
    if isinstance(raw, int | float | Decimal):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise NumberError("Der Wert ist keine endliche Zahl (NaN/unendlich). Bitte die Zahl eintragen.")
        value = Decimal(str(raw)) if isinstance(raw, float) else Decimal(raw)
        return _finish_number(value, integer, str(raw))
    text = clean_text(str(raw) if raw is not None else "").strip()
    if not text:
        raise NumberError("Der Wert fehlt.")
    if text.upper() in EXCEL_ERRORS or text.startswith("#"):
        raise NumberError(
            f"„{text}“ ist ein Excel-Fehlerwert, keine Zahl. Bitte die Formel in der Quelldatei prüfen "
            "und die Zahl eintragen."
        )
    if text.lower() in NOT_FINITE:
        raise NumberError(f"„{text}“ ist keine endliche Zahl. Bitte die Zahl eintragen oder die Zeile weglassen.")
    sign = ""
    if text[0] in "+-\u2212":
        sign, text = ("" if text[0] == "+" else "-"), text[1:].strip()
    number = _normalise_digits(text, integer)
    try:
        value = Decimal(sign + number)
    except InvalidOperation:
        raise _unreadable(text) from None
    return _finish_number(value, integer, sign + text)


_SPACED = re.compile(r"^\d{1,3}(?:([ '\u00a0\u202f])\d{3})(?:\1\d{3})*(?:[.,]\d+)?$")


def _normalise_digits(text: str, integer: bool) -> str:
    """``1.234,5`` → ``1234.5`` by the rule of ``parse_number``; raises ``NumberError``."""
    if _PLAIN.match(text):
        return text
    if _SPACED.match(text):  # explicit grouping by space or apostrophe: the rest is a decimal separator
        text = re.sub(r"[ '\u00a0\u202f]", "", text)
        return text.replace(",", ".")
    if "." in text and "," in text:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        whole, _sep, fraction = text.rpartition(decimal_sep)
        if not fraction.isdigit() or not re.fullmatch(rf"\d{{1,3}}(?:\{group_sep}\d{{3}})+", whole):
            raise _unreadable(text)
        return whole.replace(group_sep, "") + "." + fraction
    separators = [c for c in text if not c.isdigit()]
    if not separators or set(separators) - {".", ","} or not text.replace(".", "").replace(",", "").isdigit():
        raise _unreadable(text)
    sep = separators[0]
    if len(separators) > 1:
        if re.fullmatch(rf"\d{{1,3}}(?:\{sep}\d{{3}})+", text):
            return text.replace(sep, "")
        raise _unreadable(text)
    whole, _sep, fraction = text.partition(sep)
    if not fraction:
        raise _unreadable(text)
    if len(fraction) == 3 and re.fullmatch(r"[1-9]\d{0,2}", whole):
        if integer and sep == ".":
            return whole + fraction  # German grouping in a count column: 1.234 → 1234
        if not integer and sep == ",":
            return whole + "." + fraction  # German decimal comma: 1,234 → 1.234
        raise NumberError(
            f"„{text}“ ist mehrdeutig (Tausender- oder Dezimaltrennzeichen?). Bitte ohne Tausendertrennzeichen "
            "schreiben (z. B. 1234) und Dezimalstellen mit Komma (z. B. 1234,5)."
        )
    return (whole or "0") + "." + fraction


def _unreadable(text: str) -> NumberError:
    return NumberError(
        f"„{text}“ ist keine lesbare Zahl. Bitte nur Ziffern, optional Tausenderpunkte und ein Dezimalkomma "
        "verwenden (z. B. 1.234 oder 1234,5)."
    )


def _finish_number(value: Decimal, integer: bool, shown: str) -> int | Decimal:
    if integer:
        if value != value.to_integral_value():
            raise NumberError(
                f"„{shown}“ ist keine ganze Zahl; in dieser Spalte stehen Anzahlen. Bitte ohne Nachkommastellen "
                "eintragen (Tausender ohne Trennzeichen oder mit Punkt: 1234 oder 1.234)."
            )
        return int(value)
    return value


# --- reference keys ------------------------------------------------------------------------------------


def suggest(value: str, candidates: Mapping[str, str] | Iterable[str], *, n: int = 3) -> str:
    """A "did you mean" hint: `` Meinten Sie „12073008“ (Prenzlau)?`` or ``""`` if nothing is close.

    ``candidates``: keys, or a mapping key → label (labels are matched too, so a name finds its code).
    """
    from teilhabe.lib.textnorm import fold

    labels = dict(candidates) if isinstance(candidates, Mapping) else {c: "" for c in candidates}
    folded = fold(value)
    exact = [key for key, label in labels.items() if label and fold(label) == folded]
    # „Syrien“ for „Arabische Republik Syrien“: the value is one word of an official name.
    words = [key for key, label in labels.items() if len(folded) >= 3 and label and folded in fold(label).split()]
    matches = exact or words[:n] or difflib.get_close_matches(value, list(labels), n=n, cutoff=0.75)
    if not matches:
        by_label = {fold(label): key for key, label in labels.items() if label}
        matches = [by_label[m] for m in difflib.get_close_matches(folded, list(by_label), n=n, cutoff=0.7)]
    if not matches:
        return ""
    shown = " oder ".join(f"„{m}“ ({labels[m]})" if labels[m] else f"„{m}“" for m in matches[:n])
    return f" Meinten Sie {shown}?"
