"""Python code a template carries inline (`Code.ZipFile`): the file as written, without what only a reader needs.

A reviewer reads the file in `lambda/`; CloudFormation stores its code in the template, where every byte counts (a
StackSet takes a template body of at most 51,200 bytes: core.organization.rollout). So the docstrings and the
comment-only lines are left out, whole lines only: every line the template holds is the file's own, and the code is
the same (tests/stacks/test_inline_code.py compares the syntax trees).
"""

from __future__ import annotations

import ast
from pathlib import Path

_DOCUMENTED = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _is_text(expression: ast.expr) -> bool:
    return isinstance(expression, ast.Constant) and isinstance(expression.value, str)


def docstring_lines(tree: ast.Module) -> set[int]:
    """Zero-based numbers of the lines that hold docstrings (of a body that keeps a statement without it)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, _DOCUMENTED) or len(node.body) < 2:
            continue
        first = node.body[0]
        if isinstance(first, ast.Expr) and _is_text(first.value):
            lines.update(range(first.lineno - 1, first.end_lineno or first.lineno))
    return lines


def inline_source(path: Path) -> str:
    """The text of `path` without its docstrings and comment-only lines."""
    text = path.read_text()
    dropped = docstring_lines(ast.parse(text))
    kept = [
        line
        for number, line in enumerate(text.splitlines(keepends=True))
        if number not in dropped and not line.lstrip().startswith("#")
    ]
    return "".join(kept)
