"""The house's layers: imports run one way, and the core knows nothing of CDK.

    app.py, tools/     entry points
    compliance/        report and audit (read the core; never CDK, never the stacks)
    stacks/            CDK constructs and stacks (read the core)
    core/              plain Python facts and rules (read nothing above)

Read from the source with `ast`: nothing is imported to run these checks.
"""

from __future__ import annotations

import ast
import itertools
import sys
import tomllib
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


# The corridors: how the rooms hand things to each other, read from the source with `ast` too.

PRODUCT_FILES = [ROOT / "app.py", *(p for pkg in (*PACKAGES, "lambda") for p in sorted((ROOT / pkg).rglob("*.py")))]
STDLIB = frozenset(sys.stdlib_module_names)
MAX_FUNCTION_LINES = 100


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text())


def _chain(node: ast.expr) -> list[str]:
    """`a.b.c` as ["a", "b", "c"] (from the first name on; a call or subscript before it ends the chain)."""
    names: list[str] = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        names.append(node.id)
    return names[::-1]


def holder_echoes(tree: ast.Module) -> list[str]:
    """Attribute chains through a holder that repeats its own name: `logging.logging.storage`, `x.topic.topic`."""
    inner = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and id(node) not in inner:  # each whole chain once
            names = _chain(node)
            if any(a.lstrip("_") == b.lstrip("_") for a, b in itertools.pairwise(names)):
                found.add(f"{node.lineno}: {'.'.join(names)}")
    return sorted(found)


def stdlib_names(tree: ast.Module) -> set[str]:
    """Variables and parameters named after a standard-library module (fields of a class body are attributes)."""
    found: set[str] = set()

    class Visitor(ast.NodeVisitor):
        def visit_ClassDef(self, node: ast.ClassDef) -> None:
            for statement in node.body:
                if not isinstance(statement, ast.Assign | ast.AnnAssign):
                    self.visit(statement)

        def visit_Name(self, node: ast.Name) -> None:
            if isinstance(node.ctx, ast.Store) and node.id in STDLIB:
                found.add(node.id)

        def visit_arg(self, node: ast.arg) -> None:
            if node.arg in STDLIB:
                found.add(node.arg)

    Visitor().visit(tree)
    return found


def long_functions(tree: ast.Module, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    return sorted(
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > limit
    )


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_attribute_chain_echoes_its_holder_in_the_wiring() -> None:
    files = [ROOT / "app.py", *sorted((ROOT / "stacks").rglob("*.py"))]
    assert {_relative(p): echoes for p in files if (echoes := holder_echoes(_tree(p)))} == {}


def test_no_variable_or_parameter_is_named_after_a_standard_library_module() -> None:
    found = {_relative(p): sorted(names) for p in PRODUCT_FILES if (names := stdlib_names(_tree(p)))}
    assert found == {}


def test_no_product_function_is_over_a_hundred_lines() -> None:
    assert {_relative(p): long for p in PRODUCT_FILES if (long := long_functions(_tree(p)))} == {}


def config_imports_of(graph: dict[str, set[str]], planners: tuple[str, ...]) -> list[str]:
    """Imports of core/config's modules that reach into any of `planners`."""
    return sorted(
        f"{module} imports {name}"
        for module, names in graph.items()
        if module == "core.config" or module.startswith("core.config.")
        for name in names
        if any(name == p or name.startswith(f"{p}.") for p in planners)
    )


def test_the_configuration_knows_nothing_of_what_plans_with_it() -> None:
    """core/config parses and validates values; the plans and what they decide read it, never the other way."""
    planners = ("core.invocation_access", "core.teams", "core.guardrails", "core.deployment")
    assert config_imports_of(GRAPH, planners) == []


def test_the_corridor_checks_read_real_code_and_can_fail() -> None:
    assert "sys" in STDLIB and "logging" in STDLIB
    assert len(PRODUCT_FILES) > 100 and ROOT / "lambda" / "invoker" / "handler.py" in PRODUCT_FILES
    planted = ast.parse(
        "def wire(logging, invoker):\n"
        "    storage = logging.logging.storage\n"
        "    json = invoker.invoker.log_group\n"
        "    return [resource for resource in storage], self.alarms.topic.topic.topic_arn\n"
        "def long():\n" + "    x = 1\n" * 100
    )
    assert holder_echoes(planted) == [
        "2: logging.logging.storage",
        "3: invoker.invoker.log_group",
        "4: self.alarms.topic.topic.topic_arn",
    ]
    assert stdlib_names(planted) == {"logging", "json", "resource"}
    # A field of a class body is an attribute (AppConfig.logging), a variable of its methods is not.
    assert stdlib_names(ast.parse("class C:\n    logging: int = 0\n    def f(self):\n        os = 1\n")) == {"os"}
    assert long_functions(planted) == ["long (101 lines)"]
    assert long_functions(planted, limit=101) == []
    graph = {name: set(imports) for name, imports in GRAPH.items()}
    graph["core.config.app"].add("core.teams.plan")
    assert config_imports_of(graph, ("core.teams",)) == ["core.config.app imports core.teams.plan"]
    # Distinct names along a chain are no echo, whatever their length.
    assert holder_echoes(ast.parse("logs = built.invocation_logging.storage.log_group")) == []
    assert "core.catalog.lookup" in GRAPH["core.config.models"]


# mypy follows only the aws_cdk modules the code imports (pyproject.toml says why): the list there is this one.

CDK_PACKAGE = Path(next(p for p in sys.path if (Path(p) / "aws_cdk" / "__init__.py").exists())) / "aws_cdk"


def cdk_modules_imported(tree: ast.Module) -> set[str]:
    """The aws_cdk submodules a module imports (`from aws_cdk import aws_s3 as s3`, `import aws_cdk.aws_s3`)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "aws_cdk":
            found.update(f"aws_cdk.{a.name}" for a in node.names if (CDK_PACKAGE / a.name / "__init__.py").exists())
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("aws_cdk."):
            found.add(str(node.module))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("aws_cdk."))
    return found


def mypy_followed_cdk_modules() -> set[str]:
    """The aws_cdk submodules pyproject.toml's mypy overrides follow, once it skips the others."""
    overrides = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]["overrides"]
    assert {"module": ["aws_cdk.*"], "follow_imports": "skip"} in overrides, "pyproject.toml skips aws_cdk.*"
    followed = [o["module"] for o in overrides if o.get("follow_imports") == "normal"]
    return {m for modules in followed for m in modules if m.startswith("aws_cdk.")}


def test_mypy_follows_exactly_the_aws_cdk_modules_the_code_imports() -> None:
    imported = set().union(*(cdk_modules_imported(_tree(path)) for path in MODULES.values()))
    assert mypy_followed_cdk_modules() == imported, "list the aws_cdk modules in pyproject.toml's mypy override"
    planted = ast.parse(
        "from aws_cdk import Stack, aws_sqs as sqs\nimport aws_cdk.aws_sns\nfrom aws_cdk.aws_kms import Key"
    )
    assert cdk_modules_imported(planted) == {"aws_cdk.aws_sqs", "aws_cdk.aws_sns", "aws_cdk.aws_kms"}
