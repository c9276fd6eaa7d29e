"""Edit forms round-trip every field group (issue 10, item 3): open the edit form as shown, post it
unchanged, and the stored values are identical — encrypted groups included. Absent input never overwrites."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from teilhabe.accounts.models import Organisation
from teilhabe.accounts.roles import Role
from teilhabe.core.testing import login_verified, make_user
from teilhabe.registry import services
from teilhabe.registry.crypto import decrypt_json
from teilhabe.registry.fieldgroups import FIELD_GROUPS, Protection
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import Case, FieldGroupEntry
from teilhabe.registry.tests.conftest import World

EDITABLE = [name for name in FIELD_GROUPS if name != "identitaet"]


class FormValues(HTMLParser):
    """What a browser would submit for each POST form on a page (inputs, selects, textareas)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self.values: dict[str, list[str]] = {}
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._in_form = True
            self.values = {}
            self.forms.append(self.values)
        if not self._in_form:
            return
        name = a.get("name", "")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button"):
                self.values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select":
            self._select = name
            self.values.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select].append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._in_form:
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = self.values[self._textarea][0]
            self.values[self._textarea] = [text[1:] if text.startswith("\n") else text]
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea][0] += data


def _as_shown(html: str) -> dict[str, list[str]]:
    parser = FormValues()
    parser.feed(html)
    # The edit form (it carries the legal basis), not e.g. the logout button or the language switch.
    return max(parser.forms, key=lambda form: ("legal_basis" in form, len(form)))


def _sample(group: str) -> dict[str, str]:
    values = {}
    for spec in FIELD_GROUPS[group].fields:
        if spec.kind == "date":
            values[spec.name] = "2024-02-29"
        elif spec.kind == "choice":
            values[spec.name] = str(spec.choices[-1][0])
        elif spec.kind == "textarea":
            values[spec.name] = "Zeile eins – ü\nسطر ثان"
        else:
            values[spec.name] = f"Wert {spec.name} – ä ß ع"
    return values


@pytest.mark.parametrize("group", EDITABLE)
def test_posting_the_edit_form_unchanged_keeps_every_value(db, settings, group: str) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REGISTRY_ENCRYPTION_KEYS = ["test-only-registry-key-1"]
    settings.REGISTRY_ART9_GROUPS = ["gesundheit"]
    spec = FIELD_GROUPS[group]
    kind = sorted(str(k) for k in spec.writers)[0]
    org = Organisation.objects.create(name=f"Stelle {kind}", kind=kind)
    user = make_user(f"fa-{group}", org, Role.FALLAUFSICHT)
    case = services.case_create(
        acting_user=user,
        owner=org,
        data={"family_name": "Rundweg", "family_name_latin": "Rundweg", "legal_basis": LegalBasis.ART6_1_E},
    )
    basis = LegalBasis.ART9_2_B if spec.protection == Protection.ART9 else LegalBasis.ART6_1_E
    services.fieldgroup_save(acting_user=user, case=case, group=group, data=_sample(group), legal_basis=basis)
    entry = FieldGroupEntry.objects.get(case=case, group=group)
    stored = decrypt_json(entry.data)
    assert stored == _sample(group)
    if spec.protection in services.ENCRYPTED_CLASSES:
        assert "_enc" in entry.data  # really encrypted at rest, so the form must decrypt

    client = login_verified(Client(), user)
    url = reverse("registry:fieldgroup", kwargs={"pk": case.pk, "group": group})
    shown = _as_shown(client.get(url).content.decode())
    for name, value in _sample(group).items():  # the form shows the stored values (example 3)
        assert shown[name] == [value], (group, name, shown.get(name))
    assert client.post(url, shown).status_code == 302
    entry.refresh_from_db()
    assert decrypt_json(entry.data) == stored and entry.legal_basis == basis
    assert entry.version == 1  # nothing changed, nothing written


def test_health_form_changing_one_field_keeps_the_others(world: World) -> None:
    """Example 3: posting the health form as shown with one change must not wipe the notes."""
    client = world.client(world.dora)
    url = reverse("registry:fieldgroup", kwargs={"pk": world.case.pk, "group": "gesundheit"})
    shown = _as_shown(client.get(url).content.decode())
    assert shown["support_need"] == ["ja"] and "Quarkdiabetes" in shown["notes"][0]
    shown["support_need"] = ["nein"]
    assert client.post(url, shown).status_code == 302
    values = decrypt_json(FieldGroupEntry.objects.get(case=world.case, group="gesundheit").data)
    assert values["notes"].startswith("Quarkdiabetes") and values["support_need"] == "nein"


def test_absent_input_never_overwrites(world: World) -> None:
    services.fieldgroup_save(
        acting_user=world.p.alice,
        case=world.case,
        group="sprachkurs",
        data={"level": "B1"},  # provider and course type are not in the input
        legal_basis=LegalBasis.ART6_1_E,
    )
    values = decrypt_json(FieldGroupEntry.objects.get(case=world.case, group="sprachkurs").data)
    assert values["provider"] == "VHS Kursträgerstadt" and values["level"] == "B1"


def test_identity_form_round_trips(world: World) -> None:
    client = world.client(world.p.alice)
    url = reverse("registry:edit", kwargs={"pk": world.case.pk})
    before: dict[str, object] = dict(Case.objects.filter(pk=world.case.pk).values().get())
    shown = _as_shown(client.get(url).content.decode())
    assert client.post(url, shown).status_code == 302
    after: dict[str, object] = dict(Case.objects.filter(pk=world.case.pk).values().get())
    for key in ("updated_at", "azr_number_enc"):  # ciphertext is re-randomised only on change
        before.pop(key), after.pop(key)
    assert after == before
    assert Case.objects.get(pk=world.case.pk).azr_number == world.case.azr_number
