from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import login_verified
from teilhabe.indicators.compute import compute
from teilhabe.indicators.models import AgencyValue, Indicator, IndicatorValue
from teilhabe.indicators.tests.conftest import CUSTOM_INDICATOR_FORM, put
from teilhabe.regions.models import Gemeinde, Kreis

pytestmark = pytest.mark.django_db
KREIS = "12073"

STAFF_GET = [
    "/staff/monitoring/",
    "/staff/monitoring/indikator/DEM-01/",
    "/staff/monitoring/aggregate/",
    "/staff/monitoring/aggregate/neu/",
    "/staff/monitoring/aggregate/import/",
    "/staff/monitoring/indikator/neu/",
]


def gemeinden() -> list[str]:
    return list(Gemeinde.objects.filter(kreis_id=KREIS, is_gemeinde=True).order_by("ags").values_list("ags", flat=True))


@pytest.fixture
def data(catalogue: None, personas: Any) -> list[str]:
    ags = gemeinden()
    for code in ags:
        put("ba_beschaeftigte_auslaender", code, 2024, 40, personas.landkreis)
        put("ew_auslaender_15_65", code, 2024, 100, personas.landkreis)
    compute(kreis=Kreis.objects.get(ags=KREIS))
    Indicator.objects.filter(code="DEM-01").update(is_published=True)
    return ags


def test_public_pages_show_only_published_indicators(data: list[str], client: Client) -> None:
    index = client.get("/monitoring/").content.decode()
    assert "DEM-01" in index and "ARB-01" not in index
    assert client.get("/monitoring/indikator/DEM-01/").status_code == 200
    assert client.get("/monitoring/indikator/ARB-01/").status_code == 404
    profile = client.get(f"/monitoring/gemeinde/{data[0]}/").content.decode()
    assert "DEM-01" in profile and "ARB-01" not in profile
    assert client.get("/api/v1/indicators/ARB-01/").json()["error"]["code"] == "not_found"
    assert [i["code"] for i in client.get("/api/v1/indicators/").json()["results"]] == ["DEM-01"]


