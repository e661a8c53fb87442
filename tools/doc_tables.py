"""The tables of docs/ that show a fact, generated from the fact's owner; likewise the invoker's copies of core/.

    python -m tools.doc_tables --write     (make docs) rewrite every generated table in place
    python -m tools.doc_tables             exit 1 and name the stale tables, writing nothing

A generated table sits between `<!-- generated:NAME -->` and `<!-- end:NAME -->` in its document; the rest of
the document is written by hand. tests/docs/ fails when a table no longer matches its owner. In a Python module the
lines are `# generated:NAME` and `# end:NAME`: the constants the invoker function mirrors from core/ are generated
that way into its code (`tools.mirrors`), since the function cannot import core/ at run time.

The architecture pictures (README's overview, docs/platform/architecture.md's diagram) are read from a cloud
assembly: this tool synthesizes cdk.json's configuration into a temporary directory (`--assembly DIR` reads one
already synthesized from that configuration instead), and `compliance.report` draws them from its templates.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from compliance.report.architecture import read_diagram
from compliance.report.cloud_assembly import read_stacks
from compliance.report.diagram import overview
from compliance.report.diagram_mermaid import render_mermaid
from tools import mirrors
from tools.attack_table import attacks_table
from tools.catalog_tables import models_table, routing_table, sources_table
from tools.config_errors import plan_errors, value_errors

ROOT = Path(__file__).resolve().parent.parent
# The invoker's code root (not a package: Lambda puts it on the path), for its error mapping.
INVOKER_CODE = ROOT / "lambda" / "invoker"
# The owner of the example docs/callers/messages-api.md shows (read where it lives, like the catalog's data).
MESSAGES_API_EXAMPLE = ROOT / "docs" / "callers" / "examples" / "messages_api_sigv4.py"


def errors_table() -> str:
    """The invoker's error mapping: Bedrock codes first, then failures without a code."""
    if str(INVOKER_CODE) not in sys.path:
        sys.path.insert(0, str(INVOKER_CODE))
    from claude_invoker.errors import BEDROCK_ERRORS, OTHER_FAILURES

    def code(error_code: str | None) -> str:
        return f"`{error_code}`" if error_code else "-"

    rows = [
        "| Cause | Bedrock HTTP status | Retried | `error.type` | `error.details.error_code` |",
        "| --- | --- | --- | --- | --- |",
    ]
    rows += [
        f"| `{bedrock_code}` | {error.status} | {'yes' if error.retried else 'no'} | `{error.error_type}` | "
        f"{code(error.error_code)} |"
        for bedrock_code, error in BEDROCK_ERRORS.items()
    ]
    rows += [
        f"| {cause} | - | {retried} | `{error_type}` | {code(error_code)} |"
        for cause, retried, error_type, error_code in OTHER_FAILURES
    ]
    return "\n".join(rows)


def messages_api_example() -> str:
    """The runnable example of docs/callers/messages-api.md, as its test runs it."""
    return "```python\n" + MESSAGES_API_EXAMPLE.read_text().rstrip("\n") + "\n```"


# Where default_assembly synthesizes, removed when the process ends.
_ASSEMBLY = tempfile.TemporaryDirectory(prefix="doc-tables-")


@cache
def default_assembly() -> Path:
    """cdk.json's configuration synthesized in-process (every stack, every rule pack), as `cdk synth` does."""
    node = ROOT / "node_modules" / ".bin" / "node"
    if node.exists():  # jsii on the pinned, supported Node.js (as app.py does), even outside `make`
        os.environ.setdefault("JSII_NODE", str(node))
    import aws_cdk as cdk

    from core.config import load_config
    from core.deployment import plan_deployment
    from stacks.deployment import build_stacks
    from stacks.shared.nag import add_rule_packs

    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    outdir = Path(_ASSEMBLY.name)
    app = cdk.App(outdir=str(outdir), context={k: v for k, v in context.items() if k.startswith("@")})
    config = load_config({k: v for k, v in context.items() if not k.startswith("@")})
    plan = plan_deployment(config, config.account or cdk.Aws.ACCOUNT_ID, member_account=cdk.Aws.ACCOUNT_ID)
    build_stacks(app, config, plan)
    add_rule_packs(app)
    app.synth()
    return outdir


