"""The laid-out transmission tree as inline SVG, written in Python: a 500-person cluster is a thousand elements,
and the template engine took ~150 ms to loop over them where this takes a few."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from phongdich.contacts.tree import Tree
from phongdich.contacts.tree_layout import NODE_HEIGHT, NODE_WIDTH

_ARROW = (
    '<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto">'
    '<path d="M0,0 L8,4 L0,8 z" fill="#6b7280"/></marker></defs>'
)


def _cut(text: str, length: int) -> str:
    """As the `truncatechars` filter: at most `length` characters, the last one "…" when cut."""
    return text if len(text) <= length else text[: length - 1] + "…"


def tree_svg(tree: Tree) -> SafeString:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{tree.width}" height="{tree.height}" '
        f'viewBox="0 0 {tree.width} {tree.height}" role="img" aria-label="{escape(_("Sơ đồ lây nhiễm"))}">',
        _ARROW,
    ]
    for edge in tree.edges:
        if edge.path:
            parts.append(
                f'<g class="edge"><path d="{edge.path}" marker-end="url(#arrow)"/>'
                f'<text x="{edge.label_x}" y="{edge.label_y}" text-anchor="middle">{edge.contacted_on:%d/%m}</text>'
                f"<title>{escape(edge.setting_label)} · {edge.contacted_on:%d/%m/%Y}</title></g>"
            )
    for node in tree.nodes:
        title = (
            f"{node.code} · {_cut(node.label, 14)}" if node.code else f"{node.kind.upper()} · {_cut(node.label, 24)}"
        )
        hidden = "" if node.visible else " hidden"
        body = (
            f'<rect width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="6"/><text x="8" y="18">{escape(title)}</text>'
            f'<text class="sub" x="8" y="36">{node.day:%d/%m/%Y} · {escape(node.status_label)}</text>'
            f"<title>{escape(node.label)} · {escape(node.status_label)}</title>"
        )
        if node.url:
            body = f'<a href="{escape(node.url)}">{body}</a>'
        parts.append(
            f'<g class="node {node.kind} s-{node.status}{hidden}" transform="translate({node.x},{node.y})">{body}</g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped; the rest are numbers and codes
