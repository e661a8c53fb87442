"""The house's layers: imports run one way, and the core knows nothing of CDK.

    app.py, tools/     entry points
    compliance/        report and audit (read the core; never CDK, never the stacks)
    stacks/            CDK constructs and stacks (read the core)
    core/              plain Python facts and rules (read nothing above)

Read from the source with `ast`: nothing is imported to run these checks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "stacks", "compliance", "tools")
CDK = ("aws_cdk", "constructs", "cdk_nag", "jsii")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> dict[str, Path]:
    files = [ROOT / "app.py", *(p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py")))]
    return {_module_name(p): p for p in files if p.exists()}


MODULES = _sources()


def _imports(module: str) -> set[str]:
    """Every module `module` imports: `from a.b import c` is a.b.c when that is a module, else a.b."""
    tree = ast.parse(MODULES[module].read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in MODULES else node.module)
    return found


GRAPH = {module: _imports(module) for module in MODULES}


def _top(name: str) -> str:
    return name.split(".", 1)[0]


def forbidden_imports(graph: dict[str, set[str]], layer: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{module} imports {name}"
        for module, names in graph.items()
        if _top(module) == layer
        for name in names
        if _top(name) in forbidden
    )


def find_cycles(graph: dict[str, set[str]]) -> list[str]:
    """Every import cycle among the graph's own modules (depth-first search)."""
    internal = {m: {n for n in names if n in graph} for m, names in graph.items()}
    state: dict[str, str] = {}
    cycles: list[str] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(internal[module]):
            if state.get(target) == "open":
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(internal):
        if module not in state:
            visit(module, [module])
    return cycles


LAYER_RULES = [
    ("core", (*CDK, "stacks", "compliance", "tools", "app")),
    ("compliance", (*CDK, "stacks", "tools", "app")),
    ("stacks", ("compliance", "tools", "app")),
]


@pytest.mark.parametrize(("layer", "forbidden"), LAYER_RULES)
def test_a_layer_imports_nothing_above_it(layer: str, forbidden: tuple[str, ...]) -> None:
    assert forbidden_imports(GRAPH, layer, forbidden) == []


def test_no_module_imports_one_that_imports_it_back() -> None:
    assert find_cycles(GRAPH) == []


def test_the_checks_see_real_imports_and_can_fail() -> None:
    assert "aws_cdk" in {_top(n) for n in GRAPH["stacks.shared.nag"]}, "the graph reads real imports"
    assert "core.catalog.scopes" in GRAPH["core.catalog.lookup"]
    planted = {name: set(imports) for name, imports in GRAPH.items()}
    planted["core.catalog.scopes"].add("core.catalog.lookup")  # lookup imports scopes: now a cycle
    planted["core.invocation_logging.retention"].add("aws_cdk.aws_logs")
    assert "core.catalog.scopes -> core.catalog.lookup -> core.catalog.scopes" in find_cycles(planted)
    assert forbidden_imports(planted, *LAYER_RULES[0]) == ["core.invocation_logging.retention imports aws_cdk.aws_logs"]
