"""The XPath subset of XLSForm expressions, evaluated on the server with elementpath (XPath 1.0 parser).

XLSForm writes ``${name}`` for another question and ``.`` for the current one. ``to_xpath`` turns an
expression into plain XPath over the form instance, with a *typed* accessor per reference so that XPath 1.0
comparison rules hold for unanswered questions (elementpath would raise on ``'' > 3``):

- integer/decimal → ``number(/data/a)`` (unanswered = NaN: every comparison false, as in ODK)
- date → ``odk-date(/data/a)`` (days since 1970-01-01, like ODK's date arithmetic; ``today()`` and
  ``date('2026-01-31')`` return days too)
- all others → ``string(/data/a)``

The same rewritten text goes to the browser, where ``static/surveys/form.js`` evaluates it with a small
evaluator of the same grammar, so device and server agree. ODK functions added here: ``selected``,
``count-selected``, ``selected-at``, ``regex``, ``today``, ``date``, ``odk-date``, ``if``, ``coalesce``,
``int``. Errors: ``ExpressionError`` (German text) for syntax errors and unknown references.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from typing import Any
from xml.etree import ElementTree as ET

import elementpath
from elementpath import XPath1Parser
from elementpath.exceptions import ElementPathError

EPOCH = date(1970, 1, 1)
NUMERIC_TYPES = {"integer", "decimal"}


class ExpressionError(ValueError):
    """A German message for an expression that cannot be parsed or refers to an unknown question."""


class ODKParser(XPath1Parser):
    """XPath 1.0 plus the ODK functions used in XLSForms."""

    symbol_table = {**XPath1Parser.symbol_table}


_method = ODKParser.method
_function = ODKParser.function


def _days(value: str) -> float:
    try:
        return float((date.fromisoformat(value.strip()[:10]) - EPOCH).days)
    except ValueError:
        return math.nan


@_method(_function("selected", nargs=2))
def evaluate__selected(self: Any, context: Any = None) -> bool:
    values = self.get_argument(context, default="", cls=str).split()
    return self.get_argument(context, index=1, default="", cls=str).strip() in values


@_method(_function("count-selected", nargs=1))
def evaluate__count_selected(self: Any, context: Any = None) -> float:
    return float(len(self.get_argument(context, default="", cls=str).split()))


@_method(_function("selected-at", nargs=2))
def evaluate__selected_at(self: Any, context: Any = None) -> str:
    values = self.get_argument(context, default="", cls=str).split()
    index = self.get_argument(context, index=1, default=0)
    try:
        return values[int(float(index))]
    except (ValueError, IndexError):
        return ""


@_method(_function("regex", nargs=2))
def evaluate__regex(self: Any, context: Any = None) -> bool:
    value = self.get_argument(context, default="", cls=str)
    pattern = self.get_argument(context, index=1, default="", cls=str)
    try:
        return re.search(pattern, value) is not None
    except re.error:
        return False


@_method(_function("today", nargs=0))
def evaluate__today(self: Any, context: Any = None) -> float:
    return float((date.today() - EPOCH).days)


@_method(_function("date", nargs=1))
def evaluate__date(self: Any, context: Any = None) -> float:
    return _days(self.get_argument(context, default="", cls=str))


@_method(_function("odk-date", nargs=1))
def evaluate__odk_date(self: Any, context: Any = None) -> float:
    return _days(self.get_argument(context, default="", cls=str))


@_method(_function("int", nargs=1))
def evaluate__int(self: Any, context: Any = None) -> float:
    value = self.get_argument(context, default=math.nan)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return float(math.trunc(number)) if math.isfinite(number) else number


@_method(_function("if", nargs=3))
def evaluate__if(self: Any, context: Any = None) -> Any:
    condition = self.get_argument(context)
    return self.get_argument(context, index=1 if _truth(condition) else 2)


@_method(_function("coalesce", nargs=2))
def evaluate__coalesce(self: Any, context: Any = None) -> Any:
    first = self.get_argument(context, default="", cls=str)
    return first if first != "" else self.get_argument(context, index=1, default="", cls=str)


ODKParser.build()
_PARSER = ODKParser()

_TOKEN = re.compile(r"""('[^']*'|"[^"]*")|\$\{([^}]*)\}|(?<![\w.])\.(?![\w.])""")


def _truth(value: Any) -> bool:
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, float) and math.isnan(value):
        return False
    return bool(value)


def accessor(path: str, qtype: str) -> str:
    if qtype in NUMERIC_TYPES:
        return f"number({path})"
    if qtype == "date":
        return f"odk-date({path})"
    return f"string({path})"


def to_xpath(expression: str, *, refs: Mapping[str, tuple[str, str]], current: tuple[str, str] | None = None) -> str:
    """Rewrite an XLSForm expression. ``refs``: question name → (absolute path, type); ``current``: the
    question ``.`` stands for. Raises ``ExpressionError`` for an unknown ``${name}``."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return match.group(1)
        if match.group(2) is not None:
            name = match.group(2).strip()
            if name not in refs:
                raise ExpressionError(f"Der Verweis ${{{name}}} nennt keine Frage dieses Fragebogens.")
            return accessor(*refs[name])
        if current is None:
            return "."
        return accessor(*current)

    rewritten = _TOKEN.sub(replace, expression)
    check(rewritten)
    return rewritten


def check(xpath: str) -> None:
    try:
        _PARSER.parse(xpath)
    except ElementPathError as error:
        raise ExpressionError(f"Der Ausdruck „{xpath}“ ist kein gültiger XPath-Ausdruck ({error.message}).") from error


def evaluate(xpath: str, root: ET.Element, item: ET.Element | None = None) -> bool:
    """The boolean value of ``xpath`` on the instance ``root`` (context item ``item`` or the root)."""
    token = _PARSER.parse(xpath)
    context = elementpath.XPathContext(root, item=item if item is not None else root)
    try:
        return _truth(token.evaluate(context))
    except (ElementPathError, TypeError, ValueError, ZeroDivisionError):
        return False