def _mermaid(text: str) -> str:
    return f"```mermaid\n{text}\n```"


def architecture_diagram(assembly: Path) -> str:
    """Every Region's stacks, key resources and arrows, read from the templates."""
    return _mermaid(render_mermaid(read_diagram(read_stacks(assembly))))


def overview_diagram(assembly: Path) -> str:
    """The same picture a level up: a box per stack and outside party."""
    return _mermaid(render_mermaid(overview(read_diagram(read_stacks(assembly)))))


# Table name -> (document, renderer); the last is a block of Python, the invoker's mirror of core/'s constants.
TABLES: dict[str, tuple[str, Callable[[], str]]] = {
    "models": ("docs/platform/models.md", models_table),
    "routing": ("docs/platform/models.md", routing_table),
    "model-sources": ("docs/platform/models.md", sources_table),
    "errors": ("docs/callers/invoking.md", errors_table),
    "messages-api-example": ("docs/callers/messages-api.md", messages_api_example),
    "config-errors": ("docs/platform/configuration.md", value_errors),
    "plan-errors": ("docs/platform/configuration.md", plan_errors),
    "mirrors": (mirrors.MIRROR, mirrors.render),
    "attacks": ("docs/compliance/threats.md", attacks_table),
}
# Picture name -> (document, renderer of a cloud assembly of cdk.json's configuration).
DIAGRAMS: dict[str, tuple[str, Callable[[Path], str]]] = {
    "overview": ("README.md", overview_diagram),
    "architecture": ("docs/platform/architecture.md", architecture_diagram),
}


def rendered(name: str, assembly: Path | None = None) -> str:
    """What the block `name` must hold: a table from its owner, a picture from the assembly."""
    if name in TABLES:
        return TABLES[name][1]()
    return DIAGRAMS[name][1](assembly or default_assembly())


def document_of(name: str) -> str:
    return (TABLES.get(name) or DIAGRAMS[name])[0]


def _block(name: str) -> re.Pattern[str]:
    """The block `name` of a Markdown document (HTML comments) or of a Python module (`#` comments)."""
    return re.compile(
        rf"((?:<!-- generated:{name}\b[^>]*-->|^# generated:{name})\n)(.*?)(^(?:<!-- end:{name} -->|# end:{name}$))",
        re.DOTALL | re.MULTILINE,
    )


def current_text(name: str) -> str | None:
    """The table as the document holds it now; None when the markers are missing."""
    match = _block(name).search((ROOT / document_of(name)).read_text())
    return match.group(2).rstrip("\n") if match else None


def write(name: str, assembly: Path | None = None) -> bool:
    """Rewrite one table in its document; True when the document changed."""
    document = document_of(name)
    path = ROOT / document
    text = path.read_text()
    content = rendered(name, assembly)
    new, count = _block(name).subn(lambda m: m.group(1) + content + "\n" + m.group(3), text)
    if count != 1:
        raise SystemExit(f"{document}: expected one '<!-- generated:{name} ... -->' block, found {count}")
    path.write_text(new)
    return new != text


def main(argv: list[str]) -> int:
    assembly = Path(argv[argv.index("--assembly") + 1]) if "--assembly" in argv else None
    names = [*TABLES, *DIAGRAMS]
    if "--write" in argv:
        for name in names:
            print(f"{document_of(name)}: {name} block {'rewritten' if write(name, assembly) else 'unchanged'}")
        return 0
    stale = [name for name in names if current_text(name) != rendered(name, assembly)]
    for name in stale:
        print(f"{document_of(name)}: the {name} block is stale; run `make docs`", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
