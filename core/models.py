"""The Claude models Bedrock offers: one `ClaudeModel` per model, newest first (the catalog's data).

Sources: Anthropic's "Claude on Amazon Bedrock" page (the table of base model IDs and their
global/us/eu/jp/apac columns), the Amazon Bedrock user guide pages "Supported Regions and models for
inference profiles" and "Model lifecycle", and Anthropic's "Model deprecations" page. Dates are the
providers' announced dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from core.scopes import SCOPES

# Bedrock model invocation logging records calls made through bedrock-runtime only.
RUNTIME_API = "bedrock-runtime"

LongContext = Literal["none", "beta", "native"]
Lifecycle = Literal["active", "legacy"]


@dataclass(frozen=True)
class ClaudeModel:
    """One Claude model as Bedrock offers it."""

    alias: str
    name: str
    model_id: str
    scopes: frozenset[str]
    context_window: int = 200_000
    long_context: LongContext = "none"
    lifecycle: Lifecycle = "active"
    retires_on: date | None = None
    api: str = RUNTIME_API
    # AWS Marketplace product of the model (AWS model card), for scoping aws-marketplace:Subscribe.
    marketplace_product_id: str | None = None

    def offered_in(self, scope: str) -> bool:
        return scope in self.scopes

    def scopes_text(self) -> str:
        return ", ".join(s for s in SCOPES if s in self.scopes) or "none"


def _model(alias: str, name: str, model_id: str, scopes: str, **facts: object) -> ClaudeModel:
    return ClaudeModel(alias, name, model_id, frozenset(scopes.split()), **facts)  # type: ignore[arg-type]


# Newest first. Rows marked "source table" are the source document's table; scopes
# add what AWS has published since (for example `au`). Lifecycle dates are Bedrock's
# ("Model lifecycle" pages); a model past its end-of-life date is refused at synth.
BUILTIN_MODELS: tuple[ClaudeModel, ...] = (
    _model(
        "claude-opus-4-7",
        "Claude Opus 4.7",
        "anthropic.claude-opus-4-7",
        "global us eu jp au",
        context_window=1_000_000,
        long_context="native",
        marketplace_product_id="prod-d2ik6zgct5hxi",
    ),
    _model(
        "claude-sonnet-4-6",
        "Claude Sonnet 4.6",
        "anthropic.claude-sonnet-4-6",
        "global us eu jp au",
        context_window=1_000_000,
        long_context="native",
        marketplace_product_id="prod-ffvjxvh4ltq64",
    ),
    _model(
        "claude-opus-4-6",
        "Claude Opus 4.6",
        "anthropic.claude-opus-4-6-v1",
        "global us eu jp apac",
        context_window=1_000_000,
        long_context="native",
    ),
    _model(
        "claude-opus-4-5",
        "Claude Opus 4.5",
        "anthropic.claude-opus-4-5-20251101-v1:0",
        "global us eu",
    ),
    _model(  # source table
        "claude-sonnet-4-5",
        "Claude Sonnet 4.5",
        "anthropic.claude-sonnet-4-5-20250929-v1:0",
        "global us eu jp au",
        long_context="beta",
        lifecycle="legacy",
        retires_on=date(2027, 4, 8),
        marketplace_product_id="prod-mxcfnwvpd6kb4",
    ),
    _model(  # source table
        "claude-haiku-4-5",
        "Claude Haiku 4.5",
        "anthropic.claude-haiku-4-5-20251001-v1:0",
        "global us eu",
        marketplace_product_id="prod-xdkflymybwmvi",
    ),
    _model(  # source table
        "claude-opus-4-1",
        "Claude Opus 4.1",
        "anthropic.claude-opus-4-1-20250805-v1:0",
        "us",
        lifecycle="legacy",
        retires_on=date(2027, 1, 8),
        marketplace_product_id="prod-w3q2d6rfge4tw",
    ),
    _model(  # source table; Bedrock end-of-life date not published where we could check
        "claude-opus-4",
        "Claude Opus 4",
        "anthropic.claude-opus-4-20250514-v1:0",
        "us",
        lifecycle="legacy",
    ),
    _model(  # source table
        "claude-sonnet-4",
        "Claude Sonnet 4",
        "anthropic.claude-sonnet-4-20250514-v1:0",
        "global us eu apac",
        long_context="beta",
        lifecycle="legacy",
        retires_on=date(2026, 10, 14),
    ),
    _model(  # source table
        "claude-3-7-sonnet",
        "Claude Sonnet 3.7",
        "anthropic.claude-3-7-sonnet-20250219-v1:0",
        "us eu apac",
        lifecycle="legacy",
        retires_on=date(2026, 4, 28),
    ),
    _model(  # source table; deprecated by Anthropic on 2025-12-19
        "claude-3-5-haiku",
        "Claude Haiku 3.5",
        "anthropic.claude-3-5-haiku-20241022-v1:0",
        "us",
        lifecycle="legacy",
    ),
    _model(  # source table; deprecated by Anthropic on 2025-06-30
        "claude-3-opus",
        "Claude Opus 3",
        "anthropic.claude-3-opus-20240229-v1:0",
        "us",
        lifecycle="legacy",
    ),
    _model(  # source table
        "claude-3-haiku",
        "Claude Haiku 3",
        "anthropic.claude-3-haiku-20240307-v1:0",
        "us eu apac",
        lifecycle="legacy",
        retires_on=date(2026, 9, 10),
    ),
)
