"""Configuration section `models`: the scope calls go through and the Claude models callers may use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.catalog.lookup import Catalog, CatalogError, require_callable, require_offered
from core.catalog.models import (
    MANTLE_API,
    RUNTIME_API,
    Citation,
    ClaudeModel,
    Profile,
    geographic_profile,
    global_profile,
)
from core.catalog.scopes import GLOBAL, SCOPES
from core.config.values import ConfigError, as_bool, as_choice, as_int, as_list, fail
from core.data_retention.modes import DATA_RETENTION_MODES, DataRetentionMode

# The default models: current, open to every account, no data retention required, served on bedrock-runtime (so
# logged) and offered under every scope a current model has (global, us, eu, jp, au); docs/platform/models.md argues
# the choice.
DEFAULTS: dict[str, Any] = {
    "endpoint_scope": GLOBAL,
    "models": ["claude-haiku-5-5", "claude-opus-4-8"],
    "extra_models": [],
    "allow_non_runtime_models": False,
    "allow_gated_models": False,
}
EXTRA_MODEL_KEYS = ("alias", "name", "model_id", "profiles", "context_window", "api", "retention_modes")
PROFILES_EXAMPLE = '{"global": ["us-east-1"], "us": {"us-east-1": ["us-east-1", "us-east-2", "us-west-2"]}}'


@dataclass(frozen=True)
class ModelsConfig:
    """`endpoint_scope`, `models`, `extra_models`, `allow_non_runtime_models`, `allow_gated_models`."""

    endpoint_scope: str
    allowed: tuple[ClaudeModel, ...]
    catalog: Catalog
    allow_non_runtime: bool
    today: date
    allow_gated: bool = False


def _regions(key: str, value: Any) -> tuple[str, ...]:
    regions = as_list(key, value)
    if not regions or not all(isinstance(r, str) and r for r in regions):
        raise fail(key, value, "a list of Region names")
    return tuple(regions)


def _extra_profiles(key: str, value: Any) -> tuple[Profile, ...]:
    """`profiles` of an extra model, as its AWS model card lists them: global's source Regions, and per geography
    each source Region's destination Regions (`python app.py catalog-check` compares them with an account)."""
    if not isinstance(value, dict) or not value:
        raise fail(key, value, f"an object of scopes, such as {PROFILES_EXAMPLE}")
    profiles = []
    for endpoint_scope, routes in value.items():
        as_choice(f"{key}", endpoint_scope, SCOPES)
        if endpoint_scope == GLOBAL:
            profiles.append(global_profile(_regions(f"{key}.{endpoint_scope}", routes)))
            continue
        if not isinstance(routes, dict) or not routes:
            raise fail(f"{key}.{endpoint_scope}", routes, "an object of source Regions and their destination Regions")
        table = {source: _regions(f"{key}.{endpoint_scope}.{source}", dest) for source, dest in routes.items()}
        profiles.append(geographic_profile(endpoint_scope, table))
    return tuple(profiles)


def _extra_models(value: Any, today: date) -> tuple[ClaudeModel, ...]:
    key = "extra_models"
    models = []
    for item in as_list(key, value):
        if not isinstance(item, dict):
            raise fail(key, item, 'objects like {"alias": ..., "name": ..., "model_id": ..., "profiles": {...}}')
        if "scopes" in item:
            raise fail(
                f"{key}.scopes", item["scopes"], f"'profiles' with the Regions of each scope: {PROFILES_EXAMPLE}"
            )
        unknown = set(item) - set(EXTRA_MODEL_KEYS)
        missing = {"alias", "model_id", "profiles"} - set(item)
        if unknown or missing:
            raise fail(
                key,
                item,
                "keys alias, model_id, profiles (required), name, context_window, api, retention_modes"
                + (f"; missing {sorted(missing)}" if missing else f"; unknown {sorted(unknown)}"),
            )
        model_id = item["model_id"]
        if not isinstance(model_id, str) or not model_id.startswith("anthropic."):
            raise fail(f"{key}.model_id", model_id, "a Bedrock model ID starting with 'anthropic.'")
        api = as_choice(f"{key}.api", item.get("api", RUNTIME_API), (RUNTIME_API, MANTLE_API))
        models.append(
            ClaudeModel(
                alias=str(item["alias"]),
                name=str(item.get("name", item["alias"])),
                model_id=model_id,
                profiles=_extra_profiles(f"{key}.profiles", item["profiles"]),
                context_window=as_int(f"{key}.context_window", item.get("context_window", 200_000), 1, 10_000_000),
                endpoints=frozenset({api}),
                retention_modes=_retention_modes(f"{key}.retention_modes", item.get("retention_modes", [])),
                citation=Citation(("extra_models in the configuration",), today),
            )
        )
    return tuple(models)


