"""What the catalog knows of one Claude model on Bedrock: the types. The data is `core.catalog.claude_models`.

Each fact drives something: the profiles and their Regions drive IAM and which Regions may deploy; the lifecycle
what synthesizes; the endpoints whether invocation logging records the calls; the request facts what the invoker
refuses before calling Bedrock; the Marketplace product what `aws-marketplace:Subscribe` is limited to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from core.catalog.scopes import GLOBAL, SCOPES
from core.data_retention.modes import DataRetentionMode

# Bedrock model invocation logging records calls made through bedrock-runtime only; bedrock-mantle (the
# OpenAI-compatible and Anthropic Messages endpoints) is not recorded (docs/compliance/threats.md).
RUNTIME_API = "bedrock-runtime"
MANTLE_API = "bedrock-mantle"

Status = Literal["active", "legacy", "end_of_life"]
# `thinking.type` values that need the catalog's word: manual extended thinking and adaptive thinking.
ThinkingMode = Literal["enabled", "adaptive"]
EXTENDED: frozenset[ThinkingMode] = frozenset({"enabled"})
ADAPTIVE_ONLY: frozenset[ThinkingMode] = frozenset({"adaptive"})
BOTH: frozenset[ThinkingMode] = frozenset({"enabled", "adaptive"})
NO_THINKING: frozenset[ThinkingMode] = frozenset()
# Sampling parameters the model takes: all of them; temperature or top_p but not both; none (fixed sampling:
# temperature, top_p and top_k are refused); near their defaults only, as the Fable and Mythos 5.x cards print it:
# `near_default` "temperature must be 1.0 or unset; top_p must be >= 0.99 and < 1.0, or unset; top_k is not
# supported" (Fable 5, Mythos 5), `near_default_one_of` "temperature must be 1.0 or unset; top_p must be 0.99 or
# unset; temperature and top_p cannot be specified together; top_k is not supported" (Fable 5.1, Mythos 5.1).
Sampling = Literal["any", "temperature_or_top_p", "fixed", "near_default", "near_default_one_of"]
# The sampling parameters of a Messages request, which `fixed` refuses and API version 2026-10-21 removes.
SAMPLING_FIELDS = ("temperature", "top_p", "top_k")
# Anthropic API versions a model takes in the InvokeModel body (`anthropic_version`), core.catalog.apis.
ApiVersion = Literal["bedrock-2023-05-31", "2026-10-21"]


@dataclass(frozen=True)
class Profile:
    """One inference profile of a model: the Regions it is called from and, per source, where Bedrock routes.

    A global profile routes to any commercial Region, so its routes name sources only (no destinations).
    """

    endpoint_scope: str
    routes: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(source for source, _ in self.routes)

    def destinations_from(self, source: str) -> tuple[str, ...]:
        """Regions a request sent from `source` may be served in (empty for the global profile)."""
        return dict(self.routes)[source]


def global_profile(sources: tuple[str, ...]) -> Profile:
    return Profile(GLOBAL, tuple((source, ()) for source in sources))


def geographic_profile(endpoint_scope: str, routes: Mapping[str, tuple[str, ...]]) -> Profile:
    return Profile(endpoint_scope, tuple(routes.items()))


@dataclass(frozen=True)
class Lifecycle:
    """Bedrock's lifecycle of a model (its card, "Model lifecycle", "Model lifecycle (Legacy)"): legacy from a date,
    unavailable from another.

    Cards of models launched from 2026 print a launch date, an "EOL no sooner than" date (launch + 12 months) and a
    "Legacy period" (the notice before end of life; "6 months" on the cards under the lifecycle policy of
    2026-09-07, "at least 6 months" on the earlier ones): the end-of-life date itself is added to the card only
    when the model enters its legacy period.
    """

    legacy_on: date | None = None
    end_of_life_on: date | None = None
    # Legacy (Anthropic deprecated it) although Bedrock published no date we could confirm.
    legacy_undated: bool = False
    launched_on: date | None = None
    end_of_life_not_before: date | None = None
    legacy_period: str | None = None  # the card's words
    # No AWS page confirms where the model stands on Bedrock: synthesis refuses it rather than guess.
    unconfirmed: bool = False

    def status_on(self, today: date) -> Status:
        if self.end_of_life_on is not None and self.end_of_life_on <= today:
            return "end_of_life"
        if self.legacy_undated or (self.legacy_on is not None and self.legacy_on <= today):
            return "legacy"
        return "active"


ACTIVE = Lifecycle()


@dataclass(frozen=True)
class Citation:
    """Where a model's facts were read, and when."""

    pages: tuple[str, ...]
    checked_on: date


