"""Report correctness (issue 13, example 2): headings name the indicator, figures name their category,
changes compare different years, cover years and "Datenstand" agree with the data, maps have the Kreis
outline. Golden checks on the PDF text (pypdf) and the HTML edition."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from teilhabe.reports import services
from teilhabe.reports.content import build_content, geometries_for, section_charts
from teilhabe.reports.models import BuildStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def categorical_edition(monitoring: None, personas: Any, koordination: Any) -> Any:
    from django.conf import settings

    definition = services.definition_create(
        acting_user=koordination, owner=personas.org_a, kreis_ags=settings.TEILHABE_KREIS, title="Monitoring"
    )
    return services.edition_create(
        acting_user=koordination,
        definition=definition,
        title="Integrationsbericht 2024",
        slug="kategorien-2024",
        stichtag=date(2024, 12, 31),
        years=[2022, 2023, 2024],
        indicator_codes=["DEM-01", "DEM-07"],
    )


def _build(edition: Any) -> Any:
    build = services.run_build(services.build_request(acting_user=None, edition=edition, enqueue=False).pk)
    assert build.status == BuildStatus.DONE, build.error
    return build


def test_headings_captions_and_key_figures(categorical_edition: Any) -> None:
    build = _build(categorical_edition)
    content = build_content(categorical_edition, dict(build.snapshot))
    dem07 = next(s for c in content.chapters for s in c.sections if s.code == "DEM-07")
    assert dem07.title == "DEM-07: Familienstand Erwachsener nach Staatsangehörigkeit"
    assert dem07.figure_name == "Familienstand Erwachsener nach Staatsangehörigkeit – ledig"
    figure = next(k for k in content.key_figures if k.code == "DEM-07")
    assert "ledig" in figure.name and figure.name.startswith("Familienstand")
    for k in content.key_figures:
        assert k.previous_year is None or (k.year is not None and k.previous_year < k.year)
    # Cover years = the years of the tables; German dates.
    assert content.years == [2022, 2023, 2024]
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", content.snapshot_taken_at)
    assert content.stichtag == "31.12.2024"

    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(bytes(build.pdf))).pages)
    flat = " ".join(text.split())
    assert "DEM-07: ledig" not in flat
    assert "DEM-07: Familienstand Erwachsener nach Staatsangehörigkeit" in flat
    assert "ledig im Zeitverlauf" in flat and "Familienstand Erwachsener nach Staatsangehörigkeit – ledig" in flat
    assert "Berichtsjahre 2022–2024" in flat
    assert re.search(r"Datenstand: \d\d\.\d\d\.\d{4}", flat)
    assert "mit Familienstand x" not in flat


def test_map_has_kreis_outline(categorical_edition: Any) -> None:
    build = _build(categorical_edition)
    snapshot = dict(build.snapshot)
    content = build_content(categorical_edition, snapshot)
    section = content.chapters[0].sections[0]
    geometries = geometries_for(snapshot)
    assert "kreis" in geometries
    _series, with_outline = section_charts(section, content.kreis_name, geometries)
    _series, without = section_charts(
        section, content.kreis_name, {k: v for k, v in geometries.items() if k != "kreis"}
    )
    assert with_outline.count("<path") > without.count("<path")


def test_html_edition_headings(client: Client, categorical_edition: Any, koordination: Any) -> None:
    build = _build(categorical_edition)
    services.edition_publish(acting_user=koordination, edition=categorical_edition, build=build)
    html = client.get(f"/berichte/{categorical_edition.slug}/kapitel/a/").content.decode()
    assert "DEM-07: Familienstand Erwachsener nach Staatsangehörigkeit" in html
    assert "DEM-07: ledig" not in html
    assert "– ledig nach Gemeinden" in html


def test_html_edition_in_other_languages(client: Client, categorical_edition: Any, koordination: Any) -> None:
    from teilhabe.indicators.tests.test_i18n import german_blocks, wrong_language

    build = _build(categorical_edition)
    services.edition_publish(acting_user=koordination, edition=categorical_edition, build=build)
    for lang, name in [
        ("en", "Marital status of adults by nationality"),
        ("ar", "الحالة الاجتماعية للبالغين حسب الجنسية"),
    ]:
        slug = categorical_edition.slug
        html = client.get(f"/{lang}/berichte/{slug}/kapitel/a/").content.decode()
        assert f"DEM-07: {name}" in html
        assert wrong_language(html, lang) == [], lang
        overview = client.get(f"/{lang}/berichte/{slug}/").content.decode()
        assert wrong_language(overview, lang) == [], lang
        methods = client.get(f"/{lang}/berichte/{slug}/methoden/").content.decode()
        assert wrong_language(methods, lang) == [], lang
        # Methods text, caveats, sources and migration definitions are translated, not German blocks.
        for page in (html, overview, methods):
            assert german_blocks(page, lang) == [], lang
