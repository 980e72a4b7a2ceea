"""Server-side layout of the transmission tree for an inline SVG: generations as columns, a tidy tree in rows.

Each node goes in the column of its depth from the first F0; leaves take consecutive rows in date order and a
parent sits midway between its first and last child, so every chain reads left to right without crossings.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from phongdich.contacts.tree import Tree

NODE_WIDTH = 215
NODE_HEIGHT = 46
COLUMN_GAP = 80
ROW_PITCH = 56
MARGIN = 10


def tree_layout(tree: "Tree") -> None:
    """Set `x`, `y`, `depth` on the nodes, the SVG path and label position on the edges, the size on the tree."""
    if not tree.nodes:
        return
    by_key = {node.key: node for node in tree.nodes}
    children: dict[str, list[str]] = {key: [] for key in by_key}
    parent: dict[str, str] = {}
    for edge in tree.edges:
        if edge.target not in parent and edge.source in by_key and edge.target in by_key:
            parent[edge.target] = edge.source
            children[edge.source].append(edge.target)
    roots = [node.key for node in tree.nodes if node.key not in parent]
    # A cycle in bad data leaves nodes unreachable from any root: break it at its earliest node.
    reached = _place(roots=roots, children=children, by_key=by_key)
    while len(reached) < len(by_key):
        orphan = next(node.key for node in tree.nodes if node.key not in reached)
        parent.pop(orphan, None)
        for siblings in children.values():
            if orphan in siblings:
                siblings.remove(orphan)
        roots.append(orphan)
        reached = _place(roots=roots, children=children, by_key=by_key)
    depth = max(node.depth for node in tree.nodes)
    rows = max(node.y for node in tree.nodes)
    tree.width = MARGIN * 2 + (depth + 1) * NODE_WIDTH + depth * COLUMN_GAP
    tree.height = rows + NODE_HEIGHT + MARGIN
    for edge in tree.edges:
        source, target = by_key.get(edge.source), by_key.get(edge.target)
        if source is None or target is None:
            continue
        x1, y1 = source.x + NODE_WIDTH, source.y + NODE_HEIGHT // 2
        x2, y2 = target.x, target.y + NODE_HEIGHT // 2
        middle = (x1 + x2) // 2
        edge.path = f"M{x1},{y1} C{middle},{y1} {middle},{y2} {x2},{y2}"
        edge.label_x, edge.label_y = x2 - COLUMN_GAP // 2 + 6, y2 - 4


def _place(*, roots: list[str], children: dict[str, list[str]], by_key: dict) -> set[str]:
    """Depth-first, without recursion: a 500-person cluster is one F0 with 500 children, a chain may be deep."""
    next_row = 0
    reached: set[str] = set()
    order = {key: (node.day, index) for index, (key, node) in enumerate(by_key.items())}
    for root in roots:
        stack: list[tuple[str, int, bool]] = [(root, 0, False)]
        while stack:
            key, depth, done = stack.pop()
            node = by_key[key]
            kids = [k for k in sorted(children[key], key=order.__getitem__) if k not in reached or done]
            if not done:
                if key in reached:
                    continue
                reached.add(key)
                node.depth, node.x = depth, MARGIN + depth * (NODE_WIDTH + COLUMN_GAP)
                stack.append((key, depth, True))
                for kid in reversed(kids):
                    stack.append((kid, depth + 1, False))
                continue
            placed = [by_key[k] for k in kids if by_key[k].depth == depth + 1 and k in reached]
            if placed:
                node.y = (placed[0].y + placed[-1].y) // 2
            else:
                node.y = MARGIN + next_row * ROW_PITCH
                next_row += 1
    return reached
