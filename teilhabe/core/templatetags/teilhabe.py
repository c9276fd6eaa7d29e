from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def simple_markup(text: str) -> SafeString:
    """Paragraphs separated by blank lines, "## " lines as headings, everything else escaped."""
    blocks = []
    for block in str(text).replace("\r\n", "\n").split("\n\n"):
        block = block.strip()
        if not block:
            continue
        lines = block.split("\n")
        if lines[0].startswith("## "):
            blocks.append(f"<h2>{escape(lines[0][3:].strip())}</h2>")
            lines = lines[1:]
        if lines:
            blocks.append("<p>" + "<br>".join(escape(line) for line in lines) + "</p>")
    return mark_safe("\n".join(blocks))


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """German percent format: 4,7 %; a dash for missing values."""
    if value is None:
        return "–"
    return f"{value:.{digits}f}".replace(".", ",") + "\u202f%"
