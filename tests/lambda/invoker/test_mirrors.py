"""Every constant the invoker mirrors from core/ equals its owner, and the function holds no other copy of one.

The function cannot import core/ at run time, so `claude_invoker.mirrored` holds copies that `make docs` writes
(tools/mirrors.py). A copy that drifted would fail only when the deployed function starts, or let it accept what
core/ refuses. The checks can fail: a value changed on the function's side only, or on core's side only, is named,
and a hand-made copy planted in the function's code is found. Adding a scope is one edit in core/ plus `make docs`:
the last test does exactly that and starts the function's configuration with the new scope.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.catalog.scopes import SCOPES
from tests.support.invoker import BASE_ENV, CODE_ROOT, MODELS
from tools import doc_tables
from tools.mirrors import MIRROR, MIRRORS, ROOT, differences

MIRROR_PATH = ROOT / MIRROR


def test_every_mirrored_constant_equals_its_owner() -> None:
    assert differences(MIRROR_PATH) == []


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ('"flex", ', "", ["SERVICE_TIERS"]),  # a tier dropped by hand
        ("MAX_TIMEOUT_SECONDS = 900", 'MAX_TIMEOUT_SECONDS = "900"', ["MAX_TIMEOUT_SECONDS"]),  # same text, not an int
        ('SCOPES = ("global", ', 'SCOPES = ("global", "mars", ', ["SCOPES"]),  # a scope core does not have
        (
            "\n# end:mirrors\n",
            '\nEXTRA_TIERS = ("turbo",)\n# end:mirrors\n',
            ["EXTRA_TIERS"],
        ),  # a constant nothing generates
    ],
    ids=["value", "type", "added", "unknown"],
)
def test_a_value_changed_in_the_function_only_is_named(tmp_path: Path, old: str, new: str, named: list[str]) -> None:
    text = MIRROR_PATH.read_text()
    assert text.count(old) == 1, old
    copy = tmp_path / "mirrored.py"
    copy.write_text(text.replace(old, new))
    assert differences(copy) == named


def test_a_value_changed_in_core_only_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("core.config.invoker.LATENCIES", ("standard",))
    monkeypatch.setattr("core.usage.queries.INVOKER_SUCCESS_MESSAGE", "Claude call succeeded")
    assert differences(MIRROR_PATH) == ["LATENCIES", "INVOKER_SUCCESS_MESSAGE"]


def _literals(tree: ast.AST) -> list[tuple[int, object]]:
    """(line, value) of every string constant, and of every tuple, list or set of constants, in a module."""
    found: list[tuple[int, object]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.Tuple | ast.List | ast.Set) and node.elts:
            members = [element.value for element in node.elts if isinstance(element, ast.Constant)]
            if len(members) == len(node.elts):
                found.append((node.lineno, frozenset(members)))
    return found


def hand_copies(sources: dict[str, str]) -> list[str]:
    """`file:line NAME` for each literal in `sources` (file -> text) that holds a mirrored value: a string equal to a
    mirrored string, or a collection with the members of a mirrored collection, in any order."""
    values: dict[object, str] = {}
    for mirror in MIRRORS:
        value = mirror.value()
        values[frozenset(value) if isinstance(value, tuple | frozenset) else value] = mirror.name
    return [
        f"{name}:{line} {values[value]}"
        for name, text in sorted(sources.items())
        for line, value in _literals(ast.parse(text))
        if value in values
    ]


def _function_sources() -> dict[str, str]:
    paths = [p for p in sorted(CODE_ROOT.rglob("*.py")) if p.resolve() != MIRROR_PATH.resolve()]
    return {str(p.relative_to(CODE_ROOT)): p.read_text() for p in paths}


def test_the_function_holds_no_copy_of_a_mirrored_value_outside_the_mirror() -> None:
    sources = _function_sources()
    assert "claude_invoker/config.py" in sources and "handler.py" in sources
    assert hand_copies(sources) == []


def test_a_copy_made_by_hand_is_found() -> None:
    planted = {
        "claude_invoker/planted.py": (
            'TIERS = ("reserved", "flex", "default", "priority")\n'
            'def log(logger):\n    logger.info("Claude invocation succeeded")\n'
        )
    }
    assert hand_copies(planted) == [
        "claude_invoker/planted.py:1 SERVICE_TIERS",
        "claude_invoker/planted.py:3 INVOKER_SUCCESS_MESSAGE",
    ]


def _start(code: Path, endpoint_scope: str) -> str:
    """Start the configuration of the function whose code root is `code`, with every model under `endpoint_scope`:
    the scope it took, or the error it failed with."""
    models = {
        alias: {**entry, "profile_id": f"{endpoint_scope}.{entry['model_id']}"} for alias, entry in MODELS.items()
    }
    env = {**os.environ, **BASE_ENV, "CLAUDE_ENDPOINT_SCOPE": endpoint_scope, "CLAUDE_MODELS": json.dumps(models)}
    script = (
        "import os\nfrom claude_invoker.config import load_settings\nprint(load_settings(os.environ).endpoint_scope)"
    )
    started = subprocess.run(
        [sys.executable, "-c", script], cwd=code, env=env, capture_output=True, text=True, check=False
    )
    return started.stdout.strip() if started.returncode == 0 else started.stderr.strip().splitlines()[-1]


def test_a_new_scope_is_one_edit_in_core_and_make_docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scope added to core.catalog.scopes, then `make docs` (doc_tables --write) on a copy of the function's code:
    before, the copy refuses the scope and its mirror is named stale; after, it agrees with core and starts."""
    code = tmp_path / "lambda" / "invoker"
    shutil.copytree(CODE_ROOT, code, ignore=shutil.ignore_patterns("__pycache__"))
    copied_mirror = tmp_path / MIRROR
    monkeypatch.setattr("core.catalog.scopes.SCOPES", (*SCOPES, "mars"))
    assert differences(copied_mirror) == ["SCOPES"]
    assert _start(code, "mars").startswith("claude_invoker.config.ConfigError: CLAUDE_ENDPOINT_SCOPE: 'mars' is not")

    monkeypatch.setattr(doc_tables, "ROOT", tmp_path)
    assert doc_tables.write("mirrors") is True
    assert differences(copied_mirror) == []
    assert _start(code, "mars") == "mars"
