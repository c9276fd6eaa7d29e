"""Format descriptions of every file the staff area accepts, shown next to each upload form.

One ``FileFormat`` per import kind: the columns (name, required, content, example) and example rows. The page
``/staff/formate/<slug>/`` shows it and offers the example as a CSV that the importer accepts as it is (tested),
so a clerk can start from a file that works. Upload forms link it with ``link_format(form, field, slug)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.urls import reverse
from django.utils.functional import Promise, lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    content: str | Promise
    example: str = ""  # a cell value exactly as it stands in the file (shown as code)
    example_label: str | Promise = ""  # what the example means, in words (a catalogue key's name)


@dataclass(frozen=True)
class FileFormat:
    slug: str
    title: str | Promise
    summary: str | Promise
    files: str | Promise  # accepted file types, encodings, delimiters
    columns: tuple[Column, ...]
    example_rows: tuple[tuple[str, ...], ...] = field(default=())
    notes: tuple[str | Promise, ...] = ()

    @property
    def example_header(self) -> list[str]:
        return [column.name for column in self.columns]


TABLE_FILES = _(
    "CSV mit Kopfzeile (UTF-8, auch mit BOM, oder Windows-1252; Trennzeichen Semikolon, Komma oder Tabulator; "
    "auch „Unicode-Text“ aus Excel) oder XLSX/ODS (erstes Tabellenblatt)."
)

FORMATS: dict[str, FileFormat] = {}


def _source_key_label(key: str) -> str:
    """The catalogue's German name of source key ``key`` (``ba_beschaeftigte_auslaender`` → "Sozialvers…")."""
    from teilhabe.indicators.catalogue import load_catalogue

    return load_catalogue().source_keys[key].label


source_key_label = lazy(_source_key_label, str)


def register(file_format: FileFormat) -> None:
    FORMATS[file_format.slug] = file_format


register(
    FileFormat(
        slug="melderegister",
        title=_("Statistischer Auszug aus dem Melderegister"),
        summary=_(
            "Eine Zeile je Person und Wohnungsstatus, ohne Namen und ohne Anschrift. Der Stichtag wird beim "
            "Hochladen angegeben; ein erneuter Import zum selben Stichtag ersetzt den vorherigen."
        ),
        files=TABLE_FILES,
        columns=(
            Column(
                "ordnungsmerkmal",
                True,
                _("Pseudonymes, dauerhaftes Personenmerkmal der Meldebehörde (höchstens 40 Zeichen)"),
                "P000001",
            ),
            Column("ags", True, _("Achtstelliger Amtlicher Gemeindeschlüssel der Wohnung"), "12073008"),
            Column(
                "planungsraum",
                False,
                _("Kennung des Planungsraums, wie in „Planungsräume“ festgelegt (nicht der Name)"),
                "01",
            ),
            Column("wohnungsstatus", True, _("H = Hauptwohnung, N = Nebenwohnung, A = alleinige Wohnung"), "A"),
            Column("geburtsdatum", True, _("JJJJ-MM-TT, JJJJ-MM oder TT.MM.JJJJ"), "1985-04-12"),
            Column("geschlecht", True, _("m, w, d oder x (ohne Angabe)"), "w"),
            Column(
                "staatsangehoerigkeit_1",
                True,
                _("Staatsschlüssel (Destatis, dreistellig) der wichtigsten Staatsangehörigkeit; deutsch = 000"),
                "475",
            ),
            Column("staatsangehoerigkeit_2", False, _("Weitere Staatsangehörigkeit"), ""),
            Column("staatsangehoerigkeit_3", False, _("Weitere Staatsangehörigkeit"), ""),
            Column(
                "art_deutsche_staatsangehoerigkeit",
                False,
                _("Nur bei Deutschen: G Geburt/Abstammung, E Einbürgerung, O Optionsregelung, S Spätaussiedler"),
                "",
            ),
            Column("geburtsstaat", False, _("Staatsschlüssel des Geburtslandes (000 = Deutschland)"), "475"),
            Column("zuzug_datum", False, _("Datum des Zuzugs in die Gemeinde"), "2016-05-01"),
            Column("zuzug_herkunft_staat", False, _("Staatsschlüssel bei Zuzug aus dem Ausland"), "475"),
            Column(
                "familienstand",
                False,
                _("LD ledig, VH verheiratet, VW verwitwet, GS geschieden, LP Lebenspartnerschaft, NB nicht bekannt"),
                "VH",
            ),
            Column(
                "religion", False, _("Öffentlich-rechtliche Religionsgesellschaft: ev, rk, sonstige, keine"), "keine"
            ),
            Column("elternteil_1", False, _("Ordnungsmerkmal eines Elternteils (bei Minderjährigen)"), ""),
            Column("elternteil_2", False, _("Ordnungsmerkmal des anderen Elternteils"), ""),
        ),
        example_rows=(
            (
                "P000001",
                "12073008",
                "",
                "A",
                "1985-04-12",
                "w",
                "475",
                "",
                "",
                "",
                "475",
                "2016-05-01",
                "475",
                "VH",
                "keine",
                "",
                "",
            ),
            (
                "P000002",
                "12073008",
                "",
                "A",
                "2019-02-01",
                "m",
                "000",
                "",
                "",
                "O",
                "000",
                "",
                "",
                "LD",
                "keine",
                "P000001",
                "",
            ),
            ("P000003", "12073572", "", "H", "1970-11-30", "w", "000", "", "", "G", "000", "", "", "VH", "ev", "", ""),
        ),
        notes=(
            _("Staatsschlüssel: auch ISO-3166-Codes (DE, SY, UA) werden erkannt."),
            _(
                "Nichts wird übernommen, solange die Prüfung Fehler meldet (oder Sie ausdrücklich nur fehlerfreie Zeilen übernehmen)."
            ),
        ),
    )
)

