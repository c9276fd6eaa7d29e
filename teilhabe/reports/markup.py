"""A small, safe rich-text subset for forewords and chapter commentary.

Supported: ``## Überschrift`` / ``### Unterüberschrift``, ``- Aufzählung``, ``1. Nummerierung``, ``**fett**``,
``[Linktext](https://…)``. Everything else is text: raw HTML is never passed through. The parsed blocks
are plain data, rendered to escaped HTML here and passed as JSON to the Typst template (no Typst markup
is ever built from user text, so nothing can be injected into the PDF either).
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Inline = dict[str, str]
Block = dict[str, Any]

_INLINE = re.compile(r"\*\*(?P<strong>[^*]+)\*\*|\[(?P<label>[^\]]+)\]\((?P<url>[^)\s]+)\)")
_SAFE_URL = re.compile(r"^(https?://|mailto:|/)", re.IGNORECASE)
_BULLET = re.compile(r"^[-*]\s+")
_ORDERED = re.compile(r"^\d{1,3}[.)]\s+")


def parse_inlines(text: str) -> list[Inline]:
    out: list[Inline] = []
    pos = 0
    for match in _INLINE.finditer(text):
        if match.start() > pos:
            out.append({"kind": "text", "text": text[pos : match.start()]})
        if match.group("strong"):
            out.append({"kind": "strong", "text": match.group("strong")})
        elif _SAFE_URL.match(match.group("url")):
            out.append({"kind": "link", "text": match.group("label"), "url": match.group("url")})
        else:  # javascript: and other schemes stay visible text
            out.append({"kind": "text", "text": match.group(0)})
        pos = match.end()
    if pos < len(text):
        out.append({"kind": "text", "text": text[pos:]})
    return out


def parse(text: str) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[str] = []
    current_list: Block | None = None

    def flush() -> None:
        nonlocal current_list
        if paragraph:
            blocks.append({"type": "paragraph", "inlines": parse_inlines(" ".join(paragraph))})
            paragraph.clear()
        if current_list is not None:
            blocks.append(current_list)
            current_list = None

    for raw in str(text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("### ") or line.startswith("## "):
            flush()
            level = 2 if line.startswith("### ") else 1
            blocks.append({"type": "heading", "level": level, "inlines": parse_inlines(line.lstrip("#").strip())})
            continue
        bullet, ordered = _BULLET.match(line), _ORDERED.match(line)
        if bullet or ordered:
            if paragraph:
                blocks.append({"type": "paragraph", "inlines": parse_inlines(" ".join(paragraph))})
                paragraph.clear()
            is_ordered = bool(ordered) and not bullet
            if current_list is None or current_list["ordered"] != is_ordered:
                if current_list is not None:
                    blocks.append(current_list)
                current_list = {"type": "list", "ordered": is_ordered, "items": []}
            current_list["items"].append(parse_inlines(line[(bullet or ordered).end() :]))  # type: ignore[union-attr]
            continue
        if current_list is not None:
            blocks.append(current_list)
            current_list = None
        paragraph.append(line)
    flush()
    return blocks


def _inlines_html(inlines: list[Inline]) -> str:
    parts = []
    for item in inlines:
        text = escape(item["text"])
        if item["kind"] == "strong":
            parts.append(f"<strong>{text}</strong>")
        elif item["kind"] == "link":
            parts.append(f'<a class="kern-link" href="{escape(item["url"])}">{text}</a>')
        else:
            parts.append(str(text))
    return "".join(parts)


def render_html(blocks: list[Block], *, heading_offset: int = 1) -> SafeString:
    """Escaped HTML; heading level 1 of the markup becomes ``<h{1 + offset}>``."""
    out = []
    for block in blocks:
        if block["type"] == "heading":
            level = min(6, block["level"] + heading_offset)
            css = "kern-heading-medium" if level <= 2 else "kern-heading-small"
            out.append(f'<h{level} class="{css}">{_inlines_html(block["inlines"])}</h{level}>')
        elif block["type"] == "list":
            tag = "ol" if block["ordered"] else "ul"
            items = "".join(f"<li>{_inlines_html(item)}</li>" for item in block["items"])
            out.append(f'<{tag} class="kern-list">{items}</{tag}>')
        else:
            out.append(f'<p class="kern-body">{_inlines_html(block["inlines"])}</p>')
    return mark_safe("\n".join(out))


def to_html(text: str, *, heading_offset: int = 1) -> SafeString:
    return render_html(parse(text), heading_offset=heading_offset)
