"""The checks behind the staff language walk find what the issue found, and leave plain German alone."""

from __future__ import annotations

from teilhabe.core.staff_text_checks import check_staff_page


def kinds(body: str) -> list[str]:
    return [f.kind for f in check_staff_page(f"<html><body>{body}</body></html>")]


def test_it_finds_the_issue_examples() -> None:
    assert kinds("<p>Zeile 3: Wert fehlt [value_invalid]</p>") == ["technischer Schlüssel"]
    assert kinds("<select><option value='create'>create</option></select>") == ["englisches Wort"]
    assert kinds("<td>Überprüfung am 2026-12-15</td>") == ["ISO-Datum"]
    assert kinds("<td class='kern-table__cell--numeric'>117803</td>") == ["Zahl ohne Tausenderpunkt"]
    assert kinds("<h3>01 alter_staatsangehoerigkeit</h3>") == ["technischer Schlüssel"]


def test_it_leaves_german_and_technical_markup_alone() -> None:
    assert kinds("<td class='kern-table__cell--numeric'>117.803</td><td>30.11.2026</td>") == []
    assert kinds("<p>Spalte <code>staatsangehoerigkeit_1</code> fehlt.</p>") == []
    assert kinds("<p>Mail an info_stelle@example.org</p><td>12073008</td>") == []
