"""The model catalog: find a model by any of its names, and resolve it to the ARNs Bedrock authorizes.

This module and `core.models` are the single owner of model facts: stacks, the invoker's environment, the
report and the docs read them; nothing else spells a model ID.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.models import BUILTIN_MODELS, ClaudeModel
from core.scopes import GEOGRAPHY_REGIONS, GLOBAL, SCOPES, partition_of, source_regions


class CatalogError(ValueError):
    """A model or scope that the catalog cannot resolve; the message says what is allowed."""


@dataclass(frozen=True)
class Catalog:
    models: tuple[ClaudeModel, ...] = BUILTIN_MODELS
    _index: dict[str, ClaudeModel] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, ClaudeModel] = {}
        for model in self.models:
            for key in (model.alias, model.model_id, *model.api_names):
                if key in index and index[key] is not model:
                    raise CatalogError(f"models: '{key}' is defined twice; aliases and model IDs must be unique")
                index[key] = model
        object.__setattr__(self, "_index", index)

    def with_models(self, extra: tuple[ClaudeModel, ...]) -> Catalog:
        return Catalog(self.models + extra)

    def aliases(self) -> list[str]:
        return [m.alias for m in self.models]

    def get(self, name: str, key: str = "models") -> ClaudeModel:
        """Find a model by alias, base model ID, profile ID (`global.anthropic...`) or Anthropic API name."""
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


def require_offered(model: ClaudeModel, scope: str, key: str = "endpoint_scope") -> None:
    if scope not in SCOPES:
        raise CatalogError(f"{key}: '{scope}' is not a scope; allowed: {', '.join(SCOPES)}")
    if not model.offered_in(scope):
        raise CatalogError(
            f"{key}: '{scope}' is not offered for {model.name} ({model.model_id}); offered: {model.scopes_text()}"
        )


def profile_id(model: ClaudeModel, scope: str) -> str:
    """The inference profile ID a caller sends, e.g. `global.anthropic.claude-...`."""
    require_offered(model, scope)
    return f"{scope}.{model.model_id}"


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
        return ResolvedProfile(model, scope, source_region, pid, profile_arn, (fm_arn(source_region),), fm_arn(""))
    destinations = GEOGRAPHY_REGIONS[scope].destinations_from(source_region)
    return ResolvedProfile(model, scope, source_region, pid, profile_arn, tuple(fm_arn(r) for r in destinations), None)
