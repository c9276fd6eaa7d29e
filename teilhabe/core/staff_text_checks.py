"""What a German staff page must not show: raw keys, English status words, ISO dates, ungrouped counts.

Used by the staff walk test (``teilhabe/core/tests/test_staff_walks.py``) on every page each demo
role can reach. Text inside ``<code>``, ``<kbd>``, ``<samp>``, ``<pre>``, scripts and styles is technical by
intent and not checked; attribute values (option values, URLs) are not visible text, and neither is the content
of a ``<textarea>``: like an input's ``value`` it is what the user typed and edits (e.g. the source of a legal
text, whose rendered form the page shows separately).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import html as lxml_html

ISO_DATE = re.compile(r"\b(?:19|20)\d{2}-[01]\d-[0-3]\d\b")
BRACKETED_KEY = re.compile(r"\[[a-z][a-z0-9]*(?:_[a-z0-9]+)+\]")
SNAKE_KEY = re.compile(r"(?<![\w@./:-])[a-z]+(?:_[a-z0-9]+)+(?![\w@./-])")
UNGROUPED = re.compile(r"^-?\d{5,}(?:,\d+)?$")
ENGLISH_WORDS = {
    "create", "read", "update", "delete", "export", "search", "sent", "revoked", "pending", "approved",
    "rejected", "done", "failed", "queued", "running", "draft", "published", "true", "false", "none", "null",
    "yes", "no", "active", "inactive", "new", "open", "closed", "withdrawn", "expired", "successful",
}  # fmt: skip
TECHNICAL = {"code", "kbd", "samp", "pre", "script", "style", "template", "noscript", "textarea"}


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.text[:120]!r}"


def _visible_texts(root: lxml_html.HtmlElement) -> list[tuple[str, lxml_html.HtmlElement]]:
    out: list[tuple[str, lxml_html.HtmlElement]] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if any(ancestor.tag in TECHNICAL for ancestor in [element, *element.iterancestors()]):
            continue
        if element.text and element.text.strip():
            out.append((element.text.strip(), element))
        # tail text belongs to the parent
        if element.tail and element.tail.strip():
            parent = element.getparent()
            if parent is not None and not any(a.tag in TECHNICAL for a in [parent, *parent.iterancestors()]):
                out.append((element.tail.strip(), parent))
    return out


def check_staff_page(content: str) -> list[Finding]:
    """Findings on one rendered staff page (HTML as text)."""
    root = lxml_html.fromstring(content)
    findings: list[Finding] = []
    for text, element in _visible_texts(root):
        if ISO_DATE.search(text):
            findings.append(Finding("ISO-Datum", text))
        if BRACKETED_KEY.search(text) or (SNAKE_KEY.search(text) and element.tag not in {"option", "title"}):
            findings.append(Finding("technischer Schlüssel", text))
        if text.casefold() in ENGLISH_WORDS:
            findings.append(Finding("englisches Wort", text))
        classes = element.get("class", "")
        if "numeric" in classes and UNGROUPED.match(text.replace("\u202f", "").replace(" %", "")):
            findings.append(Finding("Zahl ohne Tausenderpunkt", text))
    return findings
