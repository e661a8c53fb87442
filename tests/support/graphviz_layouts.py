"""Graphviz's layouts remembered by their DOT source, for tests that write the same report pictures again and again.

Each report run lays out its pictures in a Node.js process of its own (compliance/report/graphviz.py, ~0.3 s). A
layout depends on its DOT source alone, so a source seen before gets the SVG Graphviz gave for it; any new source
(another name in a picture, another Region) is laid out by Graphviz as usual.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from compliance.report import graphviz

_LAID_OUT: dict[tuple[str, tuple[str, ...]], list[str]] = {}


def remembering(run_graphviz: Callable[[list[str], str], list[str]]) -> Callable[[list[str], str], list[str]]:
    """`run_graphviz` (compliance.report.graphviz's), answering a request it answered before from memory."""

    def remembered(sources: list[str], output_format: str) -> list[str]:
        key = (output_format, tuple(sources))
        if key not in _LAID_OUT:
            _LAID_OUT[key] = run_graphviz(sources, output_format)
        return list(_LAID_OUT[key])

    return remembered


def remember_layouts(monkeypatch: pytest.MonkeyPatch) -> None:
    """For one test: the report's Graphviz runs remember their layouts."""
    monkeypatch.setattr(graphviz, "run_graphviz", remembering(graphviz.run_graphviz))
