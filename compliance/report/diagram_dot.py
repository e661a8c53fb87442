"""The diagram as Graphviz DOT: one graph per Region, a cluster per stack, colours fixed per kind of stack and arrow.

Graphviz (`compliance.report.graphviz`) lays it out; this module only says what to draw. Colours belong to the kind
of stack (`ClaudeInvocationLogging` is green in every report, whatever else is deployed), and to the meaning of an
arrow. Names are broken into lines only after a slash or at a space, never inside a word.
"""

from __future__ import annotations

import hashlib
from html import escape

from compliance.report.diagram import Diagram, Node

FONT = "Helvetica"  # Graphviz measures text with its own Helvetica metrics; browsers draw Arial or Liberation Sans
NAME_SIZE, KIND_SIZE, ARROW_SIZE = 11, 9, 9
LINE_LIMIT = 22  # characters on one line of a box's name before it breaks (after a slash or at a space)
ARROW_LIMIT = 18  # the same for an arrow's label: narrow labels keep the columns of boxes close
ENCRYPTED_BY = "encrypted by"

# Meaning of an arrow -> (colour, legend text). What a key encrypts is written in the box (`encrypted_by`).
CATEGORIES = {
    "access": ("#7b3fa0", "who may assume or use"),
    "invoke": ("#1f6fd1", "invokes"),
    "logs": ("#1b7a35", "where logs go"),
    "notify": ("#c0392b", "notifies, runs"),
    "data": ("#9a6a10", "reads or writes data"),
    "usage": ("#16808a", "usage queries"),
    "encrypt": ("#80868b", "encryption key"),
}
# Kind of stack (its name without the Region) -> (fill of its boxes, outline of its cluster).
STACK_COLOURS = {
    "ClaudeInvocationAccess": ("#f1e8fa", "#8e5bb5"),
    "ClaudeInvocationLogging": ("#e6f4ea", "#2e7d45"),
    "ClaudeInvoker": ("#e8f0fe", "#3b6fc4"),
    "ClaudeUsage": ("#e0f5f6", "#1d7f88"),
    "ClaudeGuardrails": ("#fef3dc", "#a86f00"),
    "ClaudeTeams": ("#fde8e4", "#b3452f"),
    "ClaudeOrganization": ("#eceff1", "#546e7a"),
}
_SPARE = (("#f3f0e6", "#7a6a3a"), ("#e9eef3", "#4a6074"), ("#f6e9ef", "#8a4566"), ("#eef3e6", "#5b7232"))


def stack_kind(stack: str, region: str) -> str:
    """`ClaudeInvoker-us-east-1` -> `ClaudeInvoker`: what the stack is, whichever Region it is in."""
    return stack.removesuffix(f"-{region}")


def stack_colours(kind: str) -> tuple[str, str]:
    """The fill and outline of a kind of stack: fixed for the project's stacks, derived from the name otherwise (so
    still the same in every report)."""
    if kind in STACK_COLOURS:
        return STACK_COLOURS[kind]
    return _SPARE[int(hashlib.sha256(kind.encode()).hexdigest(), 16) % len(_SPARE)]


def lines(text: str, limit: int = LINE_LIMIT) -> list[str]:
    """`text` in lines of at most `limit` characters where it can be: broken after a slash or at a space, never inside
    a word (a word longer than the limit stays whole on its own line)."""
    words: list[str] = []
    for part in text.split(" "):
        pieces = part.split("/")
        words += [p + "/" for p in pieces[:-1]] + [pieces[-1]]
        words[-1] += " "
    words[-1] = words[-1].rstrip(" ")
    out = [""]
    for word in (w for w in words if w):
        if out[-1] and len(out[-1].rstrip(" ") + word.rstrip(" ")) > limit:
            out[-1] = out[-1].rstrip(" ")
            out.append("")
        out[-1] += word
    return [line.rstrip(" ") for line in out]


def _arrow_lines(labels: list[str]) -> list[str]:
    return [line for label in labels for line in lines(label, ARROW_LIMIT)]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def node_name(node: Node) -> str:
    """The node's DOT name, shown by browsers as its tooltip: the stack and construct path, or the outside party."""
    return f"{node.stack}/{node.label}" if node.stack else f"{node.label} ({node.kind})"


