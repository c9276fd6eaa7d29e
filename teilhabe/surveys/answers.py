"""Server-side check of a submitted form: types, relevance, required, constraints, choice filters.

``check(spec, raw, language)`` takes the raw posted values (key → list of strings), returns ``Checked``
with clean answers (only relevant questions; select_multiple as a list of codes, numbers as text in
canonical form, dates ISO) and German/translated error messages per key. The same XPath the browser
evaluates is evaluated here with elementpath on an XML instance built from the answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from xml.etree import ElementTree as ET

from django.utils.translation import gettext as _

from teilhabe.surveys import xpath
from teilhabe.surveys.formspec import Group, Question, Repeat, Spec, text

MAX_TEXT = 2000
_INT = re.compile(r"^[+-]?\d{1,12}$")
_DEC = re.compile(r"^[+-]?\d{1,12}(?:[.,]\d{1,8})?$")


@dataclass
class Checked:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    relevant: set[str] = field(default_factory=set)
    complete: bool = True


def _parse(question: Question, values: Sequence[str]) -> tuple[Any, str | None]:
    """(clean value or None, error) for one question's raw values."""
    values = [v.strip() for v in values if v is not None and v.strip() != ""]
    if not values:
        return None, None
    if question.multiple:
        return sorted(set(values), key=values.index), None
    value = values[0]
    if question.type == "integer":
        if not _INT.match(value):
            return None, _("Bitte eine ganze Zahl eingeben, zum Beispiel 12.")
        return str(int(value)), None
    if question.type == "decimal":
        if not _DEC.match(value):
            return None, _("Bitte eine Zahl eingeben, zum Beispiel 12,5.")
        return value.replace(",", "."), None
    if question.type == "date":
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return datetime.strptime(value, fmt).date().isoformat(), None
            except ValueError:
                continue
        return None, _("Bitte ein Datum eingeben (TT.MM.JJJJ).")
    if len(value) > MAX_TEXT:
        return None, _("Die Antwort ist zu lang (höchstens 2000 Zeichen).")
    return value, None


def instance(spec: Spec, answers: Mapping[str, Any]) -> ET.Element:
    """The XML instance of the answers (unanswered and non-relevant questions as empty elements)."""
    root = ET.Element(spec.root.strip("/"))

    def add(parent: ET.Element, items: list[Question | Group], values: Mapping[str, Any], prefix: str) -> None:
        for item in items:
            if isinstance(item, Repeat):
                # One element per instance; with none, one empty element so paths inside still resolve.
                for entry in values.get(item.key) or [{}]:
                    add(ET.SubElement(parent, item.name), item.children, entry, item.key + "/")
                continue
            element = ET.SubElement(parent, item.name)
            if isinstance(item, Group):
                add(element, item.children, values, prefix)
            else:
                value = values.get(item.key[len(prefix) :] if prefix else item.key)
                element.text = " ".join(value) if isinstance(value, list) else (value or "")

    add(root, spec.items, answers, "")
    return root


def repeat_field(repeat: Repeat, index: int, question: Question) -> str:
    """The form field name of a question in one repeat instance: ``"kinder.0.alter"``."""
    return f"{repeat.key}.{index}.{repeat.relative(question.key)}"


def repeat_count(repeat: Repeat, raw: Callable[[str], list[str]]) -> int:
    """Instances posted for a repeat (hidden field ``<key>.count``), capped at ``repeat.limit``."""
    values = raw(f"{repeat.key}.count")
    try:
        return max(0, min(repeat.limit, int(values[0]))) if values else 0
    except ValueError:
        return 0


def allowed_choices(question: Question, root: ET.Element) -> list[dict[str, Any]]:
    """The choices left by the choice filter (evaluated with each choice as context item)."""
    if not question.choice_filter:
        return question.choices
    result = []
    for choice in question.choices:
        item = ET.SubElement(root, "_choice")
        for key, value in choice.items():
            if key != "label" and isinstance(value, str | int | float):
                ET.SubElement(item, key).text = str(value)
        try:
            if xpath.evaluate(question.choice_filter, root, item):
                result.append(choice)
        finally:
            root.remove(item)
    return result


def relevant_keys(spec: Spec, root: ET.Element) -> set[str]:
    """Keys of the questions that are relevant (their own and every enclosing group's ``relevant``)."""
    relevant: set[str] = set()

    def walk(items: list[Question | Group], parent_relevant: bool) -> None:
        for item in items:
            if isinstance(item, Repeat):
                continue  # checked per instance (``_check_repeat``)
            node = root.find(item.path.split("/", 2)[2]) if item.path.count("/") > 1 else root
            shown = parent_relevant and (not item.relevant or xpath.evaluate(item.relevant, root, node))
            if isinstance(item, Group):
                walk(item.children, shown)
            elif shown:
                relevant.add(item.key)

    walk(spec.items, True)
    return relevant


