"""The report as one self-contained HTML file: styled, with the picture as inline SVG and a print stylesheet.

No script, no font or image from the network: a reviewer opening the file offline, or printing it to PDF, sees
everything. Every table has fixed column widths and wraps long values (ARNs, rule IDs) inside its cells.
"""

from __future__ import annotations

import re
from html import escape

from compliance.report.assembly import Report
from compliance.report.contents import build_document
from compliance.report.diagram import Diagram
from compliance.report.diagram_dot import CATEGORIES, dot_source, stack_colours, stack_kind
from compliance.report.document import Bullets, Document, Figure, Section, Table, Verdicts
from compliance.report.graphviz import layout as graphviz_layout
from compliance.report.html_style import STYLE

SYMBOLS = {"pass": "✓ PASS", "fail": "✗ FAIL", "warn": "! WARN"}


# A Region inside a name (`ClaudeInvoker-us-east-1`) is kept on one line; a path may break after its slashes.
_JOINTS = re.compile(r"(/|[._=,:](?=[A-Za-z{]))")
_REGION = re.compile(r"\b[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d\b")


def _regions_whole(text: str) -> str:
    return _REGION.sub(lambda m: f'<span class="nobr">{m.group(0)}</span>', text)


def _words(text: str) -> str:
    """A long name may break after a slash, or after a dot, underscore, equals sign, comma or colon before a letter
    (`bedrock.logging.configured`, `textDataDeliveryEnabled=true`); a Region stays whole."""
    return _regions_whole(_JOINTS.sub(r"\1<wbr>", text))


def _code(text: str) -> str:
    return f"<code>{_words(text)}</code>"


def inline(text: str) -> str:
    """Escaped text with `code` and **bold** marked up; names break only between their words (a Region stays whole,
    a path breaks after its slashes)."""
    parts = re.split(r"(`[^`]*`)", escape(text, quote=False))
    out = "".join(_code(p[1:-1]) if len(p) > 1 and p[0] == p[-1] == "`" else _words(p) for p in parts)
    return re.sub(r"\*\*([^*]*)\*\*", r"<strong>\1</strong>", out)


CELL_MARKS = {"yes": ("ok", "✓ yes"), "NO": ("bad", "✗ NO"), "WARN": ("warn", "! WARN"), "INFO": ("info", "i INFO")}


def _cell(text: str, marks: bool) -> str:
    if marks and text in CELL_MARKS:
        css, shown = CELL_MARKS[text]
        return f'<td class="{css}">{shown}</td>'
    return f"<td>{inline(text)}</td>"


def _table(table: Table) -> str:
    widths = "".join(f'<col style="width:{w}%">' for w in table.widths)
    head = "".join(f"<th>{inline(c)}</th>" for c in table.columns)
    marks = table.marks
    rows = "".join("<tr>" + "".join(_cell(c, marks) for c in row) + "</tr>" for row in table.rows)
    css = f' class="{table.css}"' if table.css else ""
    colgroup = f"<colgroup>{widths}</colgroup>" if widths else ""
    return f"<table{css}>{colgroup}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _verdicts(verdicts: Verdicts) -> str:
    share = 76 // max(len(verdicts.regions), 1)
    widths = '<col style="width:24%">' + "".join(f'<col style="width:{share}%">' for _ in verdicts.regions)
    head = "<th>Question</th>" + "".join(f"<th>{inline(r)}</th>" for r in verdicts.regions)
    rows = ""
    for question, marks in verdicts.rows:
        cells = "".join(
            f'<td class="v-{v.status}"><span class="mark">{SYMBOLS[v.status]}</span> '
            f'<span class="detail">{inline(v.detail)}</span></td>'
            for v in marks
        )
        rows += f'<tr><th scope="row">{escape(question)}</th>{cells}</tr>'
    return (
        f'<table class="verdicts"><colgroup>{widths}</colgroup><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _legend(diagram: Diagram, region: str) -> str:
    stacks = dict.fromkeys(n.stack for n in diagram.nodes.values() if n.region == region and n.stack)
    boxes = "".join(
        f'<span class="key"><span class="swatch" style="background:{fill};border-color:{outline}"></span>'
        f"{inline(stack)}</span> "
        for stack in stacks
        for fill, outline in [stack_colours(stack_kind(stack, region))]
    )
    arrows = "".join(
        f'<span class="key"><span class="arrow{" dashed" if kind == "encrypt" else ""}" '
        f'style="border-color:{colour}"></span>{escape(meaning)}</span> '
        for kind, (colour, meaning) in CATEGORIES.items()
    )
    return f'{boxes}<span class="key"><span class="swatch outside"></span>outside the stacks</span><br>{arrows}'


def _figure(diagram: Diagram, region: str, picture: str) -> str:
    return (
        f'<figure class="diagram" style="width:min(calc(100vw - 64px), {_natural_width(picture) + 16}px)">'
        f'<div class="frame">{picture}</div>'
        f"<figcaption><strong>{inline(region)}</strong>: {_legend(diagram, region)}</figcaption></figure>"
    )


def _natural_width(picture: str) -> int:
    found = re.search(r"max-width:(\d+)px", picture)
    return int(found.group(1)) if found else 1000


def _section(section: Section, diagram: Diagram, pictures: dict[str, str]) -> str:
    anchor = section.anchor or re.sub(r"[^a-z0-9]+", "-", section.title.lower()).strip("-")
    parts = [f'<section id="{escape(anchor)}" class="level{section.level}">']
    parts.append(f"<h{section.level}>{inline(section.title)}</h{section.level}>")
    for block in section.blocks:
        if isinstance(block, str):
            parts.append(f"<p>{inline(block)}</p>")
        elif isinstance(block, Bullets):
            parts.append("<ul>" + "".join(f"<li>{inline(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, Verdicts):
            parts.append(_verdicts(block))
        elif isinstance(block, Figure):
            parts.append(_figure(diagram, block.region, pictures[block.region]))
    return "".join(parts) + "</section>"


def pictures(document: Document, diagram: Diagram) -> dict[str, str]:
    """Every Region's picture, laid out by Graphviz in one run."""
    regions = [b.region for s in document.sections for b in s.blocks if isinstance(b, Figure)]
    return graphviz_layout({region: dot_source(diagram, region) for region in regions})


def layout(document: Document, diagram: Diagram) -> str:
    covers = "".join(f"<dt>{escape(label)}</dt><dd>{inline(value)}</dd>" for label, value in document.covers)
    toc = "".join(
        f'<li><a href="#{escape(s.anchor or re.sub(r"[^a-z0-9]+", "-", s.title.lower()).strip("-"))}">'
        f"{inline(s.title)}</a></li>"
        for s in document.sections
        if s.level == 2
    )
    drawn = pictures(document, diagram)
    body = "\n".join(_section(section, diagram, drawn) for section in document.sections)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(document.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f'<header class="cover"><h1>{escape(document.title)}</h1><dl class="covers">{covers}</dl>'
        f'<p class="note">{inline(document.note)}</p></header>\n'
        f'<nav class="toc"><ol>{toc}</ol></nav>\n<main>\n{body}\n</main>\n</body>\n</html>\n'
    )


def render_html(report: Report) -> str:
    return layout(build_document(report), report.diagram)