def test_public_detail_has_chart_map_table_and_exports(data: list[str], client: Client) -> None:
    html = client.get("/monitoring/indikator/DEM-01/").content.decode()
    assert html.count("<svg") >= 3  # time series, map, comparison
    assert "<script" not in html and 'style="' not in html
    assert "Daten zum Diagramm Zeitverlauf" in html
    csv_response = client.get("/monitoring/indikator/DEM-01/?format=csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "Gebiet" in csv_response.content.decode("utf-8-sig").splitlines()[0]
    xlsx = client.get(f"/monitoring/gemeinde/{data[0]}/?format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_api_schema_and_error_shape(data: list[str], client: Client) -> None:
    schema = client.get("/api/v1/schema/").json()
    assert schema["openapi"].startswith("3.") and "/api/v1/indicators/{code}/values/" in schema["paths"]
    bad = client.get("/api/v1/indicators/DEM-01/values/?level=land")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_level"
    assert client.get("/api/v1/unbekannt/").json()["error"]["code"] == "not_found"
    values = client.get("/api/v1/indicators/DEM-01/values/?level=kreis").json()
    assert values["results"][0]["region"] == KREIS


@pytest.mark.parametrize("url", STAFF_GET)
def test_staff_routes_require_login_and_permission(data: list[str], personas: Any, client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
    login_verified(client, personas.charlie)
    assert client.get(url).status_code == 403


def test_charlie_gets_403_on_object_routes(data: list[str], personas: Any, client: Client) -> None:
    value = AgencyValue.objects.first()
    assert value is not None
    login_verified(client, personas.charlie)
    assert client.get(f"/staff/monitoring/aggregate/{value.pk}/").status_code == 403
    assert client.post(f"/staff/monitoring/aggregate/{value.pk}/loeschen/").status_code == 403
    assert client.post("/staff/monitoring/indikator/ARB-01/veroeffentlichung/", {"publish": "1"}).status_code == 403
    assert client.get(f"/staff/monitoring/gemeinde/{data[0]}/").status_code == 403


def test_gemeinde_role_views_but_cannot_manage(data: list[str], gemeinde_user: Any, client: Client) -> None:
    login_verified(client, gemeinde_user)
    assert client.get("/staff/monitoring/indikator/ARB-01/").status_code == 200
    assert client.get("/staff/monitoring/aggregate/").status_code == 403


def test_agency_value_outside_scope_is_404(data: list[str], personas: Any, statistik: Any, client: Client) -> None:
    from teilhabe.accounts.roles import Role
    from teilhabe.core.testing import make_user

    other = make_user("ole", personas.org_b, Role.STATISTIK)
    value = AgencyValue.objects.first()
    assert value is not None
    login_verified(client, other)
    assert client.get(f"/staff/monitoring/aggregate/{value.pk}/").status_code == 404
    assert client.post(f"/staff/monitoring/aggregate/{value.pk}/loeschen/").status_code == 404


def test_form_entry_recomputes_and_audits(data: list[str], personas: Any, statistik: Any, client: Client) -> None:
    login_verified(client, statistik)
    response = client.post(
        "/staff/monitoring/aggregate/neu/",
        {
            "organisation": personas.landkreis.pk,
            "source_key": "ba_beschaeftigte_auslaender",
            "ags": data[0],
            "year": 2024,
            "value": "70",
            "source_document": "BA Beschäftigte 30.06.2024",
        },
    )
    assert response.status_code == 302
    stored = AgencyValue.objects.get(source_key="ba_beschaeftigte_auslaender", ags=data[0], year=2024)
    assert stored.value == 70 and stored.entered_by == statistik and stored.source_document.startswith("BA")
    assert IndicatorValue.objects.get(indicator__code="ARB-01", region=data[0], year=2024).value == 70
    event = AuditEvent.objects.filter(object_type="indicators.agencyvalue", object_id=str(stored.pk)).last()
    assert event is not None and event.action == "update" and event.user == statistik


def test_publish_toggle_audited(data: list[str], statistik: Any, client: Client) -> None:
    login_verified(client, statistik)
    client.post("/staff/monitoring/indikator/ARB-01/veroeffentlichung/", {"publish": "1"})
    assert Indicator.objects.get(code="ARB-01").is_published
    assert AuditEvent.objects.filter(action="indicators.publish").exists()
    assert client.get("/monitoring/indikator/ARB-01/").status_code == 200


def test_import_errors_have_row_column_code_and_nothing_is_written(
    data: list[str], personas: Any, statistik: Any, client: Client
) -> None:
    login_verified(client, statistik)
    content = (
        "quellschluessel;ebene;ags;jahr;wert;quelldokument\n"
        f"sgb2_leb_auslaender;gemeinde;{data[0]};2024;12;Jobcenter\n"
        f"unbekannt;gemeinde;{data[0]};2024;5;x\n"
        f"sgb2_leb_auslaender;gemeinde;99999999;2024;5;x\n"
        f"sgb2_leb_auslaender;gemeinde;{data[1]};20x4;-1;x\n"
    ).encode("cp1252")
    before = AgencyValue.objects.count()
    response = client.post(
        "/staff/monitoring/aggregate/import/",
        {
            "organisation": personas.landkreis.pk,
            "commit": "1",
            "file": SimpleUploadedFile("jc.csv", content, content_type="text/csv"),
        },
    )
    html = response.content.decode()
    assert "Zeile 3, Spalte „quellschluessel“" in html and "[source_key_unknown]" in html
    assert "Zeile 4, Spalte „ags“" in html and "[ags_unknown]" in html
    assert "[year_invalid]" in html and "[value_invalid]" in html
    assert AgencyValue.objects.count() == before
    assert not AuditEvent.objects.filter(action="indicators.agency_import").exists()


def test_import_dry_run_then_atomic_commit_with_audit(
    data: list[str], personas: Any, statistik: Any, client: Client
) -> None:
    login_verified(client, statistik)
    lines = ["Quellschlüssel,Ebene,AGS,Jahr,Wert,Quelldokument"]
    lines += [f'sgb2_leb_auslaender,gemeinde,{ags},2024,"1.234,0",Jobcenter Statistik 12/2024' for ags in data]
    content = ("\n".join(lines) + "\n").encode("utf-8")

    def upload(**extra: str) -> Any:
        return client.post(
            "/staff/monitoring/aggregate/import/",
            {
                "organisation": personas.landkreis.pk,
                **extra,
                "file": SimpleUploadedFile("jc.csv", content, content_type="text/csv"),
            },
        )

    response = upload(dry_run="1")
    assert "Prüfung ohne Fehler" in response.content.decode()
    assert not AgencyValue.objects.filter(source_key="sgb2_leb_auslaender").exists()
    response = upload(commit="1")
    assert response.status_code == 302
    assert AgencyValue.objects.filter(source_key="sgb2_leb_auslaender", value=1234.0).count() == len(data)
    event = AuditEvent.objects.get(action="indicators.agency_import")
    assert event.extra["rows"] == len(data) and event.user == statistik


def test_import_xlsx(data: list[str], personas: Any, statistik: Any, client: Client) -> None:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["quellschluessel", "ags", "jahr", "wert", "quelldokument"])
    sheet.append(["asylblg_empfaenger", int(data[0]), 2024, 17, "Sozialamt"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    login_verified(client, statistik)
    response = client.post(
        "/staff/monitoring/aggregate/import/",
        {
            "organisation": personas.landkreis.pk,
            "commit": "1",
            "file": SimpleUploadedFile("sozialamt.xlsx", buffer.getvalue()),
        },
    )
    assert response.status_code == 302
    assert AgencyValue.objects.get(source_key="asylblg_empfaenger").ags == data[0]


def test_custom_indicator_without_code(data: list[str], personas: Any, statistik: Any, client: Client) -> None:
    login_verified(client, statistik)
    response = client.post(
        "/staff/monitoring/indikator/neu/",
        {"organisation": personas.landkreis.pk, **CUSTOM_INDICATOR_FORM, "multiplier": "100", "unit": "%"},
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="KR-01")
    assert indicator.is_custom and indicator.owner == personas.landkreis
    assert IndicatorValue.objects.get(indicator=indicator, region=KREIS, year=2024).value == pytest.approx(40.0)
    assert AuditEvent.objects.filter(object_type="indicators.indicator", action="create").exists()


def test_other_organisation_cannot_overwrite_values(data: list[str], personas: Any, client: Client) -> None:
    from teilhabe.accounts.roles import Role
    from teilhabe.core.testing import make_user

    other = make_user("ole", personas.org_b, Role.STATISTIK)
    login_verified(client, other)
    content = f"quellschluessel;ags;jahr;wert\nba_beschaeftigte_auslaender;{data[0]};2024;99\n".encode()
    response = client.post(
        "/staff/monitoring/aggregate/import/",
        {
            "organisation": personas.org_b.pk,
            "commit": "1",
            "file": SimpleUploadedFile("b.csv", content, content_type="text/csv"),
        },
    )
    assert "[owned_elsewhere]" in response.content.decode()
    assert AgencyValue.objects.get(source_key="ba_beschaeftigte_auslaender", ags=data[0]).value == 40
    response = client.post(
        "/staff/monitoring/aggregate/neu/",
        {
            "organisation": personas.org_b.pk,
            "source_key": "ba_beschaeftigte_auslaender",
            "ags": data[0],
            "year": 2024,
            "value": "99",
            "source_document": "x",
        },
    )
    assert response.status_code == 200 and "gepflegt" in response.content.decode()
    # Catalogue indicators are published for the district only by the Landkreis office.
    assert client.post("/staff/monitoring/indikator/ARB-01/veroeffentlichung/", {"publish": "1"}).status_code == 403
