"""Every action the platform records has a German label (issue 18: no raw keys such as "create" on pages)."""

from __future__ import annotations

import re
from pathlib import Path

from teilhabe.audit.labels import action_label, has_label
from teilhabe.audit.services import Action

ROOT = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r"(?:record\(\s*|ACTION_[A-Z_]+\s*=\s*)\"([a-z_.]+)\"")
# ``record("a.create" if created else "a.update", actor=…)``: every literal before the actor argument
RECORD_CALL = re.compile(r"record\((.{0,300}?)actor=", re.S)
CODE = re.compile(r"\"([a-z_]+\.[a-z_.]+)\"")


def recorded_actions() -> set[str]:
    codes = {value for name, value in vars(Action).items() if name.isupper()}
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        codes.update(LITERAL.findall(text))
        for call in RECORD_CALL.finditer(text):
            codes.update(CODE.findall(call.group(1)))
    return codes


def test_every_recorded_action_has_a_german_label() -> None:
    codes = recorded_actions()
    assert len(codes) > 40
    assert sorted(code for code in codes if not has_label(code)) == []


def test_labels_read_as_german() -> None:
    assert action_label("case.read") == "Akte: gelesen"
    assert action_label("read") == "Gelesen"
    assert action_label("population.import.commit") == "Bevölkerungsstatistik – Import: übernommen"
    assert action_label("auth.login_failed") == "Anmeldung: fehlgeschlagen"
