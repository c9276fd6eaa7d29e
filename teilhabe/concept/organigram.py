"""The responsibility organigram as server-side SVG with a text equivalent (decision 0083).

Layout: a layered tree (each node centred over its children, leaves side by side). Every box is an SVG
``<a>`` that the keyboard reaches with Tab and that links to its entry in the nested list under the
graphic, so the list is the text equivalent and the graphic the overview. No JavaScript, no inline styles
(the CSP forbids them): the look comes from presentation attributes and ``concept/concept.css``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from teilhabe.concept.models import Responsibility

BOX_W = 210
BOX_H = 66
GAP_X = 18
GAP_Y = 46
MARGIN = 12
LINE_CHARS = 30


@dataclass
class Node:
    item: Responsibility
    children: list[Node] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0

    @property
    def anchor(self) -> str:
        return f"zustaendigkeit-{self.item.pk}"

    @property
    def person(self) -> str:
        return self.item.contact.name if self.item.contact_id else ""  # type: ignore[union-attr]

    @property
    def organisation(self) -> str:
        return self.item.owner.short_name or self.item.owner.name

    @property
    def label(self) -> str:
        parts = [self.item.role_title, self.person, self.organisation]
        return ", ".join(p for p in parts if p)


def build_tree(items: Iterable[Responsibility]) -> list[Node]:
    """Roots with children; an item whose parent is not in ``items`` (e.g. not public) becomes a root."""
    nodes = {i.pk: Node(i) for i in items}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.item.parent_id or -1)
        (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: (n.item.position, n.item.role_title))
    roots.sort(key=lambda n: (n.item.position, n.item.role_title))
    return roots


def _layout(node: Node, depth: int, next_x: list[float]) -> None:
    node.y = MARGIN + depth * (BOX_H + GAP_Y)
    if not node.children:
        node.x = next_x[0]
        next_x[0] += BOX_W + GAP_X
        return
    for child in node.children:
        _layout(child, depth + 1, next_x)
    node.x = (node.children[0].x + node.children[-1].x) / 2


def _walk(nodes: list[Node]) -> Iterable[Node]:
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _short(text: str) -> str:
    return text if len(text) <= LINE_CHARS else text[: LINE_CHARS - 1] + "…"


def render_svg(roots: list[Node], *, title: str) -> SafeString:
    if not roots:
        return mark_safe("")
    next_x = [float(MARGIN)]
    for root in roots:
        _layout(root, 0, next_x)
    nodes = list(_walk(roots))
    width = int(max(n.x for n in nodes) + BOX_W + MARGIN)
    height = int(max(n.y for n in nodes) + BOX_H + MARGIN)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="organigram-svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="group" aria-labelledby="organigram-svg-title">',
        f'<title id="organigram-svg-title">{escape(title)}</title>',
    ]
    for node in nodes:  # connectors first, boxes on top
        for child in node.children:
            x1, y1 = node.x + BOX_W / 2, node.y + BOX_H
            x2, y2 = child.x + BOX_W / 2, child.y
            mid = y1 + GAP_Y / 2
            out.append(
                f'<path d="M{x1:.0f} {y1:.0f} V{mid:.0f} H{x2:.0f} V{y2:.0f}" fill="none" stroke="#6b7280" '
                'stroke-width="1.5" aria-hidden="true"/>'
            )
    for node in nodes:
        fill = "#e8f1f8" if node.item.gemeinde_id is None else "#f3f7ec"
        out.append(
            f'<a href="#{node.anchor}" class="organigram-node" aria-label="{escape(node.label)}">'
            f'<rect x="{node.x:.0f}" y="{node.y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" '
            'stroke="#004b76" stroke-width="1.5"/>'
            f'<text x="{node.x + 10:.0f}" y="{node.y + 22:.0f}" font-family="Fira Sans, Arial, sans-serif" '
            f'font-size="13" font-weight="600" fill="#111">{escape(_short(node.item.role_title))}</text>'
            f'<text x="{node.x + 10:.0f}" y="{node.y + 40:.0f}" font-family="Fira Sans, Arial, sans-serif" '
            f'font-size="12" fill="#111">{escape(_short(node.person or "–"))}</text>'
            f'<text x="{node.x + 10:.0f}" y="{node.y + 57:.0f}" font-family="Fira Sans, Arial, sans-serif" '
            f'font-size="11" fill="#374151">{escape(_short(node.organisation))}</text>'
            "</a>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))


def organigram(items: Iterable[Responsibility], *, title: str) -> tuple[SafeString, list[Node]]:
    """(SVG, tree for the text equivalent). Prefetch ``contact`` and ``owner`` on ``items``."""
    roots = build_tree(items)
    return render_svg(roots, title=title), roots
