"""Writes the awkward-file corpus (run once; the files are committed): ``python make_corpus.py``.

Every file carries the union of the columns of the three importers (agency values, offers, register), so
each file is a fair test for each importer; the expected verdicts are in ``expected.py``.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
HEADER = [
    "quellschluessel",
    "ebene",
    "ags",
    "jahr",
    "wert",
    "titel",
    "beschreibung",
    "art",
    "ordnungsmerkmal",
    "wohnungsstatus",
    "geburtsdatum",
    "geschlecht",
    "staatsangehoerigkeit_1",
    "planungsraum",
]


def rows(**change: dict[int, dict[str, str]]) -> list[list[str]]:
    base = [
        {
            "quellschluessel": "ew_auslaender",
            "ebene": "gemeinde",
            "ags": "12073008",
            "jahr": "2024",
            "wert": "1.234",
            "titel": "Sprachcafé für Frauen",
            "beschreibung": "Wir üben gemeinsam Deutsch im Gespräch, jeden Donnerstag im Gemeindehaus.",
            "art": "Sprachkurs",
            "ordnungsmerkmal": "P001",
            "wohnungsstatus": "H",
            "geburtsdatum": "1990-05-01",
            "geschlecht": "w",
            "staatsangehoerigkeit_1": "475",
            "planungsraum": "",
        },
        {
            "quellschluessel": "ew_auslaender",
            "ebene": "gemeinde",
            "ags": "12073572",
            "jahr": "2024",
            "wert": "87",
            "titel": "Beratung im Süd-Treff",
            "beschreibung": "Beratung zu Aufenthalt, Arbeit und Wohnen – mit Übersetzung ins Arabische.",
            "art": "Beratung",
            "ordnungsmerkmal": "P002",
            "wohnungsstatus": "H",
            "geburtsdatum": "1985-02-03",
            "geschlecht": "m",
            "staatsangehoerigkeit_1": "000",
            "planungsraum": "",
        },
    ]
    for index, values in change.get("rows", {}).items():  # type: ignore[union-attr]
        base[index].update(values)
    return [HEADER, *[[r[h] for h in HEADER] for r in base]]


def text(table: list[list[str]], delimiter: str = ";") -> str:
    return "\r\n".join(delimiter.join(cells) for cells in table) + "\r\n"


def ods(table: list[list[str]]) -> bytes:
    def cell(value: str, column: str) -> str:
        if column in ("wert", "jahr") and value.replace(".", "").isdigit():
            number = value.replace(".", "")
            return f'<table:table-cell office:value-type="float" office:value="{number}"><text:p>{number}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'

    body = "".join(
        "<table:table-row>" + "".join(cell(v, HEADER[i]) for i, v in enumerate(r)) + "</table:table-row>" for r in table
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Daten">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def xlsx(table: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for r in table:
        sheet.append(
            [
                int(v.replace(".", "")) if HEADER[i] in ("wert", "jahr") and v.replace(".", "").isdigit() else v
                for i, v in enumerate(r)
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    good = rows()
    files: dict[str, bytes] = {
        "01_utf8.csv": text(good).encode("utf-8"),
        "02_utf8_bom.csv": ("\ufeff" + text(good)).encode("utf-8"),
        "03_windows1252.csv": text(good).encode("cp1252"),
        "04_excel_unicode_text_utf16_tab.txt": ("\ufeff" + text(good, "\t")).encode("utf-16-le"),
        "05_utf16_semicolon.csv": ("\ufeff" + text(good)).encode("utf-16-le"),
        "06_utf8_tab.tsv": text(good, "\t").encode("utf-8"),
        "07_excel.xlsx": xlsx(good),
        "08_calc.ods": ods(good),
        "09_wert_international.csv": text(rows(rows={0: {"wert": "1,234,567"}, 1: {"wert": "1234"}})).encode(),
        "10_control_and_bidi_chars.csv": text(
            rows(
                rows={
                    0: {"titel": "Sprach\u000bcafé\u200b für \u202eFrauen\u202c"},
                    1: {"beschreibung": "Beratung\u0007 zu Aufenthalt, Arbeit und Wohnen \u2066mit\u2069 Übersetzung."},
                }
            )
        ).encode(),
    }
    lines = text(good).encode("utf-8").split(b"\r\n")
    lines[2] = lines[2].decode("utf-8").encode("cp1252")
    files["11_mixed_utf8_windows1252.csv"] = b"\r\n".join(lines)
    lines = text(good).encode("cp1252").split(b"\r\n")
    lines[1] = lines[1].replace(b"Sprachcaf\xe9", b"Sprachcaf\x81")
    files["12_windows1252_undefined_byte.csv"] = b"\r\n".join(lines)
    files["13_wert_nan.csv"] = text(rows(rows={0: {"wert": "nan"}})).encode()
    files["14_wert_excel_errors.csv"] = text(rows(rows={0: {"wert": "#DIV/0!"}, 1: {"wert": "#NV"}})).encode()
    files["15_wert_fraction_in_count.csv"] = text(rows(rows={0: {"wert": "12,5"}})).encode()
    files["16_wert_ambiguous.csv"] = text(rows(rows={0: {"wert": "1,234"}})).encode()
    files["17_planungsraum_names.csv"] = text(rows(rows={0: {"planungsraum": "Süd"}})).encode()
    files["18_ags_typo.csv"] = text(rows(rows={1: {"ags": "12073752"}})).encode()
    files["19_empty.csv"] = b""
    files["20_header_only.csv"] = text([HEADER]).encode()
    files["21_png_named_csv.csv"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01"
    files["22_truncated.xlsx"] = xlsx(good)[:300]
    files["23_wert_infinity.csv"] = text(rows(rows={1: {"wert": "inf"}})).encode()
    for name, data in files.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
