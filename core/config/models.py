"""Configuration section `models`: the scope calls go through and the Claude models callers may use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.catalog import Catalog, CatalogError, require_offered
from core.config.values import ConfigError, as_bool, as_choice, as_int, as_list, fail
from core.models import RUNTIME_API, ClaudeModel
from core.scopes import GLOBAL, SCOPES

DEFAULTS: dict[str, Any] = {
    "endpoint_scope": GLOBAL,
    "models": ["claude-sonnet-4-6", "claude-haiku-4-5"],
    "extra_models": [],
    "allow_non_runtime_models": False,
}


@dataclass(frozen=True)
class ModelsConfig:
    """`endpoint_scope`, `models`, `extra_models`, `allow_non_runtime_models`."""

    scope: str
    allowed: tuple[ClaudeModel, ...]
    catalog: Catalog
    allow_non_runtime: bool


def _extra_models(value: Any) -> tuple[ClaudeModel, ...]:
    key = "extra_models"
    models = []
    for item in as_list(key, value):
        if not isinstance(item, dict):
            raise fail(key, item, 'objects like {"alias": ..., "name": ..., "model_id": ..., "scopes": [...]}')
        unknown = set(item) - {"alias", "name", "model_id", "scopes", "context_window", "long_context", "api"}
        missing = {"alias", "model_id", "scopes"} - set(item)
        if unknown or missing:
            raise fail(
                key,
                item,
                "keys alias, model_id, scopes (required), name, context_window, long_context, api"
                + (f"; missing {sorted(missing)}" if missing else f"; unknown {sorted(unknown)}"),
            )
        model_id = item["model_id"]
        if not isinstance(model_id, str) or not model_id.startswith("anthropic."):
            raise fail(f"{key}.model_id", model_id, "a Bedrock model ID starting with 'anthropic.'")
        scopes = as_list(f"{key}.scopes", item["scopes"])
        for scope in scopes:
            as_choice(f"{key}.scopes", scope, SCOPES)
        if not scopes:
            raise fail(f"{key}.scopes", scopes, f"one or more of {', '.join(SCOPES)}")
        long_context = as_choice(f"{key}.long_context", item.get("long_context", "none"), ("none", "beta", "native"))
        models.append(
            ClaudeModel(
                alias=str(item["alias"]),
                name=str(item.get("name", item["alias"])),
                model_id=model_id,
                scopes=frozenset(scopes),
                context_window=as_int(f"{key}.context_window", item.get("context_window", 200_000), 1, 10_000_000),
                long_context=long_context,  # type: ignore[arg-type]
                api=str(item.get("api", RUNTIME_API)),
            )
        )
    return tuple(models)


def parse_models(raw: Mapping[str, Any], today: date) -> ModelsConfig:
    scope = as_choice("endpoint_scope", raw["endpoint_scope"], SCOPES)
    try:
        catalog = Catalog().with_models(_extra_models(raw["extra_models"]))
        names = as_list("models", raw["models"])
        if not names:
            raise fail("models", raw["models"], f"one or more of {', '.join(catalog.aliases())}")
        allowed = tuple(dict.fromkeys(catalog.get(str(name), "models") for name in names))
        for model in allowed:
            require_offered(model, scope)
    except CatalogError as error:
        raise ConfigError(str(error)) from None

    allow_non_runtime = as_bool("allow_non_runtime_models", raw["allow_non_runtime_models"])
    for model in allowed:
        if model.api != RUNTIME_API and not allow_non_runtime:
            raise ConfigError(
                f"models: {model.alias} is served by {model.api}, not {RUNTIME_API}; Bedrock model invocation "
                "logging would not record its calls. Remove it, or set allow_non_runtime_models=true to accept that"
            )
        if model.retires_on and model.retires_on <= today:
            raise ConfigError(
                f"models: {model.alias} ({model.model_id}) was retired on {model.retires_on.isoformat()}; "
                "choose a current model"
            )
    return ModelsConfig(scope=scope, allowed=allowed, catalog=catalog, allow_non_runtime=allow_non_runtime)


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
    """One line per allowed model that is legacy or has an announced retirement date."""
    lines = []
    for model in models.allowed:
        if model.lifecycle == "legacy" or model.retires_on:
            when = f"; retires on {model.retires_on.isoformat()}" if model.retires_on else ""
            lines.append(
                f"models: {model.alias} ({model.model_id}) is {model.lifecycle}{when}; plan a move to a current model"
            )
    return lines
