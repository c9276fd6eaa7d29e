"""Language addresses, hreflang, the link language switch, robots/sitemap/favicon, Offene Daten,
Leichte Sprache, the renamed staff login (issue 13, examples of item 6)."""

from __future__ import annotations

import lxml.html
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
LANGS = ["de", "en", "ar", "fa", "uk", "ru", "tr"]


def test_german_addresses_unchanged_and_prefixed_languages(client: Client, regions: None) -> None:
    assert 'lang="de"' in client.get("/").content.decode()
    for code in LANGS[1:]:
        page = client.get(f"/{code}/")
        assert page.status_code == 200, code
        assert f'<html lang="{code}"' in page.content.decode()
    arabic = client.get("/ar/rechtliches/impressum/").content.decode()
    assert 'dir="rtl"' in arabic
    # Links on an Arabic page stay in Arabic.
    assert 'href="/ar/rechtliches/datenschutz/"' in arabic


def test_hreflang_alternates_and_link_switch(client: Client, regions: None) -> None:
    page = lxml.html.fromstring(client.get("/datenquellen/").content)
    alternates = {link.get("hreflang"): link.get("href") for link in page.xpath("//link[@rel='alternate']")}
    assert set(alternates) == {*LANGS, "x-default"}
    assert alternates["ar"].endswith("/ar/datenquellen/")
    assert alternates["de"].endswith("/datenquellen/") and "/de/" not in alternates["de"]
    assert not page.xpath("//select[@name='language']"), "Sprachwahl braucht kein Formular mehr"
    link = page.xpath("//nav[contains(@class,'language-switch')]//a[@hreflang='fa']")[0]
    response = client.get(link.get("href"))
    assert response.status_code == 302 and response["Location"] == "/fa/datenquellen/"
    assert client.cookies["django_language"].value == "fa"
    # Back to German: the unprefixed address answers in German again.
    client.get("/sprache/de/?next=/fa/datenquellen/")
    assert '<html lang="de"' in client.get("/datenquellen/").content.decode()


def test_switch_rejects_foreign_targets(client: Client) -> None:
    response = client.get("/sprache/en/?next=https://evil.example/")
    assert response["Location"] == "/en/"


def test_staff_pages_have_no_alternates_and_only_de_en(client: Client, personas) -> None:  # type: ignore[no-untyped-def]
    page = lxml.html.fromstring(client.get("/konto/anmelden/").content)
    assert {a.get("hreflang") for a in page.xpath("//nav[contains(@class,'language-switch')]//a")} == {*LANGS}
    from teilhabe.core.testing import login_verified

    login_verified(client, personas.alice)
    staff = lxml.html.fromstring(client.get("/staff/").content)
    assert {a.get("hreflang") for a in staff.xpath("//nav[contains(@class,'language-switch')]//a")} == {"de", "en"}
    assert not staff.xpath("//link[@rel='alternate']")


def test_robots_sitemap_favicon(client: Client, regions: None) -> None:
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /staff/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<urlset" in sitemap and 'hreflang="ar"' in sitemap and "/ar/gemeinden/" in sitemap
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 301 and favicon["Location"].endswith(".svg")
    page = lxml.html.fromstring(client.get("/").content)
    assert page.xpath("//link[@rel='icon']")
    assert page.xpath("//meta[@name='description']")[0].get("content")


def test_open_data_page_lists_every_api_feed_and_download(client: Client, regions: None) -> None:
    html = client.get("/offene-daten/").content.decode()
    for path in [
        "/api/v1/indicators/",
        "/api/v1/schema/",
        "/api/v1/directory/offers/",
        "/api/v1/directory/events/",
        "/api/v1/directory/hsds.json",
        "/api/v1/directory/openapi.json",
        "/angebote/veranstaltungen.ics",
        "/sitemap.xml",
    ]:
        assert f'href="{path}"' in html, path
    assert "dl-de/by-2-0" in html and "CC BY 4.0" in html
    assert 'href="/offene-daten/"' in client.get("/").content.decode()


def test_easy_language_page_with_sign_language_slot(client: Client, regions: None) -> None:
    html = client.get("/leichte-sprache/").content.decode()
    assert "Leichte Sprache" in html and 'id="gebaerdensprache"' in html
    arabic = client.get("/ar/leichte-sprache/").content.decode()
    assert "لغة الإشارة الألمانية" in arabic


def test_staff_login_is_named_for_staff(client: Client, regions: None) -> None:
    page = lxml.html.fromstring(client.get("/").content)
    labels = [a.text_content().strip() for a in page.xpath("//nav[@aria-label]//a")]
    assert "Anmelden" not in labels
    assert "Anmeldung für Mitarbeitende" in labels


def test_the_language_switch_keeps_the_page_selection(client: Client, regions: None) -> None:
    page = lxml.html.fromstring(client.get("/datenquellen/?jahr=2024&q=Kita").content)
    alternates = {link.get("hreflang"): link.get("href") for link in page.xpath("//link[@rel='alternate']")}
    assert alternates["en"].endswith("/en/datenquellen/?jahr=2024&q=Kita")
    link = page.xpath("//nav[contains(@class,'language-switch')]//a[@hreflang='ar']")[0]
    response = client.get(link.get("href"))
    assert response.status_code == 302 and response["Location"] == "/ar/datenquellen/?jahr=2024&q=Kita"


def test_switching_from_a_prefixed_page_changes_its_prefix(client: Client, regions: None) -> None:
    # Found by a tester: /sprache/de/?next=/ar/… stayed on the Arabic address.
    assert client.get("/sprache/de/?next=/ar/datenquellen/")["Location"] == "/datenquellen/"
    assert client.get("/sprache/en/?next=/fa/datenquellen/%3Fq%3Dx")["Location"] == "/en/datenquellen/?q=x"
