"""The constants the invoker function mirrors from core/, written into its code by `make docs`.

The function's package holds only `lambda/invoker` (Lambda puts that directory on the path), so at run time it
cannot import core/. The facts it shares with core/ (the scopes, Bedrock's service tiers and latency modes, the
catalog's sampling and thinking modes, the construct's defaults, what the usage views read) are therefore copied
into `lambda/invoker/claude_invoker/mirrored.py`, between its `# generated:mirrors` and `# end:mirrors` lines, by
`python -m tools.doc_tables --write`; the rest of the function imports them from there.

`differences` names every constant of a mirror module whose value is not its owner's; the tests fail on any
(tests/lambda/invoker/test_mirrors.py), and tests/docs/ fails when the generated lines are stale.
"""

from __future__ import annotations

import importlib
import json
import runpy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

ROOT = Path(__file__).resolve().parent.parent
# The mirror module, relative to the repository's root.
MIRROR = "lambda/invoker/claude_invoker/mirrored.py"


def _same(value: Any) -> object:
    return value


def _removed_by_2026_10_21(value: Any) -> object:
    """The fields one API version removed (the function knows of that version only)."""
    return value["2026-10-21"]


def _sorted_literal(value: Any) -> object:
    """The values of a `Literal` type, sorted (the function uses them as a set and names them in that order)."""
    return tuple(sorted(get_args(value)))


@dataclass(frozen=True)
class Mirror:
    """One constant of the mirror module: its name there, its owner in core/, and what the function does with it."""

    name: str
    owner: str  # module.attribute in core/
    use: str
    derive: Callable[[Any], object] = _same  # from the owner's value to the mirrored one

    def value(self) -> object:
        """The owner's value now (read at each call, so a changed owner is seen)."""
        module, _, attribute = self.owner.rpartition(".")
        return self.derive(getattr(importlib.import_module(module), attribute))


MIRRORS: tuple[Mirror, ...] = (
    Mirror("SCOPES", "core.catalog.scopes.SCOPES", "The values CLAUDE_ENDPOINT_SCOPE may take"),
    Mirror("SAMPLING", "core.catalog.models.Sampling", "The values CLAUDE_MODELS.<alias>.sampling may take", get_args),
    Mirror(
        "THINKING_MODES",
        "core.catalog.models.ThinkingMode",
        "The values CLAUDE_MODELS.<alias>.thinking_modes may list",
        _sorted_literal,
    ),
    Mirror(
        "SAMPLING_FIELDS",
        "core.catalog.models.SAMPLING_FIELDS",
        "The sampling parameters: CLAUDE_MODELS.<alias>.sampling 'fixed' refuses them",
    ),
    Mirror(
        "API_VERSIONS",
        "core.catalog.models.ApiVersion",
        "The values CLAUDE_MODELS.<alias>.api_versions may list",
        get_args,
    ),
    Mirror(
        "API_VERSION_2026_10_21",
        "core.catalog.apis.API_VERSION_2026_10_21",
        "The API version that removes sampling fields and two content forms",
    ),
    Mirror(
        "REMOVED_SAMPLING_FIELDS",
        "core.catalog.apis.REMOVED_SAMPLING_FIELDS",
        "The request fields API version 2026-10-21 removed",
        _removed_by_2026_10_21,
    ),
    Mirror(
        "REMOVED_CONTENT",
        "core.catalog.apis.REMOVED_CONTENT",
        "The content API version 2026-10-21 refuses: (role, block type, field)",
        _removed_by_2026_10_21,
    ),
    Mirror(
        "SERVICE_TIERS", "core.config.invoker.SERVICE_TIERS", "BEDROCK_SERVICE_TIER and bedrock_service_tier values"
    ),
    Mirror("LATENCIES", "core.config.invoker.LATENCIES", "BEDROCK_PERFORMANCE_LATENCY and bedrock_latency values"),
    Mirror(
        "MAX_TIMEOUT_SECONDS",
        "core.config.invoker.MAX_TIMEOUT_SECONDS",
        "The largest INVOKER_TIMEOUT_SECONDS and BEDROCK_READ_TIMEOUT_SECONDS",
    ),
    Mirror(
        "MAX_RESULTS_RETENTION_DAYS",
        "core.config.invoker.MAX_RESULTS_RETENTION_DAYS",
        "The largest INVOKER_RESULTS_RETENTION_DAYS",
    ),
    Mirror(
        "CONNECT_TIMEOUT_SECONDS",
        "core.invoker.environment.CONNECT_TIMEOUT_SECONDS",
        "BEDROCK_CONNECT_TIMEOUT_SECONDS when unset",
    ),
    Mirror("MAX_ATTEMPTS", "core.invoker.environment.MAX_ATTEMPTS", "BEDROCK_MAX_ATTEMPTS when unset"),
    Mirror(
        "RESULTS_PREFIX",
        "core.invoker.environment.RESULTS_PREFIX",
        "The prefix of the answers kept in the results bucket",
    ),
    Mirror("INVOKER_DIMENSIONS", "core.usage.metrics.INVOKER_DIMENSIONS", "The dimensions of the function's metrics"),
    Mirror(
        "INVOKER_ERROR_DIMENSIONS", "core.usage.metrics.INVOKER_ERROR_DIMENSIONS", "The dimensions of its Errors metric"
    ),
    Mirror(
        "INVOKER_CALLER_DIMENSIONS",
        "core.usage.metrics.INVOKER_CALLER_DIMENSIONS",
        "The dimensions of its metrics per caller",
    ),
    Mirror(
        "INVOKER_SUCCESS_MESSAGE",
        "core.usage.queries.INVOKER_SUCCESS_MESSAGE",
        "The message of its log line for a successful call",
    ),
    Mirror(
        "INVOKER_METADATA_VALUE",
        "core.usage.queries.INVOKER_METADATA_VALUE",
        "The value of `invoker` in the request metadata it sends",
    ),
)


def literal(value: object) -> str:
    """Python source for a mirrored value, formatted as `ruff format` writes it (frozensets sorted)."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, tuple):
        items = [literal(item) for item in value]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if isinstance(value, frozenset):
        items = [literal(item) for item in sorted(value)]
        return f"frozenset({{{', '.join(items)}}})" if items else "frozenset()"
    raise TypeError(f"{type(value).__name__} cannot be mirrored: only str, int, bool, tuples and frozensets")


def render() -> str:
    """The generated lines of the mirror module: each constant, after a comment naming its owner and use."""
    lines: list[str] = []
    for mirror in MIRRORS:
        lines += [f"# {mirror.use} ({mirror.owner})", f"{mirror.name} = {literal(mirror.value())}"]
    return "\n".join(lines)


def differences(path: Path) -> list[str]:
    """The names of the mirror module at `path` that are wrong: a constant missing or unlike its owner's value
    (type included), and any other upper-case name (a constant there that nothing generates)."""
    found = runpy.run_path(str(path))
    wrong = []
    for mirror in MIRRORS:
        expected = mirror.value()
        actual = found.get(mirror.name)
        if actual != expected or type(actual) is not type(expected):
            wrong.append(mirror.name)
    known = {mirror.name for mirror in MIRRORS}
    return wrong + sorted(name for name in found if name.isupper() and name not in known)