register(
    FileFormat(
        slug="behoerdenwerte",
        title=_("Behördenaggregate für das Integrationsmonitoring"),
        summary=_(
            "Eine Zeile je Quellschlüssel, Gebiet und Jahr. Die Quellschlüssel stehen in der Liste beim "
            "Erfassungsformular; Zahlen als ganze Zahlen, Tausenderpunkt erlaubt (1.234 = eintausendzweihundertvierunddreißig)."
        ),
        files=TABLE_FILES,
        columns=(
            Column(
                "quellschluessel",
                True,
                _("Quellschlüssel aus dem Indikatorenkatalog"),
                "ba_beschaeftigte_auslaender",
                source_key_label("ba_beschaeftigte_auslaender"),
            ),
            Column(
                "ebene", False, _("gemeinde, kreis oder planungsraum (leer: aus dem Schlüssel erkannt)"), "gemeinde"
            ),
            Column("ags", True, _("Gemeindeschlüssel (8 Ziffern) oder Kreisschlüssel (5 Ziffern)"), "12073008"),
            Column("jahr", True, _("Berichtsjahr, vierstellig"), "2024"),
            Column("wert", True, _("Anzahl (ganze Zahl)"), "1234"),
            Column(
                "quelldokument",
                False,
                _("Woher der Wert stammt, z. B. Statistikbericht und Tabelle"),
                "BA-Statistik 06/2024",
            ),
        ),
        example_rows=(
            ("ba_beschaeftigte_auslaender", "gemeinde", "12073008", "2024", "412", "BA-Statistik 06/2024"),
            ("ba_beschaeftigte_auslaender", "gemeinde", "12073572", "2024", "388", "BA-Statistik 06/2024"),
        ),
        notes=(
            _(
                "Ein zweiter Wert für denselben Schlüssel, dasselbe Gebiet und Jahr ersetzt den ersten nur nach Bestätigung; die Historie bleibt erhalten."
            ),
        ),
    )
)

register(
    FileFormat(
        slug="angebote",
        title=_("Angebotsliste für das Angebotsverzeichnis"),
        summary=_("Eine Zeile je Angebot. Übernommen wird erst nach der Prüfung, und nur die ganze Datei."),
        files=TABLE_FILES,
        columns=(
            Column("titel", True, _("Name des Angebots"), "Sprachcafé für Frauen"),
            Column(
                "beschreibung", True, _("Was, für wen, wie"), "Deutsch üben bei Kaffee und Kuchen, mit Kinderbetreuung."
            ),
            Column(
                "art", True, _("Art des Angebots, z. B. Beratung, Sprachkurs, Kinderbetreuung, Freizeit"), "Sprachkurs"
            ),
            Column("gemeinde", False, _("Name oder AGS der Gemeinde"), "Angermünde"),
            Column("adresse", False, _("Straße Hausnummer, PLZ Ort"), "Markt 1, 16278 Angermünde"),
            Column("sprachen", False, _("Sprachen, durch Komma getrennt"), "Deutsch, Arabisch"),
            Column("zielgruppen", False, _("Zielgruppen, durch Komma getrennt"), "Frauen"),
            Column("kosten", False, _("„kostenlos“ oder ein Hinweis zu den Kosten"), "kostenlos"),
            Column("kontakt", False, _("E-Mail-Adresse oder Telefonnummer"), "sprachcafe@example.org"),
            Column("internetseite", False, _("Adresse der Internetseite"), "https://example.org/sprachcafe"),
        ),
        example_rows=(
            (
                "Sprachcafé für Frauen",
                "Deutsch üben bei Kaffee und Kuchen, mit Kinderbetreuung.",
                "Sprachkurs",
                "Angermünde",
                "Markt 1, 16278 Angermünde",
                "Deutsch, Arabisch",
                "Frauen",
                "kostenlos",
                "sprachcafe@example.org",
                "https://example.org/sprachcafe",
            ),
        ),
    )
)

register(
    FileFormat(
        slug="xliff",
        title=_("Übersetzungen als XLIFF 1.2"),
        summary=_(
            "Laden Sie die XLIFF-Datei einer Sprache auf der Übersetzungsseite herunter, lassen Sie sie in einem "
            "Übersetzungswerkzeug bearbeiten und laden Sie sie hier wieder hoch. Übernommen werden nur Einheiten "
            "mit dem Status „translated“, „final“ oder „signed-off“."
        ),
        files=_("XLIFF 1.2 (XML, UTF-8), wie von dieser Plattform exportiert."),
        columns=(
            Column("trans-unit id", True, _("Kennung des Angebots und Feldes; nicht ändern"), "offer-12-title"),
            Column("source", True, _("Deutscher Ausgangstext; nicht ändern"), "Sprachcafé"),
            Column("target", True, _("Übersetzung"), "مقهى اللغة"),
            Column("state", False, _("Status der Übersetzung"), "translated"),
        ),
    )
)


def link_format(form: forms.Form, field_name: str, slug: str) -> None:
    """Append "Formatbeschreibung und Beispieldatei" (a link) to the help text of an upload field."""
    file_format = FORMATS[slug]
    target = form.fields[field_name]
    link = format_html(
        '<a class="kern-link" href="{}">{}</a>',
        reverse("staff:format_description", args=[file_format.slug]),
        _("Formatbeschreibung und Beispieldatei"),
    )
    target.help_text = format_html("{} {}", target.help_text or "", link) if target.help_text else link
