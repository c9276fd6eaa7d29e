"""Offer list import: the dry-run page shows how each column was read before committing (issue 18)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from teilhabe.directory.tests.test_import import HEADER, _upload, staff  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_german_file_preview_shows_encoding_delimiter_and_mapping(client, staff):  # noqa: F811
    content = (HEADER + "Sprachcafé;Treffen zum Üben;Sprachkurs;Angermünde;;Deutsch, Arabisch;;kostenlos;;\n").encode(
        "cp1252"
    )
    run = _upload(client, staff.org_a, content)
    html = client.get(reverse("directory_staff:offer_import_run", args=[run.pk])).content.decode()
    assert "So wurde die Datei gelesen" in html
    assert "CSV (Windows-1252, „;“)" in html and "Semikolon" in html
    assert "<code>art</code></th>\n<td>Art des Angebots</td>" in html
    assert "<samp>Sprachcafé</samp>" in html
    assert html.index("So wurde die Datei gelesen") < html.index("Alle Angebote übernehmen")


def test_ambiguous_columns_are_flagged(client, staff):  # noqa: F811
    content = (
        'Titel,Beschreibung,Art,Name,Preis\nSprachcafé,Treffen,Sprachkurs,Doppelt,"1,5"\nKurs,Text,Sprachkurs,X,2.50\n'
    ).encode()
    run = _upload(client, staff.org_a, content)
    html = client.get(reverse("directory_staff:offer_import_run", args=[run.pk])).content.decode()
    assert "„Titel“ steht schon in Spalte „Titel“; diese wird ignoriert." in html
    assert "Unbekannte Spaltenüberschrift: die Spalte wird nicht übernommen." in html  # Preis
    assert "gemischt (deutsch und englisch)" in html and "import-preview__ambiguous" in html
