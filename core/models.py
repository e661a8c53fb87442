"""The Claude models Bedrock offers: one `ClaudeModel` per model, newest first (the catalog's data).

Sources: Anthropic's "Claude on Amazon Bedrock" page (the table of base model IDs and their
global/us/eu/jp/apac columns), the Amazon Bedrock user guide pages "Supported Regions and models for
inference profiles" and "Model lifecycle", and Anthropic's "Model deprecations" page. Dates are the
providers' announced dates.

What the invoker refuses before calling Bedrock comes from the request facts below (sources next to each):

- [MO] Anthropic "Models overview" (max output, extended thinking per model), [MID] Anthropic "Model IDs and
  versions" (API names: dated IDs before 4.6, dateless from 4.6; the undated aliases), [AT] Bedrock user guide
  "Adaptive thinking" (which models take `adaptive`, which take only `adaptive`), [RR] Bedrock user guide
  "Request and Response" for Claude ("Claude Sonnet 4.5 and Claude Haiku 4.5 support specifying either the
  `temperature` or `top_p` parameter, but not both. This does not apply to any older models."), [MM] Anthropic
  "Model migration" ("on Claude 4.x keep at most one of temperature or top_p"), [CT] Bedrock user guide "Count
  tokens" (its model table; "models that launch with cross-Region inference only ... don't support CountTokens
  on bedrock-runtime").
- Where sources disagree the catalog takes the reading that never refuses a request Bedrock would accept:
  Sonnet 4.6's maximum output is 64K in [MO] and 128K in later Anthropic material, so 128K; `temperature` with
  `top_p` is refused on Sonnet 4.5, Haiku 4.5 and the newer models ([RR] names the first two and exempts only
  older ones, [MM] says every 4.x), not on Opus 4.1, Opus 4 and Sonnet 4 ([RR] exempts them). Thinking
  `disabled` on Opus 4.7 is never refused: [AT] says 400, Anthropic says it works; Bedrock decides.
- `count_tokens`: [CT]'s table lists Claude 3.5 Haiku, 3.7 Sonnet, Opus 4 and Sonnet 4, and its example counts
  for Claude 3 Haiku; Sonnet 4.5 and Haiku 4.5 base model IDs answered CountTokens in public probes (not an AWS
  page, and Region-dependent: unconfirmed). Opus 4.5 and later and Sonnet 4.6 launched cross-Region only, which
  [CT] excludes; Opus 4.1 and Opus 3 appear nowhere. A model marked True that a Region does not serve comes back
  as Bedrock's ValidationException.
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
# `thinking.type` values that need the catalog's word: manual extended thinking and adaptive thinking.
ThinkingMode = Literal["enabled", "adaptive"]
EXTENDED: frozenset[ThinkingMode] = frozenset({"enabled"})
ADAPTIVE_ONLY: frozenset[ThinkingMode] = frozenset({"adaptive"})
BOTH: frozenset[ThinkingMode] = frozenset({"enabled", "adaptive"})
NO_THINKING: frozenset[ThinkingMode] = frozenset()


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
    # Request facts (module docstring). None means unknown: the invoker then leaves the rule to Bedrock.
    api_names: tuple[str, ...] = ()  # Anthropic API IDs: the dated name responses carry, then aliases
    max_output_tokens: int | None = None
    thinking_modes: frozenset[ThinkingMode] | None = None
    temperature_or_top_p: bool = False  # True: temperature and top_p together are refused
    count_tokens: bool = False  # Bedrock's CountTokens serves the base model on bedrock-runtime

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
        api_names=("claude-opus-4-7",),
        max_output_tokens=128_000,
        thinking_modes=ADAPTIVE_ONLY,
        temperature_or_top_p=True,
    ),
    _model(
        "claude-sonnet-4-6",
        "Claude Sonnet 4.6",
        "anthropic.claude-sonnet-4-6",
        "global us eu jp au",
        context_window=1_000_000,
        long_context="native",
        marketplace_product_id="prod-ffvjxvh4ltq64",
        api_names=("claude-sonnet-4-6",),
        max_output_tokens=128_000,
        thinking_modes=BOTH,
        temperature_or_top_p=True,
    ),
    _model(
        "claude-opus-4-6",
        "Claude Opus 4.6",
        "anthropic.claude-opus-4-6-v1",
        "global us eu jp apac",
        context_window=1_000_000,
        long_context="native",
        api_names=("claude-opus-4-6",),
        max_output_tokens=128_000,
        thinking_modes=BOTH,
        temperature_or_top_p=True,
    ),
    _model(
        "claude-opus-4-5",
        "Claude Opus 4.5",
        "anthropic.claude-opus-4-5-20251101-v1:0",
        "global us eu",
        api_names=("claude-opus-4-5-20251101", "claude-opus-4-5"),
        max_output_tokens=64_000,
        thinking_modes=EXTENDED,
        temperature_or_top_p=True,
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
        api_names=("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        max_output_tokens=64_000,
        thinking_modes=EXTENDED,
        temperature_or_top_p=True,
        count_tokens=True,
    ),
    _model(  # source table
        "claude-haiku-4-5",
        "Claude Haiku 4.5",
        "anthropic.claude-haiku-4-5-20251001-v1:0",
        "global us eu",
        marketplace_product_id="prod-xdkflymybwmvi",
        api_names=("claude-haiku-4-5-20251001", "claude-haiku-4-5"),
        max_output_tokens=64_000,
        thinking_modes=EXTENDED,
        temperature_or_top_p=True,
        count_tokens=True,
    ),
    _model(  # source table
        "claude-opus-4-1",
        "Claude Opus 4.1",
        "anthropic.claude-opus-4-1-20250805-v1:0",
        "us",
        lifecycle="legacy",
        retires_on=date(2027, 1, 8),
        marketplace_product_id="prod-w3q2d6rfge4tw",
        api_names=("claude-opus-4-1-20250805", "claude-opus-4-1"),
        max_output_tokens=32_000,
        thinking_modes=EXTENDED,
    ),
    _model(  # source table; Bedrock end-of-life date not published where we could check
        "claude-opus-4",
        "Claude Opus 4",
        "anthropic.claude-opus-4-20250514-v1:0",
        "us",
        lifecycle="legacy",
        api_names=("claude-opus-4-20250514", "claude-opus-4-0"),
        max_output_tokens=32_000,
        thinking_modes=EXTENDED,
        count_tokens=True,
    ),
    _model(  # source table
        "claude-sonnet-4",
        "Claude Sonnet 4",
        "anthropic.claude-sonnet-4-20250514-v1:0",
        "global us eu apac",
        long_context="beta",
        lifecycle="legacy",
        retires_on=date(2026, 10, 14),
        api_names=("claude-sonnet-4-20250514", "claude-sonnet-4-0"),
        max_output_tokens=64_000,
        thinking_modes=EXTENDED,
        count_tokens=True,
    ),
    _model(  # source table
        "claude-3-7-sonnet",
        "Claude Sonnet 3.7",
        "anthropic.claude-3-7-sonnet-20250219-v1:0",
        "us eu apac",
        lifecycle="legacy",
        retires_on=date(2026, 4, 28),
        api_names=("claude-3-7-sonnet-20250219", "claude-3-7-sonnet-latest"),
        max_output_tokens=128_000,  # 64K; 128K with the beta flag output-128k-2025-02-19
        thinking_modes=EXTENDED,
        count_tokens=True,
    ),
    _model(  # source table; deprecated by Anthropic on 2025-12-19
        "claude-3-5-haiku",
        "Claude Haiku 3.5",
        "anthropic.claude-3-5-haiku-20241022-v1:0",
        "us",
        lifecycle="legacy",
        api_names=("claude-3-5-haiku-20241022", "claude-3-5-haiku-latest"),
        max_output_tokens=8_192,
        thinking_modes=NO_THINKING,
        count_tokens=True,
    ),
    _model(  # source table; deprecated by Anthropic on 2025-06-30
        "claude-3-opus",
        "Claude Opus 3",
        "anthropic.claude-3-opus-20240229-v1:0",
        "us",
        lifecycle="legacy",
        api_names=("claude-3-opus-20240229", "claude-3-opus-latest"),
        max_output_tokens=4_096,
        thinking_modes=NO_THINKING,
    ),
    _model(  # source table
        "claude-3-haiku",
        "Claude Haiku 3",
        "anthropic.claude-3-haiku-20240307-v1:0",
        "us eu apac",
        lifecycle="legacy",
        retires_on=date(2026, 9, 10),
        api_names=("claude-3-haiku-20240307",),
        max_output_tokens=4_096,
        thinking_modes=NO_THINKING,
        count_tokens=True,
    ),
)
