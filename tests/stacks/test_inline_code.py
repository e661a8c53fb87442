"""The code a template carries inline is the file's code: only docstrings and comment-only lines are left out."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from stacks.invocation_logging.configuration import PROVIDER_CODE
from stacks.shared.inline_code import docstring_lines, inline_source


def without_docstrings(text: str) -> str:
    """The syntax tree of `text` with every docstring removed (where a statement remains), dumped."""
    tree = ast.parse(text)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and len(body) > 1 and isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef):
            first = body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                body.pop(0)
    return ast.dump(tree)


def test_the_inlined_provider_is_the_same_code_smaller() -> None:
    source = PROVIDER_CODE.read_text()
    inlined = inline_source(PROVIDER_CODE)
    assert without_docstrings(inlined) == without_docstrings(source)
    assert docstring_lines(ast.parse(inlined)) == set()  # a docstring that is a whole body stays: it is the body
    assert not [line for line in inlined.splitlines() if line.lstrip().startswith("#")]
    # Every line the template holds is one of the file's own, in order.
    lines = iter(source.splitlines())
    assert all(any(line == original for original in lines) for line in inlined.splitlines())
    assert len(inlined) < 0.85 * len(source)


def test_a_comment_line_inside_a_string_would_be_caught(tmp_path: Path) -> None:
    """The comparison can fail: a line starting with # inside a string literal is text, not a comment."""
    code = tmp_path / "index.py"
    code.write_text('"""Doc."""\n\nTEXT = """\n# not a comment\n"""\n')
    assert without_docstrings(inline_source(code)) != without_docstrings(code.read_text())


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ('"""Module."""\n\nX = 1\n', {0}),
        ('def f():\n    """One\n    two."""\n    return 1\n', {1, 2}),
        ('def f():\n    """Only a docstring: kept, the body needs it."""\n', set()),
    ],
)
def test_docstring_lines(text: str, lines: set[int]) -> None:
    assert docstring_lines(ast.parse(text)) == lines
