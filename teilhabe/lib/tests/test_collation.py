"""German collation (issue 13, item 6: lists in German order)."""

from __future__ import annotations

import pytest

from teilhabe.lib.collation import german_key, german_sorted


def test_examples_from_the_issue() -> None:
    assert german_sorted(["Grünow", "Göritz"]) == ["Göritz", "Grünow"]
    assert german_sorted(["Schwedt/Oder", "Schönfeld"]) == ["Schönfeld", "Schwedt/Oder"]
    nationalities = ["ungeklärt", "Tuvalu", "Türkei", "Ägypten", "Albanien", "Afghanistan"]
    assert german_sorted(nationalities) == ["Afghanistan", "Ägypten", "Albanien", "Türkei", "Tuvalu", "ungeklärt"]


def test_sharp_s_case_and_ties() -> None:
    # Equal letters first, then upper case before lower case: a stable, total order.
    assert german_sorted(["straße", "Straße", "Strasse"]) == ["Strasse", "Straße", "straße"]
    assert german_key("Ähre")[0] == german_key("Ahre")[0]
    assert german_sorted(["b", "a", "A"]) == ["A", "a", "b"]


@pytest.mark.django_db
def test_public_lists_are_in_german_order(client, regions) -> None:  # type: ignore[no-untyped-def]
    # The Gemeinden overview, the start page and the directory's Gemeinde choices.
    for path in ("/gemeinden/", "/", "/angebote/"):
        html = client.get(path).content.decode()
        assert html.index("Göritz") < html.index("Grünow"), path
        assert html.index("Schönfeld") < html.index("Schwedt/Oder"), path
