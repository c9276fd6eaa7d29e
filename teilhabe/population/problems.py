"""The problems of a register extract: stable codes, severities and the German messages shown on the import
report page and printed by ``manage.py import_register``. Django-free, no heavy imports."""

from __future__ import annotations

from dataclasses import dataclass

REQUIRED = [
    "ordnungsmerkmal",
    "ags",
    "wohnungsstatus",
    "geburtsdatum",
    "geschlecht",
    "staatsangehoerigkeit_1",
]
STATE_COLUMNS = [
    "staatsangehoerigkeit_1",
    "staatsangehoerigkeit_2",
    "staatsangehoerigkeit_3",
    "geburtsstaat",
    "zuzug_herkunft_staat",
]
ERROR, WARNING = "error", "warning"

# Stable codes → (severity, German message; {column} is filled in).
MESSAGES: dict[str, tuple[str, str]] = {
    "E_FILE_EMPTY": (ERROR, "Die Datei ist leer oder hat keine Kopfzeile."),
    "E_FILE_REFUSED": (ERROR, "Die Datei wurde nicht angenommen."),
    "E_FILE_FORMAT": (ERROR, "Die Datei ist weder eine lesbare CSV- noch eine XLSX-Datei."),
    "E_FILE_ENCODING": (ERROR, "Die Zeichenkodierung ist weder UTF-8, UTF-16 noch Windows-1252."),
    "E_ENCODING_MIXED": (ERROR, "Die Datei mischt Zeichenkodierungen."),
    "E_ENCODING_ROW": (ERROR, "Die Zeile lässt sich in der Zeichenkodierung der Datei nicht lesen."),
    "E_NO_ROWS": (ERROR, "Die Datei enthält nur die Kopfzeile, keine Datenzeilen."),
    "E_COLUMN_MISSING": (ERROR, "Pflichtspalte „{column}“ fehlt in der Kopfzeile."),
    "E_COLUMN_DUPLICATE": (ERROR, "Die Spalte „{column}“ steht mehrfach in der Kopfzeile."),
    "W_COLUMN_UNKNOWN": (WARNING, "Unbekannte Spalte „{column}“ wird ignoriert."),
    "E_ROW_COLUMNS": (ERROR, "Die Zeile hat nicht die Spaltenzahl der Kopfzeile."),
    "E_REQUIRED": (ERROR, "Pflichtfeld „{column}“ ist leer."),
    "E_KEY_LENGTH": (ERROR, "„{column}“ ist länger als 40 Zeichen."),
    "E_AGS_FORMAT": (ERROR, "„{column}“ ist kein 8-stelliger Amtlicher Gemeindeschlüssel."),
    "E_AGS_OUTSIDE": (ERROR, "Der Gemeindeschlüssel gehört zu keiner Gemeinde des Kreises."),
    "E_WOHNUNGSSTATUS": (ERROR, "Wohnungsstatus muss H, N oder A sein."),
    "E_GESCHLECHT": (ERROR, "Geschlecht muss m, w, d oder x sein."),
    "E_DATE_FORMAT": (
        ERROR,
        "„{column}“ ist kein gültiges Datum (TT.MM.JJJJ oder JJJJ-MM-TT mit vierstelligem Jahr; "
        "beim Geburtsdatum auch JJJJ-MM).",
    ),
    "E_DATE_RANGE": (ERROR, "„{column}“ liegt vor dem 01.01.1890; bitte das Jahr prüfen."),
    "E_DATE_FUTURE": (ERROR, "„{column}“ liegt nach dem Stichtag."),
    "E_ZUZUG_AFTER_STICHTAG": (ERROR, "Das Zuzugsdatum liegt nach dem Stichtag."),
    "E_STATE_UNKNOWN": (ERROR, "„{column}“ ist kein bekannter Staatsschlüssel (3-stellig oder ISO 3166)."),
    "E_ART_CODE": (ERROR, "Art der deutschen Staatsangehörigkeit muss G, E, O oder S sein."),
    "E_ART_FOREIGNER": (
        ERROR,
        "Art der deutschen Staatsangehörigkeit ist angegeben, die Person ist aber nicht deutsch.",
    ),
    "E_FAMILIENSTAND": (ERROR, "Familienstand muss LD, VH, VW, GS, LP oder NB sein."),
    "E_RELIGION": (ERROR, "Religion muss ev, rk, sonstige oder keine sein."),
    "E_DUPLICATE": (ERROR, "Ordnungsmerkmal und Wohnungsstatus kommen mehrfach vor."),
    "E_WOHNUNGSSTATUS_CONFLICT": (
        ERROR,
        "Zum selben Ordnungsmerkmal gibt es eine alleinige Wohnung (A) und eine weitere Wohnung; "
        "die Person würde doppelt gezählt.",
    ),
    "E_ZUZUG_BEFORE_BIRTH": (ERROR, "Das Zuzugsdatum liegt vor dem Geburtsdatum."),
    "E_PARENT_SELF": (ERROR, "„{column}“ verweist auf die Person selbst."),
    "W_PARENT_UNKNOWN": (WARNING, "„{column}“ verweist auf keine Person im Auszug."),
    "E_PLANUNGSRAUM_UNKNOWN": (ERROR, "Der Planungsraum ist für diese Gemeinde nicht definiert."),
    "W_PLANUNGSRAUM_UNDEFINED": (
        WARNING,
        "Für diese Gemeinde sind keine Planungsräume definiert; der Schlüssel wird ungeprüft übernommen.",
    ),
}


@dataclass(frozen=True)
class Problem:
    row: int  # line in the file (header = 1); 0 for problems of the whole file
    column: str
    code: str
    detail: str = ""  # the specific explanation (e.g. a "did you mean"), appended to the message

    @property
    def severity(self) -> str:
        return MESSAGES[self.code][0]

    @property
    def message(self) -> str:
        return " ".join(filter(None, [MESSAGES[self.code][1].format(column=self.column), self.detail]))
