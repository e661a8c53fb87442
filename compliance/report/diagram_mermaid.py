"""The diagram as Mermaid (a flowchart GitHub renders): one subgraph per Region, one per stack inside it."""

from __future__ import annotations

import re

from compliance.report.diagram import Diagram, Node

# Mermaid shapes by kind: stores are cylinders, people and outside parties are stadiums, AWS services hexagons.
_SHAPES = {
    "S3 bucket": ("[(", ")]"),
    "log group": ("[(", ")]"),
    "SQS queue": ("[(", ")]"),
    "Glue table": ("[(", ")]"),
    "principal": ("([", "])"),
    "subscriber": ("([", "])"),
    "accounts": ("([", "])"),
    "outside resource": ("([", "])"),
    "AWS service": ("{{", "}}"),
}


def node_id(node: Node) -> str:
    """Readable and stable: the stack (or Region) and the construct path: ClaudeInvoker_us_east_1__InvokerFunction."""
    where = re.sub(r"[^A-Za-z0-9]+", "_", node.stack or f"{node.region} {node.kind}").strip("_")
    return f"{where}__{re.sub(r'[^A-Za-z0-9]+', '_', node.label).strip('_')}"


def _group_id(text: str) -> str:
    return "g_" + re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")


def _text(value: str) -> str:
    return value.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def _node(node: Node, indent: str) -> str:
    start, end = _SHAPES.get(node.kind, ("[", "]"))
    label = _text(node.label)
    if node.kind not in ("principal", "subscriber", "AWS service") and node.kind not in node.label:
        label += f"<br/><small>{_text(node.kind)}</small>"
    return f'{indent}{node_id(node)}{start}"{label}"{end}'


def render_mermaid(diagram: Diagram) -> str:
    """The Mermaid source, deterministic for one assembly (nodes and arrows in the order they were read)."""
    lines = ["flowchart LR"]
    for region in diagram.regions():
        nodes = [n for n in diagram.nodes.values() if n.region == region]
        lines.append(f'  subgraph {_group_id(region)}["{region}"]')
        lines += [_node(n, "    ") for n in nodes if not n.stack]
        for stack in dict.fromkeys(n.stack for n in nodes if n.stack):
            lines.append(f'    subgraph {_group_id(stack)}["{stack}"]')
            lines += [_node(n, "      ") for n in nodes if n.stack == stack]
            lines.append("    end")
        lines.append("  end")
    lines += [
        f'  {node_id(diagram.nodes[e.source])} -- "{_text(e.label)}" --> {node_id(diagram.nodes[e.target])}'
        for e in diagram.edges
    ]
    return "\n".join(lines)
