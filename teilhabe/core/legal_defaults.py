"""Starting texts for the legal pages, filled from the operator settings until the district edits them.

German (``TEXTS`` below) is the legally binding source. Translations of the starting texts into the other
public languages are in ``legal_texts/<lang>.yaml`` (``operator``: this language's wording for unset
settings; ``pages``: title and body per slug, same headings and placeholders as German). Which text a
visitor sees is decided by :func:`localized_legal_page`.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.utils import formats, translation

from teilhabe.core.models import LegalPage, LegalPageTranslation
from teilhabe.directory.models import TranslationStatus
from teilhabe.lib.formats import format_date

TRANSLATED_LANGUAGES = ("en", "ar", "fa", "uk", "ru", "tr")
TEXTS_DIR = Path(__file__).resolve().parent / "legal_texts"


GERMAN_OPERATOR_DEFAULTS = {
    "address": "(Anschrift in TEILHABE_OPERATOR_ADDRESS eintragen)",
    "representative": "die Landrätin / der Landrat",
    "dpo": "die/den behördliche/n Datenschutzbeauftragte/n (Anschrift wie oben)",
    "authority": "die oder der Landesbeauftragte für den Datenschutz",
}


def _operator(lang: str = "de") -> dict[str, str]:
    """Placeholder values; unset settings get the wording of ``lang`` (proper names stay as configured)."""
    from teilhabe.regions.models import Kreis

    defaults = GERMAN_OPERATOR_DEFAULTS if lang == "de" else _translations(lang)["operator"]
    kreis = Kreis.objects.filter(ags=settings.TEILHABE_KREIS).first()
    name = settings.OPERATOR_NAME or (f"{kreis.kreis_typ} {kreis.name}" if kreis else "Landkreis")
    return {
        "name": name,
        "address": settings.OPERATOR_ADDRESS or defaults["address"],
        "email": settings.TEILHABE_CONTACT_EMAIL,
        "phone": settings.OPERATOR_PHONE,
        "representative": settings.OPERATOR_REPRESENTATIVE or defaults["representative"],
        "dpo": settings.DPO_CONTACT or defaults["dpo"],
        "authority": settings.SUPERVISORY_AUTHORITY or defaults["authority"],
        "date": _statement_date() if lang == "de" else _localized_date(lang),
    }


def _localized_date(lang: str) -> str:
    with translation.override(lang):
        return str(formats.date_format(ACCESSIBILITY_REVIEWED, "DATE_FORMAT"))


def _statement_date() -> str:
    """Date the accessibility statement was last reviewed (TT.MM.JJJJ): the software release it ships with."""
    return format_date(ACCESSIBILITY_REVIEWED)


ACCESSIBILITY_REVIEWED = datetime.date(2026, 11, 30)

TEXTS = {
    LegalPage.Slug.IMPRESSUM: (
        "Impressum",
        """## Herausgeber
{name}
{address}
E-Mail: {email}
{phone}

## Vertretungsberechtigt
Die Behörde wird vertreten durch {representative}.

## Inhaltlich verantwortlich
Koordinierungsstelle Integration, {name}, Anschrift wie oben.

## Amtliche Daten
Die Gebiets-, Bevölkerungs- und Vergleichsdaten stammen von den Statistischen Ämtern des Bundes und der Länder, \
vom BBSR (INKAR) und vom BKG. Quellen und Lizenzen stehen auf der Seite „Datenquellen und Lizenzen“.

## Software
Diese Plattform nutzt die freie Software Teilhabe (Lizenz EUPL-1.2).""",
    ),
    LegalPage.Slug.DATENSCHUTZ: (
        "Datenschutzerklärung",
        """## Verantwortliche Stelle
{name}, {address}, E-Mail: {email}.

## Datenschutzbeauftragte/r
Sie erreichen {dpo}.

## Öffentliche Seiten
Beim Aufruf der öffentlichen Seiten verarbeiten wir technisch notwendige Daten (IP-Adresse, Zeitpunkt, \
aufgerufene Seite) zur Auslieferung und Absicherung des Angebots (Art. 6 Abs. 1 lit. e DSGVO). Wir setzen \
keine Analyse- oder Werbedienste ein und laden keine Inhalte von fremden Servern. Ein Cookie wird nur gesetzt, \
wenn Sie eine Sprache wählen oder ein Formular absenden (Schutz vor Fälschung von Anfragen).

