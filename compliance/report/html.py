"""The report as HTML, rendered from its Markdown without any dependency."""

from __future__ import annotations

import html
import re


def render_html(markdown: str) -> str:
    """A plain, dependency-free HTML rendering of the Markdown report (headings, lists, tables)."""
    out = [
        "<!doctype html><meta charset='utf-8'><title>Compliance report</title>",
        "<style>body{font-family:sans-serif;max-width:70em;margin:auto}td,th{border:1px solid #ccc;padding:4px}"
        "table{border-collapse:collapse}</style>",
    ]
    in_table = in_list = False
    for line in markdown.splitlines():
        text = re.sub(r"`([^`]*)`", r"<code>\1</code>", html.escape(line, quote=False))
        text = re.sub(r"\*\*([^*]*)\*\*", r"<b>\1</b>", text)
        if line.startswith("|"):
            cells = [c.strip() for c in text.strip("|").split("|")]
            if set(line.replace("|", "").strip()) <= {"-", " "}:
                continue
            out.append(("<table>" if not in_table else "") + "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
            in_table = True
            continue
        if in_table:
            out.append("</table>")
            in_table = False
        if line.startswith("- "):
            out.append(("<ul>" if not in_list else "") + f"<li>{text[2:]}</li>")
            in_list = True
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        heading = re.match(r"^(#+) (.*)", text)
        if heading:
            level = len(heading.group(1))
            out.append(f"<h{level}>{heading.group(2)}</h{level}>")
        elif text:
            out.append(f"<p>{text}</p>")
    out += ["</table>"] if in_table else []
    out += ["</ul>"] if in_list else []
    return "\n".join(out) + "\n"
