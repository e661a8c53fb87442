"""The report as Markdown: the document laid out for a repository browser (the picture as a Mermaid block)."""

from __future__ import annotations

from compliance.report.assembly import Report
from compliance.report.contents import build_document, region_answer
from compliance.report.diagram import Diagram
from compliance.report.diagram_mermaid import render_mermaid
from compliance.report.document import Bullets, Document, Figure, Table, Verdicts

MARKS = {"pass": "PASS", "fail": "FAIL", "warn": "WARN"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(table: Table) -> list[str]:
    lines = ["| " + " | ".join(table.columns) + " |", "| " + " | ".join("---" for _ in table.columns) + " |"]
    return lines + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]


def _verdicts(verdicts: Verdicts) -> list[str]:
    rows = [[question, *(f"{MARKS[v.status]}: {v.detail}" for v in marks)] for question, marks in verdicts.rows]
    return _table(Table(["Question", *verdicts.regions], rows))


def _region_diagram(diagram: Diagram, region: str) -> Diagram:
    nodes = {k: n for k, n in diagram.nodes.items() if n.region == region}
    return Diagram(nodes, [e for e in diagram.edges if e.source in nodes and e.target in nodes])


def layout(document: Document, diagram: Diagram) -> str:
    lines = [f"# {document.title}", ""]
    lines += [f"- {label}: {value}" for label, value in document.covers]
    lines += ["", document.note] if document.note else []
    for section in document.sections:
        lines += ["", f"{'#' * section.level} {section.title}"]
        for block in section.blocks:
            lines.append("")
            if isinstance(block, str):
                lines.append(block)
            elif isinstance(block, Bullets):
                lines += [f"- {item}" for item in block.items]
            elif isinstance(block, Table):
                lines += _table(block)
            elif isinstance(block, Verdicts):
                lines += _verdicts(block)
            elif isinstance(block, Figure):
                lines += ["```mermaid", render_mermaid(_region_diagram(diagram, block.region)), "```"]
    return "\n".join(lines) + "\n"


def render_markdown(report: Report) -> str:
    return layout(build_document(report), report.diagram)


__all__ = ["region_answer", "render_markdown"]