## Cookies
Wir setzen nur technisch notwendige Cookies: `django_language` speichert die gewählte Sprache (ein Jahr), \
`csrftoken` schützt Formulare vor gefälschten Anfragen (ein Jahr), `sessionid` hält die Anmeldung im \
Mitarbeitendenbereich (bis zur Abmeldung, höchstens einen Arbeitstag). Eine Einwilligung ist dafür nicht \
erforderlich (§ 25 Abs. 2 Nr. 2 TDDDG).

## Server-Protokolle
Der Webserver protokolliert zu jedem Aufruf Zeitpunkt, aufgerufene Adresse, Statuscode und IP-Adresse, um \
Störungen und Angriffe zu erkennen (Art. 6 Abs. 1 lit. e DSGVO). Die Protokolle werden nach 14 Tagen gelöscht; \
die IP-Adresse wird für Missbrauchsgrenzen (z. B. Anzahl der Vorschläge je Stunde) höchstens eine Stunde \
im Zwischenspeicher gehalten.

## Vorschläge für Angebote
Wenn Sie über das Formular ein Angebot oder eine Änderung vorschlagen, speichern wir Ihre Angaben zum \
Angebot und, falls angegeben, Ihren Namen und Ihre E-Mail-Adresse für Rückfragen (Art. 6 Abs. 1 lit. e DSGVO). \
Die Redaktion prüft den Vorschlag vor jeder Veröffentlichung; Ihre Kontaktdaten werden nie veröffentlicht \
und nach Abschluss der Prüfung gelöscht.

## „Meinen Standort verwenden“
Die Schaltfläche fragt Ihren Browser nach Ihrem Standort, um Angebote nach Entfernung zu sortieren. Das \
geschieht nur nach Ihrer Zustimmung im Browser. Die Koordinaten werden gerundet mit der Suchanfrage \
übertragen, nicht gespeichert und nicht protokolliert (Art. 6 Abs. 1 lit. a DSGVO).

## Meldung von Barrieren
Wenn Sie uns eine Barriere melden, speichern wir Ihre Angaben, um die Meldung zu bearbeiten und Ihnen zu \
antworten (Art. 6 Abs. 1 lit. c und e DSGVO in Verbindung mit dem Behindertengleichstellungsrecht). Die Angaben \
werden gelöscht, sobald die Meldung erledigt ist und keine Aufbewahrungspflicht mehr besteht.

## Mitarbeitendenbereich
Die Anmeldung erfolgt mit Passwort und zweitem Faktor. Jeder Zugriff auf personenbezogene Daten wird \
protokolliert (Art. 32 DSGVO); die Protokolle sind nur der/dem Datenschutzbeauftragten zugänglich.

## Statistische Veröffentlichungen
Veröffentlichte Zahlen werden vorher der statistischen Geheimhaltung unterzogen: Kleine Fallzahlen werden \
unterdrückt, damit niemand erkannt werden kann.

## Ihre Rechte
Sie haben das Recht auf Auskunft (Art. 15), Berichtigung (Art. 16), Löschung (Art. 17), Einschränkung der \
Verarbeitung (Art. 18) und Widerspruch (Art. 21 DSGVO). Sie haben außerdem das Recht, sich bei der \
zuständigen Aufsichtsbehörde zu beschweren: {authority}.""",
    ),
    LegalPage.Slug.BARRIEREFREIHEIT: (
        "Erklärung zur Barrierefreiheit",
        """{name} ist bemüht, dieses Angebot im Einklang mit den Vorschriften zur barrierefreien \
Informationstechnik (BITV 2.0, EN 301 549, WCAG 2.1 Stufe AA) barrierefrei zugänglich zu machen.

## Stand der Vereinbarkeit mit den Anforderungen
Dieses Angebot ist mit den Anforderungen der BITV 2.0 teilweise vereinbar. Die öffentlichen Seiten werden bei \
jeder Änderung der Software automatisiert mit axe-core gegen WCAG 2.1 A/AA in allen sieben Sprachen geprüft \
und mit der Tastatur bedient. Diese Erklärung beruht auf dieser Selbstbewertung.

## Nicht barrierefreie Inhalte
- Karten sind Grafiken; ihre Werte stehen jeweils in einer Tabelle darunter.
- Der Bericht als PDF ist getaggt, Diagramme im PDF haben aber nur eine Kurzbeschreibung; die HTML-Fassung \
des Berichts ist vollständig zugänglich.
- Das Video in Deutscher Gebärdensprache wird noch aufgenommen.
- Von Organisationen eingestellte Angebote liegen nicht immer in allen Sprachen vor; die deutsche Fassung \
wird dann angezeigt und als deutsch gekennzeichnet.

