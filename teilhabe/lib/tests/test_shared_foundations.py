from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory, override_settings

from teilhabe.core.client import client_address
from teilhabe.lib.formats import format_date, format_int, format_number, format_period_days
from teilhabe.lib.textnorm import fold, fold_umlauts


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("أحمد", "احمد"),
        ("الأَلْمانِيَّة", "الالمانيه"),
        ("المدرسة", "المدرسه"),
        ("آلماني", "الماني"),
        ("علی", "علي"),
        ("کریم", "كريم"),
        ("Фёдор", "федор"),
        ("Ґалина", "галина"),
        ("Al-Aḥmad", "al ahmad"),
        ("Şükrü", "sukru"),
        ("O’Brien", "obrien"),
    ],
)
def test_fold_makes_spelling_variants_equal(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_fold_umlaut_transcriptions_match() -> None:
    assert fold_umlauts("für") == fold_umlauts("fuer") == fold_umlauts("fur")
    assert fold("Straße") == "strasse"


def test_german_formats() -> None:
    assert format_date(dt.date(2026, 11, 30)) == "30.11.2026"
    assert format_date("2023-04-15") == "15.04.2023"
    assert format_int(117803) == "117.803"
    assert format_number(1234.56, 1) == "1.234,6"
    assert format_number(float("nan")) == "–"
    assert format_period_days(3650) == "10 Jahre"
    assert format_period_days(180) == "6 Monate"
    assert format_period_days(14) == "14 Tage"


def test_client_address_ignores_forged_header_without_trusted_proxy() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "203.0.113.9"


@override_settings(TEILHABE_TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8"])
def test_client_address_behind_trusted_proxies() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7, 10.1.2.3")
    # 1.2.3.4 was added by the client itself; the first untrusted hop from the right is the client.
    assert client_address(request) == "198.51.100.7"
