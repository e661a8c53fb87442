"""The Claude model catalog: which model is offered under which inference-profile prefix.

This module is the single owner of model facts. Stacks, the invoker function's
configuration and the report read it; nothing else spells a model ID.

Sources: Anthropic's "Claude on Amazon Bedrock" page (the table of base model IDs
and their global/us/eu/jp/apac columns), the Amazon Bedrock user guide pages
"Supported Regions and models for inference profiles" and "Model lifecycle", and
Anthropic's "Model deprecations" page. Dates are the providers' announced dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

GLOBAL = "global"
GEOGRAPHIES = ("us", "eu", "jp", "apac", "au")
SCOPES = (GLOBAL, *GEOGRAPHIES)

# The beta flag the source document names for the 1M-token context window.
CONTEXT_1M_BETA = "context-1m-2025-08-07"

# Bedrock model invocation logging records calls made through bedrock-runtime only.
RUNTIME_API = "bedrock-runtime"

LongContext = Literal["none", "beta", "native"]
Lifecycle = Literal["active", "legacy"]


@dataclass(frozen=True)
class Geography:
    """A geographic cross-Region inference (CRIS) profile family."""

    prefix: str
    # Regions Bedrock routes to from every source Region of the geography.
    base_destinations: tuple[str, ...]
    # Source Regions that add themselves to the destinations (AWS model cards, "Regions" tables).
    extra_sources: tuple[str, ...] = ()

    @property
    def source_regions(self) -> tuple[str, ...]:
        return self.base_destinations + self.extra_sources

    def destinations_from(self, source_region: str) -> tuple[str, ...]:
        """Regions a request sent from `source_region` may be served in; IAM must allow the model there."""
        extra = (source_region,) if source_region in self.extra_sources else ()
        return self.base_destinations + extra


# From the Claude Sonnet 4.5 / Sonnet 4.6 model cards in the Amazon Bedrock user guide.
GEOGRAPHY_REGIONS: dict[str, Geography] = {
    "us": Geography("us", ("us-east-1", "us-east-2", "us-west-2"), ("us-west-1", "ca-central-1")),
    "eu": Geography(
        "eu",
        ("eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3"),
        ("eu-central-2", "eu-west-2"),
    ),
    "jp": Geography("jp", ("ap-northeast-1", "ap-northeast-3")),
    "au": Geography("au", ("ap-southeast-2", "ap-southeast-4"), ("ap-southeast-6",)),
    # The apac family as AWS listed it for Claude Sonnet 4 and 3.7.
    "apac": Geography(
        "apac",
        (
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-4",
        ),
    ),
}

# Commercial Regions from which the global profile is documented as callable.
GLOBAL_SOURCE_REGIONS = (
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "sa-east-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-4",
)


def partition_of(region: str) -> str:
    """The ARN partition of a Region name."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


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
    legacy_since: date | None = None
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
        legacy_since=date(2026, 10, 8),
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
        legacy_since=date(2026, 7, 8),
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
        legacy_since=date(2026, 4, 14),
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


class CatalogError(ValueError):
    """A model or scope that the catalog cannot resolve; the message says what is allowed."""


@dataclass(frozen=True)
class Catalog:
    models: tuple[ClaudeModel, ...] = BUILTIN_MODELS
    _index: dict[str, ClaudeModel] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, ClaudeModel] = {}
        for model in self.models:
            for key in (model.alias, model.model_id):
                if key in index and index[key] is not model:
                    raise CatalogError(f"models: '{key}' is defined twice; aliases and model IDs must be unique")
                index[key] = model
        object.__setattr__(self, "_index", index)

    def with_models(self, extra: tuple[ClaudeModel, ...]) -> Catalog:
        return Catalog(self.models + extra)

    def aliases(self) -> list[str]:
        return [m.alias for m in self.models]

    def get(self, name: str, key: str = "models") -> ClaudeModel:
        """Find a model by alias, base model ID or profile ID (`global.anthropic...`)."""
        candidate = name.strip()
        prefix, _, rest = candidate.partition(".")
        if prefix in SCOPES and rest.startswith("anthropic."):
            candidate = rest
        model = self._index.get(candidate)
        if model is None:
            raise CatalogError(
                f"{key}: unknown model '{name}'; allowed: {', '.join(self.aliases())} "
                "(or their Bedrock model IDs), or add it under the 'extra_models' context key"
            )
        return model


def profile_id(model: ClaudeModel, scope: str) -> str:
    """The inference profile ID a caller sends, e.g. `global.anthropic.claude-...`."""
    require_offered(model, scope)
    return f"{scope}.{model.model_id}"


def require_offered(model: ClaudeModel, scope: str, key: str = "endpoint_scope") -> None:
    if scope not in SCOPES:
        raise CatalogError(f"{key}: '{scope}' is not a scope; allowed: {', '.join(SCOPES)}")
    if not model.offered_in(scope):
        raise CatalogError(
            f"{key}: '{scope}' is not offered for {model.name} ({model.model_id}); offered: {model.scopes_text()}"
        )


def source_regions(scope: str) -> tuple[str, ...]:
    return GLOBAL_SOURCE_REGIONS if scope == GLOBAL else GEOGRAPHY_REGIONS[scope].source_regions


@dataclass(frozen=True)
class ResolvedProfile:
    """Everything IAM and callers need for one model called through one scope from one Region."""

    model: ClaudeModel
    scope: str
    source_region: str
    profile_id: str
    profile_arn: str
    # Foundation-model ARNs in Regions Bedrock may route to (for global: the source Region).
    foundation_model_arns: tuple[str, ...]
    # Only for the global profile: `arn:<partition>:bedrock:::foundation-model/<id>`.
    regionless_foundation_model_arn: str | None


def resolve(model: ClaudeModel, scope: str, source_region: str, account: str) -> ResolvedProfile:
    """Resolve (model, scope) called from `source_region` to the ARNs Bedrock authorizes.

    `account` may be a CDK token (env-agnostic synthesis); Regions must be concrete.
    """
    require_offered(model, scope)
    if source_region not in source_regions(scope):
        raise CatalogError(
            f"regions: '{source_region}' is not a source Region of the '{scope}' profile; "
            f"allowed: {', '.join(source_regions(scope))}"
        )
    partition = partition_of(source_region)
    pid = profile_id(model, scope)
    profile_arn = f"arn:{partition}:bedrock:{source_region}:{account}:inference-profile/{pid}"

    def fm_arn(region: str) -> str:
        return f"arn:{partition}:bedrock:{region}::foundation-model/{model.model_id}"

    if scope == GLOBAL:
        return ResolvedProfile(
            model,
            scope,
            source_region,
            pid,
            profile_arn,
            (fm_arn(source_region),),
            fm_arn(""),
        )
    destinations = GEOGRAPHY_REGIONS[scope].destinations_from(source_region)
    return ResolvedProfile(model, scope, source_region, pid, profile_arn, tuple(fm_arn(r) for r in destinations), None)
