"""The diagram as inline SVG, laid out here (no JavaScript, no network): a reviewer offline sees the picture.

A small layered layout: cycles are broken by a depth-first search, each node sits in the column of its longest path
from a source, a few barycenter sweeps order each column, and each arrow is a curve from the right side of the
left node to the left side of the right one (its head at the original target). Nodes are filled by stack; arrows
are coloured by what they mean, with a legend.
"""

from __future__ import annotations

from html import escape

from compliance.report.diagram import Diagram, Node

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN, LEGEND_H = 178, 38, 74, 14, 16, 28
CATEGORIES = {
    "access": ("#7b3fa0", "who may assume or use"),
    "invoke": ("#1f6fd1", "invokes"),
    "logs": ("#1b8a3a", "where logs go"),
    "notify": ("#c0392b", "notifies, runs"),
    "data": ("#b07a16", "reads or writes data"),
    "usage": ("#16808a", "usage queries"),
    "encrypt": ("#8a8a8a", "encryption key"),
}
FILLS = ("#e8f0fe", "#e6f4ea", "#fef7e0", "#fce8e6", "#f3e8fd", "#e0f7fa", "#f1f3f4", "#fff3e0")


def _columns(keys: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Longest-path layering after reversing the edges that close a cycle (found by a depth-first search)."""
    outgoing: dict[str, list[str]] = {k: [] for k in keys}
    for source, target in edges:
        outgoing[source].append(target)
    state: dict[str, int] = {}
    forward: list[tuple[str, str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        for target in outgoing[node]:
            if state.get(target) == 1:
                forward.append((target, node))  # a back edge: laid out reversed
            else:
                forward.append((node, target))
                if target not in state:
                    visit(target)
        state[node] = 2

    for key in keys:
        if key not in state:
            visit(key)
    column = dict.fromkeys(keys, 0)
    for _ in keys:  # relax until stable: at most one pass per node
        changed = False
        for source, target in forward:
            if column[target] < column[source] + 1:
                column[target], changed = column[source] + 1, True
        if not changed:
            break
    # A node nothing points to sits just left of the nearest node it points to (shorter arrows, fuller columns).
    sources = [k for k in keys if not any(t == k for _, t in forward)]
    for _ in keys:
        changed = False
        for node in sources:
            after = [column[t] for s, t in forward if s == node]
            if after and min(after) - 1 > column[node]:
                column[node], changed = min(after) - 1, True
        if not changed:
            break
    return column


def _order(keys: list[str], column: dict[str, int], edges: list[tuple[str, str]]) -> dict[str, float]:
    neighbours: dict[str, list[str]] = {k: [] for k in keys}
    for source, target in edges:
        neighbours[source].append(target)
        neighbours[target].append(source)
    position = {k: float(i) for i, k in enumerate(keys)}
    for _ in range(6):
        for key in keys:
            near = [position[n] for n in neighbours[key]]
            if near:
                position[key] = (position[key] + 2 * sum(near) / len(near)) / 3
        for layer in set(column.values()):
            members = sorted((k for k in keys if column[k] == layer), key=lambda k: position[k])
            position.update({k: float(i) for i, k in enumerate(members)})
    return position


def _label(text: str, limit: int = 26) -> list[str]:
    """At most two lines, broken after a slash or a space, else before a capital (InvocationLogging|Configuration)."""
    if len(text) <= limit:
        return [text]
    cut = max(text.rfind("/", 0, limit), text.rfind(" ", 0, limit))
    if cut > 0:
        first, rest = text[: cut + 1].rstrip(), text[cut + 1 :]
    else:
        capitals = [i for i, c in enumerate(text[:limit]) if c.isupper() and i > 0]
        split = capitals[-1] if capitals else limit
        first, rest = text[:split], text[split:]
    return [first, rest if len(rest) <= limit else rest[: limit - 1] + "…"]


def _box(node: Node, x: float, y: float, fill: str) -> str:
    outside = not node.stack
    lines = _label(node.label)
    title = f"{node.label} ({node.kind}{', ' + node.stack if node.stack else ''})"
    rx = 18 if outside else 4
    parts = [
        f'<g class="node"><title>{escape(title)}</title>',
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="{rx}" fill="{fill}" '
        f'stroke="#5f6368"{" stroke-dasharray=" + chr(34) + "4 3" + chr(34) if outside else ""}/>',
    ]
    top = y + (13 if len(lines) == 2 else 17)
    for index, line in enumerate(lines):
        parts.append(f'<text x="{x + 6:.0f}" y="{top + 11 * index:.0f}" class="label">{escape(line)}</text>')
    parts.append(f'<text x="{x + 6:.0f}" y="{y + BOX_H - 4:.0f}" class="kind">{escape(node.kind)}</text></g>')
    return "".join(parts)


def _in_a_gap(curve: tuple[tuple[float, float], ...], first: int, span: int) -> tuple[float, float]:
    """The point of the curve in the middle of the gap between columns nearest its middle (never on a box)."""
    gap = first + (max(span, 1) - 1) // 2
    target = MARGIN + gap * (BOX_W + GAP_X) + BOX_W + GAP_X / 2
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = curve
    low, high = 0.0, 1.0
    for _ in range(30):  # x grows with t: bisection
        t = (low + high) / 2
        x = (1 - t) ** 3 * x0 + 3 * (1 - t) ** 2 * t * x1 + 3 * (1 - t) * t**2 * x2 + t**3 * x3
        low, high = (t, high) if x < target else (low, t)
    return target, (1 - t) ** 3 * y0 + 3 * (1 - t) ** 2 * t * y1 + 3 * (1 - t) * t**2 * y2 + t**3 * y3


def render_svg(diagram: Diagram, region: str) -> str:
    """One Region's picture as an <svg> element (it scales to the width of the page)."""
    nodes = [n for n in diagram.nodes.values() if n.region == region]
    keys = [n.key for n in sorted(nodes, key=lambda n: (bool(n.stack), n.stack))]
    edges = [e for e in diagram.edges if e.source in keys and e.target in keys]
    # A key is laid out before what it encrypts (its arrow still points to the key).
    pairs = [(e.target, e.source) if e.category == "encrypt" else (e.source, e.target) for e in edges]
    column = _columns(keys, pairs)
    position = _order(keys, column, pairs)
    rows = max([sum(1 for k in keys if column[k] == c) for c in set(column.values())] or [1])
    width = MARGIN * 2 + (max(column.values(), default=0) + 1) * (BOX_W + GAP_X) - GAP_X
    height = MARGIN * 2 + rows * (BOX_H + GAP_Y) - GAP_Y + LEGEND_H
    xy: dict[str, tuple[float, float]] = {}
    for c in set(column.values()):
        members = sorted((k for k in keys if column[k] == c), key=lambda k: position[k])
        offset = (rows - len(members)) * (BOX_H + GAP_Y) / 2
        for i, key in enumerate(members):
            xy[key] = (MARGIN + c * (BOX_W + GAP_X), MARGIN + LEGEND_H + offset + i * (BOX_H + GAP_Y))
    stacks = list(dict.fromkeys(n.stack for n in nodes if n.stack))
    fills = {stack: FILLS[i % len(FILLS)] for i, stack in enumerate(stacks)}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" class="diagram" '
        f'role="img" aria-label="Architecture of {escape(region)}, read from the templates">',
        "<defs>"
        + "".join(
            f'<marker id="head-{name}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="{colour}"/></marker>'
            for name, (colour, _) in CATEGORIES.items()
        )
        + "</defs>",
    ]
    legend_x = float(MARGIN)
    for colour, meaning in CATEGORIES.values():
        out.append(
            f'<line x1="{legend_x}" y1="{MARGIN + 6}" x2="{legend_x + 22}" y2="{MARGIN + 6}" stroke="{colour}" '
            f'stroke-width="2"/><text x="{legend_x + 26}" y="{MARGIN + 10}" class="legend">{escape(meaning)}</text>'
        )
        legend_x += 30 + 6.2 * len(meaning) + 14
    labels = []
    for edge in edges:
        (x1, y1), (x2, y2) = xy[edge.source], xy[edge.target]
        reverse = column[edge.source] > column[edge.target]
        (lx, ly), (rx, ry) = ((x2, y2), (x1, y1)) if reverse else ((x1, y1), (x2, y2))
        sx, sy, tx, ty = lx + BOX_W, ly + BOX_H / 2, rx, ry + BOX_H / 2
        bend = max(40.0, (tx - sx) / 2)
        colour = CATEGORIES.get(edge.category, ("#5f6368", ""))[0]
        head = "marker-start" if reverse else "marker-end"
        dash = ' stroke-dasharray="4 3"' if edge.category == "encrypt" else ""
        title = f"{diagram.nodes[edge.source].label} {edge.label} {diagram.nodes[edge.target].label}"
        curve = ((sx, sy), (sx + bend, sy), (tx - bend, ty), (tx, ty))
        out.append(
            f'<g class="edge"><title>{escape(title)}</title><path d="M{sx:.0f},{sy:.0f} C{sx + bend:.0f},{sy:.0f} '
            f'{tx - bend:.0f},{ty:.0f} {tx:.0f},{ty:.0f}" fill="none" stroke="{colour}" stroke-width="1.4"{dash} '
            f'{head}="url(#head-{edge.category})"/></g>'
        )
        if edge.category != "encrypt":  # an encryption arrow says it by its dashes and colour (legend)
            x, y = _in_a_gap(
                curve, min(column[edge.source], column[edge.target]), abs(column[edge.source] - column[edge.target])
            )
            shown = edge.label if len(edge.label) <= 22 else edge.label.split(", ")[0] + " …"  # the rest: its title
            labels.append(
                f'<text x="{x:.0f}" y="{y - 2:.0f}" class="edge-label" text-anchor="middle">{escape(shown)}</text>'
            )
    out += [_box(n, *xy[n.key], fills.get(n.stack, "#ffffff")) for n in nodes]
    out += labels  # last: on top of the boxes, each in the gap between two columns
    out.append("</svg>")
    return "".join(out)


def stack_legend(diagram: Diagram, region: str) -> list[tuple[str, str]]:
    """(stack, fill colour) of one Region's picture, for the caption."""
    stacks = list(dict.fromkeys(n.stack for n in diagram.nodes.values() if n.region == region and n.stack))
    return [(stack, FILLS[i % len(FILLS)]) for i, stack in enumerate(stacks)]
