"""Case-list import: the check shows how each column was read before committing (issue 18)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import Case
from teilhabe.registry.tests.conftest import World


def _check(world: World, content: bytes) -> str:
    alice = world.client(world.p.alice)
    upload = SimpleUploadedFile("liste.csv", content)
    return alice.post(reverse("linkage:import"), {"file": upload, "legal_basis": LegalBasis.ART6_1_E}).content.decode()


def test_german_file_preview_shows_date_format_and_mapping(world: World) -> None:
    count = Case.objects.count()
    html = _check(
        world,
        "Aktenzeichen;Familienname;Vornamen;Geburtsdatum;Staatsangehörigkeit\nJC-20;Müller;Jürgen;15.04.1983;000\n".encode(
            "cp1252"
        ),
    )
    assert "CSV (Windows-1252, „;“)" in html
    assert (
        "<code>Geburtsdatum</code></th>\n<td>Geburtsdatum</td>\n<td>Datum</td>\n<td>–</td>\n<td>TT.MM.JJJJ</td>" in html
    )
    assert "<code>Staatsangehörigkeit</code></th>\n<td>Staatsangehörigkeit (Schlüssel)</td>" in html
    assert Case.objects.count() == count  # a check writes nothing


def test_ambiguous_dates_and_unknown_columns_are_flagged(world: World) -> None:
    html = _check(world, b"Familienname,Vorname,geboren,Telefon\nMeier,Anna,03/04/1990,0171\nKaya,Ali,1988,0172\n")
    assert "Tag/Monat oder Monat/Tag" in html
    assert "TT/MM/JJJJ oder MM/TT/JJJJ" in html and "JJJJ (nur das Jahr)" in html
    assert html.count("Unbekannte Spaltenüberschrift") == 1  # Telefon; "Vorname" is an accepted heading