def _label(node: Node, keys: list[str]) -> str:
    name = "<BR/>".join(f"<B>{escape(line)}</B>" for line in lines(node.label))
    kind = "" if node.kind in ("principal", "AWS service") or node.kind in node.label else node.kind
    if keys:
        kind += f"{', ' if kind else ''}encrypted by {' and '.join(keys)}"
    if not kind:
        return f"<{name}>"
    small = "<BR/>".join(escape(line) for line in lines(kind, LINE_LIMIT + 6))
    return f'<{name}<BR/><FONT POINT-SIZE="{KIND_SIZE}" COLOR="#5f6368">{small}</FONT>>'


def encrypted_by(diagram: Diagram) -> dict[str, list[str]]:
    """Node key -> the keys its "encrypted by" arrows point to: written in the box instead of drawn (a dozen dashed
    arrows to a few keys would cross the picture and say nothing the box cannot)."""
    found: dict[str, list[str]] = {}
    for edge in diagram.edges:
        if ENCRYPTED_BY in edge.label.split(", "):
            found.setdefault(edge.source, []).append(diagram.nodes[edge.target].label)
    return found


def _node(node: Node, fill: str, indent: str, keys: list[str]) -> str:
    outside = not node.stack
    shape = "hexagon" if node.kind == "AWS service" else "box"
    style = "rounded,dashed,filled" if outside else "rounded,filled"
    return (
        f"{indent}{_quote(node_name(node))} [label={_label(node, keys)} shape={shape} style={_quote(style)} "
        f'fillcolor="{fill}"]'
    )


def dot_source(diagram: Diagram, region: str) -> str:
    """One Region's picture as DOT, deterministic for one assembly (boxes and arrows in the order they were read)."""
    nodes = [n for n in diagram.nodes.values() if n.region == region]
    keys = {n.key for n in nodes}
    encrypting = encrypted_by(diagram)
    out = [
        f"digraph {_quote(region)} {{",
        f'  graph [rankdir=LR nodesep=0.18 ranksep=0.35 fontname="{FONT}" fontsize=12 bgcolor="transparent" pad=0.1]',
        f'  node [fontname="{FONT}" fontsize={NAME_SIZE} margin="0.1,0.05" penwidth=1 color="#5f6368"]',
        f'  edge [fontname="{FONT}" fontsize={ARROW_SIZE} fontcolor="#3c4043" arrowsize=0.7 penwidth=1.2]',
    ]
    out += [_node(n, "#ffffff", "  ", encrypting.get(n.key, [])) for n in nodes if not n.stack]
    for stack in dict.fromkeys(n.stack for n in nodes if n.stack):
        fill, outline = stack_colours(stack_kind(stack, region))
        out += [
            f"  subgraph {_quote('cluster ' + stack)} {{",
            # No label: Graphviz keeps boxes and arrow labels clear of each other, but not of a cluster's label.
            # The caption names each stack beside its colours.
            f'    graph [tooltip={_quote(stack)} style="rounded,dashed" color="{outline}" margin=10]',
            *[_node(n, fill, "    ", encrypting.get(n.key, [])) for n in nodes if n.stack == stack],
            "  }",
        ]
    for edge in diagram.edges:
        if edge.source not in keys or edge.target not in keys:
            continue
        shown = [label for label in edge.label.split(", ") if label != ENCRYPTED_BY]
        if not shown:
            continue
        colour = CATEGORIES.get(edge.category, ("#5f6368", ""))[0]
        attributes = [f'color="{colour}"', "label=" + _quote("\n".join(_arrow_lines(shown)))]
        if edge.category == "encrypt":
            attributes.append("style=dashed")
        source, target = diagram.nodes[edge.source], diagram.nodes[edge.target]
        out.append(f"  {_quote(node_name(source))} -> {_quote(node_name(target))} [{' '.join(attributes)}]")
    out.append("}")
    return "\n".join(out)
