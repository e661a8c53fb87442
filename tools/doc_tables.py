"""The tables of docs/ that show a fact, generated from the fact's owner.

    python -m tools.doc_tables --write     (make docs) rewrite every generated table in place
    python -m tools.doc_tables             exit 1 and name the stale tables, writing nothing

A generated table sits between `<!-- generated:NAME -->` and `<!-- end:NAME -->` in its document; the rest of
the document is written by hand. tests/docs/ fails when a table no longer matches its owner.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from core.models import BUILTIN_MODELS, ClaudeModel
from core.scopes import SCOPES

ROOT = Path(__file__).resolve().parent.parent
# The invoker's code root (not a package: Lambda puts it on the path), for its error mapping.
INVOKER_CODE = ROOT / "lambda" / "invoker"


def _context(model: ClaudeModel) -> str:
    window = f"{model.context_window // 1000}K" if model.context_window < 1_000_000 else "1M"
    if model.long_context == "beta":
        return f"{window}; 1M with the beta flag"
    return f"{window} native" if model.long_context == "native" else window


def _lifecycle(model: ClaudeModel) -> str:
    end = f"; end of life {model.retires_on.isoformat()}" if model.retires_on else ""
    return f"{model.lifecycle}{end}"


def _thinking(model: ClaudeModel) -> str:
    if model.thinking_modes is None:
        return "unknown"
    return ", ".join(sorted(model.thinking_modes)) or "none"


def _requests(model: ClaudeModel) -> str:
    """What the invoker checks for the model before calling Bedrock."""
    output = f"{model.max_output_tokens // 1000}K" if model.max_output_tokens else "unknown"
    facts = [f"output {output}", f"thinking {_thinking(model)}"]
    if model.temperature_or_top_p:
        facts.append("temperature or top_p")
    if model.count_tokens:
        facts.append("CountTokens")
    return "; ".join(facts)


def models_table() -> str:
    """Every catalog model: alias, Anthropic API name, Bedrock model ID, scopes, context window, what the invoker
    checks, lifecycle."""
    rows = [
        "| Alias | Anthropic API name | Bedrock model ID | Scopes | Context | Requests | Lifecycle on Bedrock |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for model in BUILTIN_MODELS:
        scopes = " ".join(scope for scope in SCOPES if model.offered_in(scope))
        api = f"`{model.api_names[0]}`" if model.api_names else "-"
        rows.append(
            f"| `{model.alias}` | {api} | `{model.model_id}` | {scopes} | {_context(model)} | {_requests(model)} "
            f"| {_lifecycle(model)} |"
        )
    return "\n".join(rows)


def errors_table() -> str:
    """The invoker's error mapping: Bedrock codes first, then failures without a code."""
    if str(INVOKER_CODE) not in sys.path:
        sys.path.insert(0, str(INVOKER_CODE))
    from claude_invoker.errors import BEDROCK_ERRORS, OTHER_FAILURES

    rows = ["| Cause | Bedrock HTTP status | Retried | `error.type` |", "| --- | --- | --- | --- |"]
    rows += [
        f"| `{code}` | {error.status} | {'yes' if error.retried else 'no'} | `{error.error_type}` |"
        for code, error in BEDROCK_ERRORS.items()
    ]
    rows += [f"| {cause} | - | {retried} | `{error_type}` |" for cause, retried, error_type in OTHER_FAILURES]
    return "\n".join(rows)


# Table name -> (document, renderer).
TABLES: dict[str, tuple[str, Callable[[], str]]] = {
    "models": ("docs/platform/models.md", models_table),
    "errors": ("docs/callers/invoking.md", errors_table),
}


def _block(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- generated:{name}\b[^>]*-->\n)(.*?)(^<!-- end:{name} -->)", re.DOTALL | re.MULTILINE)


def current_text(name: str) -> str | None:
    """The table as the document holds it now; None when the markers are missing."""
    document, _ = TABLES[name]
    match = _block(name).search((ROOT / document).read_text())
    return match.group(2).rstrip("\n") if match else None


def write(name: str) -> bool:
    """Rewrite one table in its document; True when the document changed."""
    document, render = TABLES[name]
    path = ROOT / document
    text = path.read_text()
    new, count = _block(name).subn(lambda m: m.group(1) + render() + "\n" + m.group(3), text)
    if count != 1:
        raise SystemExit(f"{document}: expected one '<!-- generated:{name} ... -->' block, found {count}")
    path.write_text(new)
    return new != text


def main(argv: list[str]) -> int:
    if "--write" in argv:
        for name in TABLES:
            print(f"{TABLES[name][0]}: {name} table {'rewritten' if write(name) else 'unchanged'}")
        return 0
    stale = [name for name, (_, render) in TABLES.items() if current_text(name) != render()]
    for name in stale:
        print(f"{TABLES[name][0]}: the {name} table is stale; run `make docs`", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
