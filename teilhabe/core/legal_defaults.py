"""Starting texts for the legal pages, filled from the operator settings until the district edits them."""

from __future__ import annotations

from django.conf import settings

from teilhabe.core.models import LegalPage


def _operator() -> dict[str, str]:
    from teilhabe.regions.models import Kreis

    kreis = Kreis.objects.filter(ags=settings.TEILHABE_KREIS).first()
    name = settings.OPERATOR_NAME or (f"{kreis.kreis_typ} {kreis.name}" if kreis else "Landkreis")
    return {
        "name": name,
        "address": settings.OPERATOR_ADDRESS or "(Anschrift in TEILHABE_OPERATOR_ADDRESS eintragen)",
        "email": settings.TEILHABE_CONTACT_EMAIL,
        "phone": settings.OPERATOR_PHONE,
        "representative": settings.OPERATOR_REPRESENTATIVE or "die Landrätin / der Landrat",
        "dpo": settings.DPO_CONTACT or "die/den behördliche/n Datenschutzbeauftragte/n (Anschrift wie oben)",
        "authority": settings.SUPERVISORY_AUTHORITY
        or "die Landesbeauftragte / den Landesbeauftragten für den Datenschutz",
    }


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
Verarbeitung (Art. 18) und Widerspruch (Art. 21 DSGVO). Sie können sich bei {authority} beschweren.""",
    ),
    LegalPage.Slug.BARRIEREFREIHEIT: (
        "Erklärung zur Barrierefreiheit",
        """{name} ist bemüht, dieses Angebot im Einklang mit den Vorschriften zur barrierefreien \
Informationstechnik (BITV 2.0, EN 301 549, WCAG 2.1 Stufe AA) barrierefrei zugänglich zu machen.

## Stand der Vereinbarkeit
Die öffentlichen Seiten werden bei jeder Änderung der Software automatisiert mit axe-core auf die \
Anforderungen der WCAG 2.1 AA geprüft und mit der Tastatur bedient. Karten sind zusätzlich als Tabellen \
verfügbar. Bekannte Einschränkungen führen wir hier auf, sobald sie bekannt werden.

## Feedback und Kontakt
Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Nutzen Sie das Formular „Barriere melden“ oder \
schreiben Sie an {email}. Wir antworten innerhalb von sechs Wochen.

## Schlichtungsverfahren
Wenn Sie auf Ihre Meldung keine zufriedenstellende Antwort erhalten, können Sie die Schlichtungsstelle nach \
dem Behindertengleichstellungsgesetz bzw. die nach Landesrecht zuständige Durchsetzungsstelle anrufen.""",
    ),
}


def default_legal_page(slug: str) -> LegalPage:
    title, body = TEXTS[LegalPage.Slug(slug)]
    return LegalPage(slug=slug, title=title, body=body.format(**_operator()).replace("\n\n\n", "\n\n"))
