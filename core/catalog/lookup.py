"""The model catalog: find a model by any of its names, and resolve it to the ARNs Bedrock authorizes.

This module, `core.catalog.models` (the types) and `core.catalog.claude_models` (the data) are the single owner of
model facts: stacks, the invoker's environment, the report and the docs read them; nothing else spells a model ID or
a Region a model routes to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from core.catalog.claude_models import BUILTIN_MODELS
from core.catalog.models import Citation, ClaudeModel
from core.catalog.pricing import premium_note
from core.catalog.scopes import GLOBAL, SCOPES, partition_of


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
        """The catalog and `extra`. An extra entry with a catalog model's alias and ID adds to that model the profiles
        it names (replacing a scope the catalog has): the way to use a profile whose card prints no routing table."""
        models = list(self.models)
        added = []
        for model in extra:
            known = self._index.get(model.model_id)
            if known is None or known.alias != model.alias:
                added.append(model)
                continue
            named = {p.endpoint_scope for p in model.profiles}
            kept = tuple(p for p in known.profiles if p.endpoint_scope not in named)
            pages = (*known.citation.pages, *model.citation.pages) if known.citation and model.citation else ()
            citation = Citation(pages, model.citation.checked_on) if model.citation and pages else known.citation
            models[models.index(known)] = replace(known, profiles=kept + model.profiles, citation=citation)
        return Catalog((*models, *added))

    def aliases(self) -> list[str]:
        return [m.alias for m in self.models]

    def find(self, name: str) -> ClaudeModel | None:
        """The model of an alias, base model ID, profile ID (`global.anthropic...`) or Anthropic API name, or None."""
        candidate = name.strip()
        prefix, _, rest = candidate.partition(".")
        if prefix in SCOPES and rest.startswith("anthropic."):
            candidate = rest
        return self._index.get(candidate)

    def get(self, name: str, key: str = "models") -> ClaudeModel:
        """Find a model by alias, base model ID, profile ID (`global.anthropic...`) or Anthropic API name."""
        model = self.find(name)
        if model is None:
            raise CatalogError(
                f"{key}: unknown model '{name}'; allowed: {', '.join(self.aliases())} "
                "(or their Bedrock model IDs), or add it under the 'extra_models' context key"
            )
        return model


def require_offered(model: ClaudeModel, endpoint_scope: str, key: str = "endpoint_scope") -> None:
    if endpoint_scope not in SCOPES:
        raise CatalogError(f"{key}: '{endpoint_scope}' is not a scope; allowed: {', '.join(SCOPES)}")
    if not model.offered_in(endpoint_scope):
        offered = model.scopes_text() if model.profiles else "none (no cross-Region profile on bedrock-runtime)"
        raise CatalogError(
            f"{key}: '{endpoint_scope}' is not offered for {model.name} ({model.model_id}); offered: {offered}"
            + premium_note(model, model.scopes)
        )


def profile_id(model: ClaudeModel, endpoint_scope: str) -> str:
    """The inference profile ID a caller sends, e.g. `global.anthropic.claude-...`."""
    require_offered(model, endpoint_scope)
    return f"{endpoint_scope}.{model.model_id}"


@dataclass(frozen=True)
class ResolvedProfile:
    """Everything IAM and callers need for one model called through one scope from one Region."""

    model: ClaudeModel
    endpoint_scope: str
    source_region: str
    profile_id: str
    profile_arn: str
    # Foundation-model ARNs in Regions Bedrock may route to (for global: the source Region).
    foundation_model_arns: tuple[str, ...]
    # Only for the global profile: `arn:<partition>:bedrock:::foundation-model/<id>`.
    regionless_foundation_model_arn: str | None


def require_callable(model: ClaudeModel, endpoint_scope: str, region: str, key: str = "models") -> None:
    """Refuse, in one line saying where the model is offered, a model whose `scope` profile `region` cannot call."""
    require_offered(model, endpoint_scope, "endpoint_scope" if key == "models" else key)
    sources = model.sources(endpoint_scope)
    if region in sources:
        return
    elsewhere = model.scopes_from(region)
    there = (
        f"from {region} it is offered under: {', '.join(elsewhere)}{premium_note(model, elsewhere)}"
        if elsewhere
        else f"not from {region} at all"
    )
    raise CatalogError(
        f"{key}: {model.alias} is not offered under '{endpoint_scope}' from {region} ({there}; "
        f"its '{endpoint_scope}' profile is called from {', '.join(sources)}); choose another model, scope or Region"
    )


def resolve(model: ClaudeModel, endpoint_scope: str, source_region: str, account: str) -> ResolvedProfile:
    """Resolve (model, scope) called from `source_region` to the ARNs Bedrock authorizes.

    `account` may be a CDK token (env-agnostic synthesis); Regions must be concrete.
    """
    require_callable(model, endpoint_scope, source_region)
    partition = partition_of(source_region)
    pid = profile_id(model, endpoint_scope)
    profile_arn = f"arn:{partition}:bedrock:{source_region}:{account}:inference-profile/{pid}"

    def fm_arn(region: str) -> str:
        return f"arn:{partition}:bedrock:{region}::foundation-model/{model.model_id}"

    if endpoint_scope == GLOBAL:
        return ResolvedProfile(
            model, endpoint_scope, source_region, pid, profile_arn, (fm_arn(source_region),), fm_arn("")
        )
    destinations = model.destinations(endpoint_scope, source_region)
    return ResolvedProfile(
        model, endpoint_scope, source_region, pid, profile_arn, tuple(fm_arn(r) for r in destinations), None
    )


def geography_regions(endpoint_scope: str, models: tuple[ClaudeModel, ...] = BUILTIN_MODELS) -> tuple[str, ...]:
    """Every Region the catalog's `scope` profiles are called from or route to: the geography, as AWS draws it."""
    found: dict[str, None] = {}
    for model in models:
        scope_profile = model.profile(endpoint_scope)
        for source, destinations in scope_profile.routes if scope_profile else ():
            found.update(dict.fromkeys((source, *destinations)))
    return tuple(sorted(found))


def routed_regions(
    models: Iterable[ClaudeModel], endpoint_scope: str, regions: Iterable[str]
) -> tuple[str, ...] | None:
    """Where calls of `models` under a geographic `scope`, sent from `regions`, may be processed: those Regions and
    every destination the cards list from them (None for the global profile: any commercial Region). A copy of the
    logs kept there stays where the data already goes."""
    if endpoint_scope == GLOBAL:
        return None
    regions = tuple(regions)
    found = set(regions)
    for model in models:
        for region in regions:
            found.update(model.destinations(endpoint_scope, region))
    return tuple(sorted(found))