def check(spec: Spec, raw: Callable[[str], list[str]], language: str) -> Checked:
    """``raw(key)`` returns the posted values of one question (``request.POST.getlist``)."""
    result = Checked()
    parsed: dict[str, Any] = {}
    for question in spec.questions():
        if question.collects:
            value, error = _parse(question, raw(question.key))
            if error:
                result.errors[question.key] = error
            elif value is not None:
                parsed[question.key] = value
    # Relevance until stable: a question that becomes irrelevant loses its answer (as in ODK).
    relevant: set[str] = set()
    for _round in range(5):
        relevant = relevant_keys(spec, instance(spec, parsed))
        dropped = [key for key in parsed if key not in relevant]
        for key in dropped:
            del parsed[key]
        if not dropped:
            break
    result.relevant = relevant
    root = instance(spec, parsed)
    for question in spec.questions():
        key = question.key
        if key not in relevant:
            result.errors.pop(key, None)
            continue
        if not question.collects or key in result.errors:
            continue
        value = parsed.get(key)
        if value is None:
            if question.required:
                result.errors[key] = text(question.required_msg, language) or _("Bitte beantworten Sie diese Frage.")
            else:
                result.complete = False
            continue
        if question.is_select:
            codes = {str(c["name"]) for c in allowed_choices(question, root)}
            chosen = value if isinstance(value, list) else [value]
            if any(code not in codes for code in chosen):
                result.errors[key] = _("Bitte wählen Sie eine der angebotenen Antworten.")
                continue
        if question.constraint:
            node = root.find(question.path.split("/", 2)[2])
            if not xpath.evaluate(question.constraint, root, node):
                result.errors[key] = text(question.constraint_msg, language) or _("Diese Antwort ist nicht zulässig.")
                continue
        result.answers[key] = value
    for repeat in spec.repeats():
        _check_repeat(spec, repeat, raw, language, result)
    return result


def _check_repeat(spec: Spec, repeat: Repeat, raw: Callable[[str], list[str]], language: str, result: Checked) -> None:
    """Each instance is checked like a small form, its expressions evaluated on an instance in which the
    repeat holds just this entry (``${name}`` inside a repeat refers to the same instance, as in ODK).
    Errors are keyed by the instance's field name; instances without any answer are dropped."""
    root = instance(spec, result.answers)
    path = repeat.path.split("/", 2)[2]
    node = root.find(path)
    if repeat.relevant and not xpath.evaluate(repeat.relevant, root, node):
        return
    entries: list[dict[str, Any]] = []
    for index in range(repeat_count(repeat, raw)):
        entry: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for question in repeat.questions():
            if question.collects:
                value, error = _parse(question, raw(repeat_field(repeat, index, question)))
                if error:
                    errors[repeat_field(repeat, index, question)] = error
                elif value is not None:
                    entry[repeat.relative(question.key)] = value
        if not entry and not errors:
            continue
        root = instance(spec, {**result.answers, repeat.key: [entry]})
        clean: dict[str, Any] = {}
        for question in repeat.questions():
            field, rel = repeat_field(repeat, index, question), repeat.relative(question.key)
            element = root.find(question.path.split("/", 2)[2])
            if question.relevant and not xpath.evaluate(question.relevant, root, element):
                errors.pop(field, None)
                continue
            result.relevant.add(field)
            if not question.collects or field in errors:
                continue
            value = entry.get(rel)
            if value is None:
                if question.required:
                    errors[field] = text(question.required_msg, language) or _("Bitte beantworten Sie diese Frage.")
                continue
            if question.is_select:
                codes = {str(c["name"]) for c in allowed_choices(question, root)}
                if any(code not in codes for code in (value if isinstance(value, list) else [value])):
                    errors[field] = _("Bitte wählen Sie eine der angebotenen Antworten.")
                    continue
            if question.constraint and not xpath.evaluate(question.constraint, root, element):
                errors[field] = text(question.constraint_msg, language) or _("Diese Antwort ist nicht zulässig.")
                continue
            clean[rel] = value
        result.errors.update(errors)
        if clean:
            entries.append(clean)
    if entries:
        result.answers[repeat.key] = entries


def today() -> date:
    return date.today()