@dataclass(frozen=True)
class ClaudeModel:
    """One Claude model as Bedrock offers it."""

    alias: str
    name: str
    model_id: str
    profiles: tuple[Profile, ...]
    lifecycle: Lifecycle = ACTIVE
    context_window: int = 200_000
    endpoints: frozenset[str] = frozenset({RUNTIME_API})
    # AWS Marketplace product of the model, for scoping aws-marketplace:Subscribe.
    marketplace_product_id: str | None = None
    # Request facts. None means unknown: the invoker then leaves the rule to Bedrock.
    api_names: tuple[str, ...] = ()  # Anthropic API IDs: the dated name responses carry, then aliases
    max_output_tokens: int | None = None
    thinking_modes: frozenset[ThinkingMode] | None = None
    sampling: Sampling = "any"
    count_tokens: bool = False  # Bedrock's CountTokens serves the base model on bedrock-runtime
    # Whether a request may turn thinking off (`thinking.type: "disabled"`); None: the pages disagree or say nothing.
    thinking_off: bool | None = None
    effort_default: str | None = None  # `output_config.effort` when a request names none, where the card prints it
    # Anthropic API versions Bedrock takes for the model; the first is the one the invoker sends (core.catalog.apis).
    api_versions: tuple[ApiVersion, ...] = ("bedrock-2023-05-31",)
    # The account data retention modes the model can be invoked under when its card requires retention
    # (core.data_retention.modes); empty: no requirement, it runs under any mode, `none` included.
    retention_modes: frozenset[DataRetentionMode] = frozenset()
    # Offered by invitation only, to allowlisted accounts: refused unless `allow_gated_models` (core.config.models).
    gated: bool = False
    # Premium of the geographic and in-Region endpoints over the global one, in percent (core.catalog.pricing).
    regional_premium_percent: int = 0
    citation: Citation | None = None

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(p.endpoint_scope for p in self.profiles)

    def offered_in(self, endpoint_scope: str) -> bool:
        return endpoint_scope in self.scopes

    def profile(self, endpoint_scope: str) -> Profile | None:
        return next((p for p in self.profiles if p.endpoint_scope == endpoint_scope), None)

    def sources(self, endpoint_scope: str) -> tuple[str, ...]:
        """Regions the model's `scope` profile is called from (none when it has no such profile)."""
        scope_profile = self.profile(endpoint_scope)
        return scope_profile.sources if scope_profile else ()

    def destinations(self, endpoint_scope: str, source: str) -> tuple[str, ...]:
        scope_profile = self.profile(endpoint_scope)
        return scope_profile.destinations_from(source) if scope_profile else ()

    def scopes_from(self, region: str) -> tuple[str, ...]:
        """The scopes whose profile of this model may be called from `region`, in SCOPES order."""
        return tuple(s for s in SCOPES if region in self.sources(s))

    def scopes_text(self) -> str:
        return ", ".join(s for s in SCOPES if s in self.scopes) or "none"

    @property
    def logged(self) -> bool:
        """Whether Bedrock model invocation logging records its calls (it is served on bedrock-runtime)."""
        return RUNTIME_API in self.endpoints
