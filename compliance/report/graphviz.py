"""Graphviz lays out the report's pictures: compiled to WebAssembly (`@hpcc-js/wasm-graphviz`, pinned in
package.json), run by the project's pinned Node.js (`node_modules/.bin/node`) at report time.

A well-kept layout engine instead of the project's own: Graphviz's `dot` ranks, orders and routes the boxes and arrows
and places every arrow's label as part of the layout, so labels do not overlap boxes or each other. One Node.js process
lays out every picture of a report. The SVG it returns is made inline-ready here (no XML prologue, scaled by CSS).
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NODE = ROOT / "node_modules" / ".bin" / "node"
SCRIPT = Path(__file__).with_name("graphviz_layout.mjs")
PACKAGE = ROOT / "node_modules" / "@hpcc-js" / "wasm-graphviz"
_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_ID = re.compile(r' id="([^"]+)"')
_COMMENT = re.compile(r"<!--.*?-->\s*", re.DOTALL)
MIN_SCALE = 0.8  # 11 pt names at least 8.8 px high on screen
_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')


class GraphvizError(RuntimeError):
    """Graphviz could not run: Node.js or the package missing (`make setup` runs `npm ci`), or a source it refused."""


def layout(sources: Mapping[str, str]) -> dict[str, str]:
    """Each named DOT source laid out as an inline `<svg>` element whose ids start with its name (one page may show
    several pictures)."""
    drawn = run_graphviz(list(sources.values()), "svg")
    return {name: inline(svg, name) for name, svg in zip(sources, drawn, strict=True)}


def run_graphviz(sources: list[str], output_format: str) -> list[str]:
    """Graphviz's `dot` output for each source (`svg`, or `json`: its coordinates and text widths), in order."""
    if not sources:
        return []
    if not NODE.exists() or not PACKAGE.is_dir():
        missing = NODE if not NODE.exists() else PACKAGE
        raise GraphvizError(
            f"the report's pictures need {missing}: run `make setup` (npm ci installs Node.js and Graphviz from "
            "package-lock.json)"
        )
    request = json.dumps({"format": output_format, "sources": sources})
    result = subprocess.run(
        [str(NODE), str(SCRIPT)], input=request, capture_output=True, text=True, check=False, timeout=120
    )
    if result.returncode != 0:
        raise GraphvizError(f"Graphviz failed: {' '.join(result.stderr.strip().splitlines()[-1:])}")
    outputs: list[str] = json.loads(result.stdout)["outputs"]
    return outputs


def inline(svg: str, name: str) -> str:
    """Graphviz's SVG as an element of an HTML page: no prologue or comments; drawn at most at its natural size (1 pt
    of the layout as 1 px) and at least at MIN_SCALE of it (a narrower page scrolls the picture instead of shrinking
    its text below legibility; print fits it to the page)."""
    svg = _COMMENT.sub("", _PROLOGUE.sub("", svg, count=1)).strip()
    svg = _ID.sub(lambda m: f' id="{re.sub(r"[^A-Za-z0-9-]", "-", name)}-{m.group(1)}"', svg)
    size = _SIZE.search(svg)
    if size is None:
        return svg
    width = float(size.group(1))
    style = f"width:100%;min-width:{width * MIN_SCALE:.0f}px;max-width:{width:.0f}px"
    return _SIZE.sub(f'<svg class="diagram" style="{style}" role="img"', svg, count=1)
