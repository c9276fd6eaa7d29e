"""pyxform's JSON form → the questions the web form shows and the server checks. Django-free.

``build(form)`` walks pyxform's JSON (``ConvertResult._pyxform``, stored in ``SurveyVersion.form``) and
returns ``Spec`` with a tree of ``Group``/``Question`` items. Every expression is rewritten once into the
XPath that both the browser and the server evaluate (``xpath.to_xpath``). Question keys are paths below the
instance root without it, e.g. ``"wohnen/miete"``; answers are stored under these keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from teilhabe.surveys import xpath

QUESTION_TYPES = {"text", "integer", "decimal", "date", "select one", "select all that apply", "note"}
SELECT_TYPES = {"select one", "select all that apply"}
# Accepted, never shown and never collected: computed values and device metadata (anonymity).
IGNORED_TYPES = {
    "calculate", "start", "end", "today", "deviceid", "uri:deviceid", "subscriberid", "simserial",
    "phonenumber", "username", "email", "audit", "start-geopoint", "hidden",
}  # fmt: skip
TYPE_NAMES_DE = {
    "repeat in repeat": "Wiederholungsgruppe in einer Wiederholungsgruppe (repeat in repeat)",
    "loop": "Schleife (loop)",
    "geopoint": "Standort (geopoint)",
    "geotrace": "Linie (geotrace)",
    "geoshape": "Fläche (geoshape)",
    "photo": "Foto (image)",
    "audio": "Tonaufnahme (audio)",
    "video": "Video (video)",
    "file": "Datei (file)",
    "barcode": "Strichcode (barcode)",
    "time": "Uhrzeit (time)",
    "datetime": "Datum mit Uhrzeit (dateTime)",
    "acknowledge": "Bestätigung (acknowledge)",
    "range": "Skala (range)",
    "rank": "Rangfolge (rank)",
    "select one external": "Auswahl aus externer Datei (select_one_external)",
    "phone number": "Telefonnummer (phone number)",
}
_CODE = re.compile(r"\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\)\s*$")
RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "ckb", "dv", "yi", "sd", "ug", "prs"}
DEFAULT = "default"


@dataclass
class Question:
    name: str
    key: str
    path: str
    type: str
    label: Any
    hint: Any = None
    required: bool = False
    required_msg: Any = None
    relevant: str = ""
    constraint: str = ""
    constraint_msg: Any = None
    choice_filter: str = ""
    choices: list[dict[str, Any]] = field(default_factory=list)
    appearance: str = ""

    @property
    def is_select(self) -> bool:
        return self.type in SELECT_TYPES

    @property
    def multiple(self) -> bool:
        return self.type == "select all that apply"

    @property
    def collects(self) -> bool:
        return self.type != "note"


@dataclass
class Group:
    name: str
    key: str
    path: str
    label: Any
    relevant: str = ""
    children: list[Question | Group] = field(default_factory=list)


@dataclass
class Repeat(Group):
    """``begin_repeat``: its questions are answered any number of times. Answers are stored under the
    repeat's key as a list of dicts keyed by the question key relative to the repeat (``"alter"``,
    ``"gruppe/frage"``); ``limit`` caps the instances a web form accepts."""

    limit: int = 20

    def questions(self) -> Iterator[Question]:
        yield from _questions(self.children, into_repeats=True)

    def relative(self, key: str) -> str:
        return key[len(self.key) + 1 :]


@dataclass
class Spec:
    root: str
    title: str
    items: list[Question | Group]
    ignored: list[str]

    def questions(self) -> Iterator[Question]:
        """The questions outside repeats (one answer each)."""
        yield from _questions(self.items)

    def repeats(self) -> Iterator[Repeat]:
        yield from _repeats(self.items)

    def all_questions(self) -> Iterator[Question]:
        """Every question including those inside repeats (keys with the repeat's key as prefix)."""
        yield from _questions(self.items, into_repeats=True)

    def by_key(self) -> dict[str, Question]:
        return {q.key: q for q in self.all_questions()}


def _questions(items: list[Question | Group], into_repeats: bool = False) -> Iterator[Question]:
    for item in items:
        if isinstance(item, Repeat) and not into_repeats:
            continue
        if isinstance(item, Group):
            yield from _questions(item.children, into_repeats)
        else:
            yield item


def _repeats(items: list[Question | Group]) -> Iterator[Repeat]:
    for item in items:
        if isinstance(item, Repeat):
            yield item
        elif isinstance(item, Group):
            yield from _repeats(item.children)


class UnsupportedType(ValueError):
    def __init__(self, name: str, qtype: str) -> None:
        super().__init__(qtype)
        self.name, self.qtype = name, qtype


def language_code(key: str) -> str | None:
    """``"العربية (ar)"`` → ``"ar"``; ``None`` when the column names no code."""
    match = _CODE.search(key)
    return match.group(1) if match else None


def direction(code: str) -> str:
    return "rtl" if code.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def language_keys(form: dict[str, Any]) -> list[str]:
    """The language keys of label/hint dicts in document order (``"default"`` for untranslated columns)."""
    keys: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for name in ("label", "hint"):
                value = node.get(name)
                if isinstance(value, dict):
                    keys.extend(k for k in value if k not in keys)
                elif isinstance(value, str) and value and DEFAULT not in keys:
                    keys.append(DEFAULT)
            for child in node.get("children", []):
                visit(child)
            for choice in node.get("choices", []) if isinstance(node.get("choices"), list) else []:
                visit(choice)

    visit(form)
    return keys


def text(value: Any, language: str, fallback: str = DEFAULT) -> str:
    """The text of a label/hint/message for a language key, falling back to ``fallback`` and any text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in (language, fallback, DEFAULT):
            if value.get(key):
                return str(value[key])
        return ""
    return str(value)


def _refs(form: dict[str, Any]) -> dict[str, tuple[str, str]]:
    refs: dict[str, tuple[str, str]] = {}

    def visit(children: list[dict[str, Any]], path: str) -> None:
        for child in children:
            child_path = f"{path}/{child['name']}"
            refs.setdefault(child["name"], (child_path, child.get("type", "")))
            if child.get("type") in {"group", "repeat", "loop"}:
                visit(child.get("children", []), child_path)

    visit(form.get("children", []), f"/{form.get('name', 'data')}")
    return refs


def _required(value: Any) -> bool:
    return str(value or "").strip().lower() in {"yes", "true", "true()", "1"}


def build(form: dict[str, Any]) -> Spec:
    """Raises ``UnsupportedType`` for a question type the web form does not offer and
    ``xpath.ExpressionError`` (with ``.name`` set to the question) for a bad expression."""
    root = f"/{form.get('name', 'data')}"
    refs = _refs(form)
    ignored: list[str] = []

    def expr(value: Any, name: str, current: tuple[str, str] | None) -> str:
        if not value or not str(value).strip():
            return ""
        try:
            return xpath.to_xpath(str(value), refs=refs, current=current)
        except xpath.ExpressionError as error:
            error.name = name  # type: ignore[attr-defined]
            raise

    def walk(children: list[dict[str, Any]], path: str, in_repeat: bool = False) -> list[Question | Group]:
        items: list[Question | Group] = []
        for child in children:
            ctype, name = child.get("type", ""), child["name"]
            child_path = f"{path}/{name}"
            key = child_path[len(root) + 1 :]
            bind = child.get("bind", {}) or {}
            if ctype == "repeat":
                if in_repeat:
                    raise UnsupportedType(name, "repeat in repeat")
                items.append(
                    Repeat(name, key, child_path, child.get("label"), expr(bind.get("relevant"), name, None),
                           walk(child.get("children", []), child_path, True))
                )  # fmt: skip
                continue
            if ctype == "group":
                if (child.get("control") or {}).get("bodyless"):
                    continue  # pyxform's meta/instanceID
                items.append(
                    Group(name, key, child_path, child.get("label"), expr(bind.get("relevant"), name, None),
                          walk(child.get("children", []), child_path, in_repeat))
                )  # fmt: skip
                continue
            if ctype in IGNORED_TYPES:
                ignored.append(name)
                continue
            if ctype not in QUESTION_TYPES:
                raise UnsupportedType(name, ctype)
            current = (child_path, ctype)
            question = Question(
                name=name,
                key=key,
                path=child_path,
                type=ctype,
                label=child.get("label"),
                hint=child.get("hint"),
                required=_required(bind.get("required")),
                required_msg=bind.get("jr:requiredMsg"),
                relevant=expr(bind.get("relevant"), name, None),
                constraint=expr(bind.get("constraint"), name, current),
                constraint_msg=bind.get("jr:constraintMsg"),
                appearance=str((child.get("control") or {}).get("appearance", "")),
            )
            if question.is_select:
                question.choices = list(child.get("choices") or form.get("choices", {}).get(child.get("itemset"), []))
                question.choice_filter = expr(child.get("choice_filter"), name, None)
            items.append(question)
        return items

    items = walk(form.get("children", []), root)
    return Spec(root=root, title=str(form.get("title") or form.get("name") or ""), items=items, ignored=ignored)