def _retention_modes(key: str, value: Any) -> frozenset[DataRetentionMode]:
    """The data retention modes an extra model's card says it runs under (empty: it requires none)."""
    return frozenset(
        next(mode for mode in DATA_RETENTION_MODES if mode == as_choice(key, item, DATA_RETENTION_MODES))
        for item in as_list(key, value)
    )


def current_choices(models: ModelsConfig) -> str:
    """The models to suggest instead: active, offered under the scope, open to every account, lifecycle known."""
    return ", ".join(
        m.alias
        for m in models.catalog.models
        if m.lifecycle.status_on(models.today) == "active"
        and m.offered_in(models.endpoint_scope)
        and not m.gated
        and not m.lifecycle.unconfirmed
    )


def check_usable(model: ClaudeModel, key: str, models: ModelsConfig) -> None:
    """Refuse a model past Bedrock's end of life, one whose lifecycle no AWS page confirms, one offered by invitation
    only (unless allowed), or one whose calls invocation logging would not record."""
    end = model.lifecycle.end_of_life_on
    if model.lifecycle.status_on(models.today) == "end_of_life" and end is not None:
        raise ConfigError(
            f"{key}: {model.alias} ({model.model_id}) reached end of life on Bedrock on {end.isoformat()}; "
            f"choose a current model: {current_choices(models)}"
        )
    if model.lifecycle.unconfirmed:
        raise ConfigError(
            f"{key}: {model.alias} ({model.model_id}) has no lifecycle on any AWS page (it may already be past end of "
            f"life on Bedrock); choose a current model: {current_choices(models)}, or add it under extra_models"
        )
    if model.gated and not models.allow_gated:
        raise ConfigError(
            f"{key}: {model.alias} ({model.model_id}) is offered by invitation only (Bedrock serves it to allowlisted "
            "accounts); set "
            "allow_gated_models=true if this account is allowlisted, or remove it"
        )
    if not model.logged and not models.allow_non_runtime:
        raise ConfigError(
            f"{key}: {model.alias} is served by {', '.join(sorted(model.endpoints))}, not {RUNTIME_API}; Bedrock "
            "model invocation logging would not record its calls. Remove it, or set allow_non_runtime_models=true "
            "to accept that"
        )


def check_callable(models: tuple[ClaudeModel, ...], endpoint_scope: str, regions: tuple[str, ...], key: str) -> None:
    """Every model's `scope` profile is called from every deployed Region, or one line says where it is offered."""
    try:
        for region in regions:
            for model in models:
                require_callable(model, endpoint_scope, region, key)
    except CatalogError as error:
        raise ConfigError(str(error)) from None


def parse_models(raw: Mapping[str, Any], today: date) -> ModelsConfig:
    endpoint_scope = as_choice("endpoint_scope", raw["endpoint_scope"], SCOPES)
    try:
        catalog = Catalog().with_models(_extra_models(raw["extra_models"], today))
        names = as_list("models", raw["models"])
        if not names:
            raise fail("models", raw["models"], f"one or more of {', '.join(catalog.aliases())}")
        allowed = tuple(dict.fromkeys(catalog.get(str(name), "models") for name in names))
    except CatalogError as error:
        raise ConfigError(str(error)) from None
    allow_non_runtime = as_bool("allow_non_runtime_models", raw["allow_non_runtime_models"])
    section = ModelsConfig(
        endpoint_scope=endpoint_scope,
        allowed=allowed,
        catalog=catalog,
        allow_non_runtime=allow_non_runtime,
        today=today,
        allow_gated=as_bool("allow_gated_models", raw["allow_gated_models"]),
    )
    try:
        for model in allowed:  # unusable first: a model served only by bedrock-mantle has no profile either
            check_usable(model, "models", section)
            require_offered(model, endpoint_scope)
    except CatalogError as error:
        raise ConfigError(str(error)) from None
    return section


def pick_model(models: ModelsConfig, key: str, value: Any) -> ClaudeModel:
    """One of the allowed models, named by alias, model ID or profile ID under `key`."""
    try:
        model = models.catalog.get(str(value), key)
    except CatalogError as error:
        raise ConfigError(str(error)) from None
    if model not in models.allowed:
        raise fail(key, value, f"one of the allowed models: {', '.join(m.alias for m in models.allowed)}")
    return model


def deprecation_warnings(models: ModelsConfig) -> list[str]:
    """One line per allowed model that is legacy or has an announced end-of-life date."""
    lines = []
    for model in models.allowed:
        status = model.lifecycle.status_on(models.today)
        end = model.lifecycle.end_of_life_on
        if status == "legacy" or end:
            when = f"; end of life on Bedrock on {end.isoformat()}" if end else ""
            lines.append(f"models: {model.alias} ({model.model_id}) is {status}{when}; plan a move to a current model")
    return lines
