"""Import of offer lists: dry run, atomic commit, error report, scope."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import login_verified
from teilhabe.directory import services
from teilhabe.directory.models import ImportStatus, Offer, OfferImport, Status
from teilhabe.directory.tests.helpers import grant_directory_roles

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "directory" / "angebote-import-beispiel.csv"
HEADER = "titel;beschreibung;art;gemeinde;adresse;sprachen;zielgruppen;kosten;kontakt;internetseite\n"


@pytest.fixture
def staff(personas, regions, client):
    grant_directory_roles(personas)
    login_verified(client, personas.alice)
    return personas


def _upload(client, owner, content: bytes, name: str = "angebote.csv", publish: bool = True) -> OfferImport:
    data = {"file": SimpleUploadedFile(name, content), "owner": owner.pk}
    if publish:
        data["publish"] = "on"
    response = client.post(reverse("directory_staff:offer_import"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return OfferImport.objects.latest("pk")


def test_good_file_dry_run_then_commit_creates_offers_and_one_audit_event(client, staff):
    run = _upload(client, staff.org_a, EXAMPLE.read_bytes())
    assert run.problems == [] and len(run.rows) == 3
    assert Offer.objects.count() == 0  # dry run stores nothing
    page = client.get(reverse("directory_staff:offer_import_run", args=[run.pk]))
    assert "Alle Angebote übernehmen" in page.content.decode()

    response = client.post(reverse("directory_staff:offer_import_run", args=[run.pk]))
    assert response.status_code == 302
    offers = {o.title: o for o in Offer.objects.all()}
    assert len(offers) == 3
    assert all(o.owner == staff.org_a and o.status == Status.PUBLISHED for o in offers.values())
    cafe = offers["Sprachcafé am Markt"]
    assert cafe.offer_type == "language_course" and cafe.is_free
    assert cafe.gemeinde_id == "12073452" and cafe.location is not None and cafe.location.postcode == "17291"
    assert cafe.language_list == ["ar", "de", "uk"]
    assert cafe.contact_email == "sprachcafe@example.org"
    beratung = offers["Migrationsberatung für Erwachsene"]
    assert beratung.contact_phone == "03984 123456" and beratung.languages == ",de,fa,ru,"
    sport = offers["Fußball für alle"]
    assert not sport.is_free and sport.cost_note == "5 € im Monat" and sport.gemeinde is None
    events = AuditEvent.objects.filter(action=services.ACTION_OFFER_IMPORT)
    assert events.count() == 1
    assert events.get().extra["rows"] == 3
    run.refresh_from_db()
    assert run.status == ImportStatus.COMMITTED and run.offers_created == 3
    # A second commit of the same run is refused.
    client.post(reverse("directory_staff:offer_import_run", args=[run.pk]))
    assert Offer.objects.count() == 3


def test_one_bad_row_stores_nothing_and_reports_row_column_code(client, staff):
    content = (
        HEADER
        + "Sprachcafé;Deutsch üben;Sprachkurs;Prenzlau;;de;adults;kostenlos;;\n"
        + "Kaputt;Text;Zauberei;Atlantis;;de;;;keine-mail@;\n"
    ).encode()
    run = _upload(client, staff.org_a, content)
    found = {(p["row"], p["column"], p["code"]) for p in run.problems}
    assert (3, "art", "type_unknown") in found
    assert (3, "gemeinde", "gemeinde_unknown") in found
    assert (3, "kontakt", "invalid") in found
    assert all(p["row"] == 3 for p in run.problems) and all(p["message"] for p in run.problems)
    page = client.get(reverse("directory_staff:offer_import_run", args=[run.pk])).content.decode()
    assert "type_unknown" in page and "Alle Angebote übernehmen" not in page

    client.post(reverse("directory_staff:offer_import_run", args=[run.pk]))
    assert Offer.objects.count() == 0
    assert not AuditEvent.objects.filter(action=services.ACTION_OFFER_IMPORT).exists()

    failed = client.get(reverse("directory_staff:offer_import_failed", args=[run.pk]))
    rows = list(csv.reader(io.StringIO(failed.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-1] == "fehler" and len(rows) == 2
    assert rows[1][0] == "3" and rows[1][1] == "Kaputt" and "type_unknown" in rows[1][-1]


def test_missing_required_column_and_required_value(staff):
    run = services.offer_import_check(
        acting_user=staff.alice, owner=staff.org_a, data=b"titel,art\nA,Beratung\n", file_name="a.csv"
    )
    assert [(p["row"], p["column"], p["code"]) for p in run.problems] == [(1, "beschreibung", "column_missing")]
    run = services.offer_import_check(
        acting_user=staff.alice,
        owner=staff.org_a,
        data=(HEADER + ";Text;Beratung;;;;;;;\n").encode(),
        file_name="b.csv",
    )
    assert [(p["row"], p["column"], p["code"]) for p in run.problems] == [(2, "titel", "required")]


def test_windows_1252_semicolon_file(client, staff):
    content = (
        HEADER + "Beratung für Frauen;Gespräche über Arbeit und Schule;Beratung;Prenzlau;;Türkisch;Frauen;kostenlos;;\n"
    ).encode("cp1252")
    run = _upload(client, staff.org_a, content, publish=False)
    assert run.problems == [] and "Windows-1252" in run.file_format
    offers = services.offer_import_commit(acting_user=staff.alice, run=run)
    assert offers[0].title == "Beratung für Frauen" and offers[0].description.startswith("Gespräche über")
    assert offers[0].languages == ",tr," and offers[0].status == Status.DRAFT


def test_xlsx_file(staff):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(";"))
    sheet.append(
        ["Nähcafé", "Gemeinsam nähen", "Freizeit, Sport und Kultur", 12073452, "", "ar/de", "Frauen", 0, "", ""]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    run = services.offer_import_check(
        acting_user=staff.alice, owner=staff.org_a, data=buffer.getvalue(), file_name="liste.xlsx"
    )
    assert run.problems == [] and run.file_format == "XLSX"
    offer = services.offer_import_commit(acting_user=staff.alice, run=run)[0]
    assert offer.offer_type == "leisure" and offer.gemeinde_id == "12073452" and offer.is_free


def test_other_organisation_gets_404_on_import_run(client, staff):
    run = _upload(client, staff.org_a, EXAMPLE.read_bytes())
    login_verified(client, staff.charlie)
    for name in ("directory_staff:offer_import_run", "directory_staff:offer_import_failed"):
        assert client.get(reverse(name, args=[run.pk])).status_code == 404
    assert client.post(reverse("directory_staff:offer_import_run", args=[run.pk])).status_code == 404
    assert Offer.objects.count() == 0
    listing = client.get(reverse("directory_staff:offer_import")).content.decode()
    assert "angebote.csv" not in listing
    # Charlie cannot import into A's organisation either.
    response = client.post(
        reverse("directory_staff:offer_import"),
        {"file": SimpleUploadedFile("x.csv", EXAMPLE.read_bytes()), "owner": staff.org_a.pk},
    )
    assert response.status_code == 200 and OfferImport.objects.count() == 1


def test_anonymous_is_redirected(client, staff):
    client.logout()
    for url in (reverse("directory_staff:offer_import"), reverse("directory_staff:offer_import_run", args=[1])):
        response = client.get(url)
        assert response.status_code == 302 and "anmelden" in response["Location"]


def test_error_row_csv_neutralises_uploaded_formulas_and_mixed_encoding_is_refused(client, staff):
    """Issue 12, examples 2 and 5: error rows echo uploaded cells only neutralised; mojibake never stored."""
    content = (HEADER + '=HYPERLINK("http://evil.example");-2+3;Quatsch;;;;;;;\n').encode()
    run = _upload(client, staff.org_a, content)
    failed = client.get(reverse("directory_staff:offer_import_failed", args=[run.pk])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in failed and "'-2+3" in failed and ";=HYPERLINK" not in failed

    mixed = (
        HEADER + "Sprachcafé für Frauen;Wir üben Deutsch im Gespräch, jeden Donnerstag.;Sprachkurs;;;;;;;\n"
    ).encode()
    mixed += "Café für Männer;Wir üben Deutsch im Gespräch, jeden Freitag.;Sprachkurs;;;;;;;\n".encode("cp1252")
    run = _upload(client, staff.org_a, mixed)
    assert {(p["row"], p["code"]) for p in run.problems} >= {(3, "E_ENCODING_ROW")}
    assert not [r for r in run.rows if "Ã" in str(r)]
