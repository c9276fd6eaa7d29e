"""Expected verdict per corpus file and importer: ``"ok"`` or the set of ``CODE@line`` (line 0 = file).

Importers: ``agency`` (indicators.importer, agency values), ``offers`` (directory.importer, offer lists),
``register`` (population.importer, register extracts on pyarrow). Reference data of the tests: the
Uckermark Gemeinden; Planungsraum ``01`` „Süd“ defined for Angermünde (12073008).
"""

OK = "ok"
ENCODING_MIXED = {"E_ENCODING_MIXED@0", "E_ENCODING_ROW@3"}

EXPECTED: dict[str, dict[str, str | set[str]]] = {
    "01_utf8.csv": {"agency": OK, "offers": OK, "register": OK},
    "02_utf8_bom.csv": {"agency": OK, "offers": OK, "register": OK},
    "03_windows1252.csv": {"agency": OK, "offers": OK, "register": OK},
    "04_excel_unicode_text_utf16_tab.txt": {"agency": OK, "offers": OK, "register": OK},
    "05_utf16_semicolon.csv": {"agency": OK, "offers": OK, "register": OK},
    "06_utf8_tab.tsv": {"agency": OK, "offers": OK, "register": OK},
    "07_excel.xlsx": {"agency": OK, "offers": OK, "register": OK},
    "08_calc.ods": {"agency": OK, "offers": OK, "register": OK},
    "09_wert_international.csv": {"agency": OK, "offers": OK, "register": OK},
    "10_control_and_bidi_chars.csv": {"agency": OK, "offers": OK, "register": OK},
    "11_mixed_utf8_windows1252.csv": {"agency": ENCODING_MIXED, "offers": ENCODING_MIXED, "register": ENCODING_MIXED},
    "12_windows1252_undefined_byte.csv": {
        "agency": {"E_ENCODING_ROW@2"},
        "offers": {"E_ENCODING_ROW@2"},
        "register": {"E_ENCODING_ROW@2"},
    },
    "13_wert_nan.csv": {"agency": {"value_invalid@2"}, "offers": OK, "register": OK},
    "14_wert_excel_errors.csv": {"agency": {"value_invalid@2", "value_invalid@3"}, "offers": OK, "register": OK},
    "15_wert_fraction_in_count.csv": {"agency": {"value_invalid@2"}, "offers": OK, "register": OK},
    "16_wert_ambiguous.csv": {"agency": {"value_invalid@2"}, "offers": OK, "register": OK},
    "17_planungsraum_names.csv": {"agency": OK, "offers": OK, "register": {"E_PLANUNGSRAUM_UNKNOWN@2"}},
    "18_ags_typo.csv": {"agency": {"ags_unknown@3"}, "offers": {"gemeinde_unknown@3"}, "register": {"E_AGS_OUTSIDE@3"}},
    "19_empty.csv": {"agency": {"E_FILE_EMPTY@0"}, "offers": {"E_FILE_EMPTY@0"}, "register": {"E_FILE_EMPTY@0"}},
    "20_header_only.csv": {"agency": {"E_NO_ROWS@0"}, "offers": {"E_NO_ROWS@0"}, "register": {"E_NO_ROWS@0"}},
    # Refused by the upload guard (teilhabe/lib/uploads.py: content does not match the claimed type) before reading.
    "21_png_named_csv.csv": {
        "agency": {"upload_refused@0"},
        "offers": {"upload_refused@0"},
        "register": {"E_FILE_REFUSED@0"},
    },
    # Refused by the upload guard (teilhabe/lib/uploads.py: content does not match the claimed type) before reading.
    "22_truncated.xlsx": {
        "agency": {"upload_refused@0"},
        "offers": {"upload_refused@0"},
        "register": {"E_FILE_REFUSED@0"},
    },
    "23_wert_infinity.csv": {"agency": {"value_invalid@3"}, "offers": OK, "register": OK},
}
