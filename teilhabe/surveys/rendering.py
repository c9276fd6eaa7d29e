"""View models of the web form: every label resolved in one language, errors and values attached."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from teilhabe.surveys.formspec import Group, Question, Repeat, Spec, text

_ID = re.compile(r"[^A-Za-z0-9_-]")
_REF = re.compile(r"\$\{([^}]+)\}")


def dom_id(key: str) -> str:
    return "q-" + _ID.sub("_", key.replace("/", "__"))


@dataclass
class ChoiceView:
    code: str
    label: str
    checked: bool
    filter_values: dict[str, str]


@dataclass
class ItemView:
    kind: str  # "group", "note", "text", "integer", "decimal", "date", "select_one", "select_multiple"
    key: str
    id: str
    label: str
    hint: str = ""
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    constraint_msg: str = ""
    required_msg: str = ""
    choice_filter: str = ""
    path: str = ""
    qtype: str = ""
    multiline: bool = False
    value: str = ""
    error: str = ""
    shown: bool = True
    choices: list[ChoiceView] = field(default_factory=list)
    children: list[ItemView] = field(default_factory=list)
    instances: list[list[ItemView]] = field(default_factory=list)  # repeats: one list per instance
    count: int = 0
    limit: int = 0

    @property
    def describedby(self) -> str:
        ids = [f"{self.id}-hint"] if self.hint else []
        if self.error:
            ids.append(f"{self.id}-error")
        return " ".join(ids)


KINDS = {"select one": "select_one", "select all that apply": "select_multiple"}


def _note_text(value: str, answers: dict[str, Any]) -> str:
    # ${name} in a note: the answer if known (server render), otherwise an empty slot.
    return _REF.sub(lambda m: str(answers.get(m.group(1), "…")), value)


def items(
    spec: Spec,
    language: str,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    relevant: set[str] | None = None,
) -> list[ItemView]:
    values, errors = values or {}, errors or {}

    def repeat_view(item: Repeat) -> ItemView:
        # Instances are checked on the server only: their fields carry no client-side expressions.
        entries = values.get(item.key) or []
        count = max(1, min(item.limit, int(values.get(f"{item.key}.count") or 0) or len(entries)))
        instances = []
        for index in range(count):
            entry = entries[index] if index < len(entries) else {}
            inner = {f"{item.key}.{index}.{item.relative(q.key)}": entry.get(item.relative(q.key))
                     for q in item.questions()}  # fmt: skip
            views = [view(child, prefix=f"{item.key}.{index}.", repeat=item, inner=inner) for child in item.children]
            instances.append(views)
        return ItemView("repeat", item.key, dom_id(item.key), text(item.label, language), relevant=item.relevant,
                        path=item.path, instances=instances, count=count, limit=item.limit)  # fmt: skip

    def view(
        item: Question | Group, prefix: str = "", repeat: Repeat | None = None, inner: dict[str, Any] | None = None
    ) -> ItemView:
        if isinstance(item, Repeat):
            return repeat_view(item)
        if repeat is not None:
            key = prefix + repeat.relative(item.key)
            if isinstance(item, Group):
                children = [view(child, prefix, repeat, inner) for child in item.children]
                return ItemView("group", key, dom_id(key), text(item.label, language), children=children)
            return _question_view(item, key, "", (inner or {}).get(key), errors.get(key, ""), True, language, values)
        if isinstance(item, Group):
            children = [view(child) for child in item.children]
            return ItemView(
                "group", item.key, dom_id(item.key), text(item.label, language), relevant=item.relevant,
                path=item.path, children=children,
                shown=relevant is None or any(c.shown for c in children) or not children,
            )  # fmt: skip
        shown = relevant is None or item.key in relevant
        return _question_view(item, item.key, item.path, values.get(item.key), errors.get(item.key, ""), shown,
                              language, values, client=True)  # fmt: skip

    return [view(item) for item in spec.items]


def _question_view(
    item: Question, key: str, path: str, value: Any, error: str, shown: bool, language: str,
    values: dict[str, Any], client: bool = False,
) -> ItemView:  # fmt: skip
    """``client``: carry the expressions for the browser (not inside repeats, which the server checks)."""
    chosen = set(value) if isinstance(value, list) else ({value} if value else set())
    kind = KINDS.get(item.type, item.type)
    return ItemView(
        kind=kind,
        key=key,
        id=dom_id(key),
        label=_note_text(text(item.label, language), values) if kind == "note" else text(item.label, language),
        hint=text(item.hint, language),
        required=item.required,
        relevant=item.relevant if client else "",
        constraint=item.constraint if client else "",
        constraint_msg=text(item.constraint_msg, language),
        required_msg=text(item.required_msg, language),
        choice_filter=item.choice_filter if client else "",
        path=path,
        qtype=item.type,
        multiline="multiline" in item.appearance,
        value=value if isinstance(value, str) else "",
        error=error,
        shown=shown,
        choices=[
            ChoiceView(
                str(c["name"]),
                text(c.get("label"), language) or str(c["name"]),
                str(c["name"]) in chosen,
                {
                    k: str(v)
                    for k, v in c.items()
                    if k not in {"label", "name", "media"} and isinstance(v, str | int | float)
                },
            )
            for c in item.choices
        ],
    )


def flat(views: list[ItemView]) -> list[ItemView]:
    out: list[ItemView] = []
    for v in views:
        if v.kind == "group":
            out.extend(flat(v.children))
        elif v.kind == "repeat":
            for entry in v.instances:
                out.extend(flat(entry))
        else:
            out.append(v)
    return out