## Erstellung dieser Erklärung
Diese Erklärung wurde am {date} erstellt und zuletzt überprüft.

## Feedback und Kontakt
Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Nutzen Sie das Formular „Barriere melden“ oder \
schreiben Sie an {email}. Wir antworten innerhalb von sechs Wochen.

## Schlichtungsverfahren
Wenn Sie auf Ihre Meldung innerhalb von sechs Wochen keine zufriedenstellende Antwort erhalten, können Sie \
ein Schlichtungsverfahren einleiten: Schlichtungsstelle nach § 16 BGG beim Beauftragten der Bundesregierung \
für die Belange von Menschen mit Behinderungen, Mauerstraße 53, 10117 Berlin, \
https://www.schlichtungsstelle-bgg.de, info@schlichtungsstelle-bgg.de. Für Stellen eines Landes ist die nach \
Landesrecht zuständige Schlichtungs- oder Durchsetzungsstelle zuständig. Das Verfahren ist kostenlos; Sie \
brauchen keinen Rechtsbeistand.""",
    ),
}


def default_legal_page(slug: str) -> LegalPage:
    title, body = TEXTS[LegalPage.Slug(slug)]
    return LegalPage(slug=slug, title=title, body=body.format(**_operator()).replace("\n\n\n", "\n\n"))


@functools.cache
def _translations(lang: str) -> dict[str, Any]:
    with (TEXTS_DIR / f"{lang}.yaml").open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def default_translation(slug: str, lang: str) -> LegalPageTranslation:
    """The shipped translation of the German starting text of ``slug`` (not saved)."""
    entry = _translations(lang)["pages"][str(LegalPage.Slug(slug))]
    body = entry["body"].format(**_operator(lang)).replace("\n\n\n", "\n\n")
    return LegalPageTranslation(slug=slug, language=lang, title=entry["title"], body=body)


@dataclass
class ShownLegalPage:
    """What a visitor of ``requested`` sees: ``lang`` is the language of title and body (``"de"`` when
    falling back); ``notice`` is ``""``, ``"outdated"``, ``"machine"`` or ``"missing"``."""

    slug: str
    title: str
    body: str
    lang: str
    requested: str
    notice: str
    updated_at: datetime.datetime | None


def localized_legal_page(slug: str, lang: str) -> ShownLegalPage:
    """The legal page ``slug`` for a visitor of ``lang``.

    Order: the district's translation row (unless ``missing``); while the German page is still the
    starting text (no row), the shipped translation of it; otherwise German, marked as a fallback.
    """
    german_row = LegalPage.objects.filter(slug=slug).first()
    german = german_row or default_legal_page(slug)
    if lang == "de" or lang not in TRANSLATED_LANGUAGES:
        return ShownLegalPage(
            slug, german.title, german.body, "de", lang, "", german_row.updated_at if german_row else None
        )
    row = LegalPageTranslation.objects.filter(slug=slug, language=lang).first()
    if row is not None and row.status != TranslationStatus.MISSING and row.body.strip():
        notice = {TranslationStatus.OUTDATED: "outdated", TranslationStatus.MACHINE: "machine"}.get(
            TranslationStatus(row.status), ""
        )
        return ShownLegalPage(slug, row.title, row.body, lang, lang, notice, row.updated_at)
    if german_row is None:
        shipped = default_translation(slug, lang)
        return ShownLegalPage(slug, shipped.title, shipped.body, lang, lang, "", None)
    return ShownLegalPage(slug, german.title, german.body, "de", lang, "missing", german_row.updated_at)


def translations_outdated_by_german_edit(slug: str) -> list[str]:
    """After the German text of ``slug`` changed: every translation becomes ``outdated``.

    Languages still on the shipped translation get a row holding it (so visitors keep a translation,
    with a note, and editors see what to revise). Returns the languages touched.
    """
    touched = []
    for lang in TRANSLATED_LANGUAGES:
        row = LegalPageTranslation.objects.filter(slug=slug, language=lang).first()
        if row is None:
            row = default_translation(slug, lang)
        elif row.status not in (TranslationStatus.CURRENT, TranslationStatus.MACHINE):
            continue
        row.status = TranslationStatus.OUTDATED
        row.save()
        touched.append(lang)
    return touched
