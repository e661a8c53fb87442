"""The function's configuration, read once from environment variables and validated.

Every problem raises `ConfigError` whose message starts with the variable's name, so a bad deployment fails at
init with a message that says what to fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SCOPES = ("global", "us", "eu", "jp", "apac", "au")
LONG_CONTEXT = ("beta", "native", "none")

DEFAULT_READ_TIMEOUT_SECONDS = 270
DEFAULT_CONNECT_TIMEOUT_SECONDS = 5
DEFAULT_MAX_ATTEMPTS = 3


# A guardrail ARN (the bedrock:GuardrailIdentifier condition names the ARN) and a numbered version.
_GUARDRAIL_ARN = re.compile(r"^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{12}:guardrail/[a-z0-9]+$")
_GUARDRAIL_VERSION = re.compile(r"^[1-9][0-9]{0,7}$")


class ConfigError(ValueError):
    """A missing or invalid environment variable; the message names it."""


@dataclass(frozen=True)
class ModelEntry:
    """One model this function may call, as the CDK construct configured it."""

    alias: str
    name: str
    model_id: str
    profile_id: str
    long_context: str
    context_window: int


@dataclass(frozen=True)
class Settings:
    models: dict[str, ModelEntry]
    default_alias: str
    scope: str
    read_timeout_seconds: int
    connect_timeout_seconds: int
    max_attempts: int
    log_prompts: bool
    # (guardrail ARN, version) applied to every call, or None.
    guardrail: tuple[str, str] | None = None

    @property
    def default_model(self) -> ModelEntry:
        return self.models[self.default_alias]


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}: '{raw}' is not an integer") from None
    if not low <= value <= high:
        raise ConfigError(f"{name}: {value} is out of range; allowed {low}..{high}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("true", "false"):
        return raw == "true"
    raise ConfigError(f"{name}: '{env[name]}' is not a boolean; allowed: true, false")


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}.{key}: must be a non-empty string")
    return value.strip()


def _model(alias: object, entry: object, scope: str) -> ModelEntry:
    if not isinstance(alias, str) or not alias.strip():
        raise ConfigError("CLAUDE_MODELS: every alias must be a non-empty string")
    where = f"CLAUDE_MODELS.{alias}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: must be a JSON object")
    # Unknown keys are ignored on purpose: the construct may add facts this version does not use.
    model_id = _text(entry, "model_id", where)
    profile_id = _text(entry, "profile_id", where)
    if profile_id != f"{scope}.{model_id}":
        raise ConfigError(
            f"{where}.profile_id: '{profile_id}' is not the CLAUDE_ENDPOINT_SCOPE='{scope}' profile of "
            f"'{model_id}'; expected '{scope}.{model_id}'"
        )
    long_context = entry.get("long_context", "none")
    if long_context not in LONG_CONTEXT:
        raise ConfigError(f"{where}.long_context: '{long_context}' is not allowed; allowed: {', '.join(LONG_CONTEXT)}")
    window = entry.get("context_window", 200_000)
    if isinstance(window, bool) or not isinstance(window, int) or window <= 0:
        raise ConfigError(f"{where}.context_window: must be a positive integer")
    return ModelEntry(alias.strip(), _text(entry, "name", where), model_id, profile_id, long_context, window)


def load_settings(env: Mapping[str, str]) -> Settings:
    """Read and validate the environment contract (see the handler module's docstring)."""
    scope = env.get("CLAUDE_ENDPOINT_SCOPE", "").strip()
    if scope not in SCOPES:
        raise ConfigError(f"CLAUDE_ENDPOINT_SCOPE: '{scope}' is not a scope; allowed: {', '.join(SCOPES)}")

    raw_models = env.get("CLAUDE_MODELS", "")
    if not raw_models.strip():
        raise ConfigError("CLAUDE_MODELS: not set; expected a JSON object mapping alias to model")
    try:
        parsed = json.loads(raw_models)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"CLAUDE_MODELS: not valid JSON ({exc.msg} at position {exc.pos})") from None
    if not isinstance(parsed, dict) or not parsed:
        raise ConfigError("CLAUDE_MODELS: must be a non-empty JSON object mapping alias to model")

    models: dict[str, ModelEntry] = {}
    seen_ids: dict[str, str] = {}
    for alias, entry in parsed.items():
        model = _model(alias, entry, scope)
        for key in (model.alias, model.model_id, model.profile_id):
            if key in seen_ids:
                raise ConfigError(f"CLAUDE_MODELS: '{key}' is used by both '{seen_ids[key]}' and '{model.alias}'")
            seen_ids[key] = model.alias
        models[model.alias] = model

    default_alias = env.get("CLAUDE_DEFAULT_MODEL", "").strip()
    if default_alias not in models:
        raise ConfigError(
            f"CLAUDE_DEFAULT_MODEL: '{default_alias}' is not an alias in CLAUDE_MODELS; allowed: {', '.join(models)}"
        )

    return Settings(
        models=models,
        default_alias=default_alias,
        scope=scope,
        read_timeout_seconds=_int(env, "BEDROCK_READ_TIMEOUT_SECONDS", DEFAULT_READ_TIMEOUT_SECONDS, 1, 900),
        connect_timeout_seconds=_int(env, "BEDROCK_CONNECT_TIMEOUT_SECONDS", DEFAULT_CONNECT_TIMEOUT_SECONDS, 1, 60),
        max_attempts=_int(env, "BEDROCK_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS, 1, 10),
        log_prompts=_bool(env, "INVOKER_LOG_PROMPTS", False),
        guardrail=_guardrail(env),
    )


def _guardrail(env: Mapping[str, str]) -> tuple[str, str] | None:
    """`CLAUDE_GUARDRAIL_ARN` and `CLAUDE_GUARDRAIL_VERSION`: both set, or neither."""
    arn = env.get("CLAUDE_GUARDRAIL_ARN", "").strip()
    version = env.get("CLAUDE_GUARDRAIL_VERSION", "").strip()
    if not arn and not version:
        return None
    if not _GUARDRAIL_ARN.match(arn):
        raise ConfigError(
            f"CLAUDE_GUARDRAIL_ARN: '{arn}' is not a guardrail ARN (set it with CLAUDE_GUARDRAIL_VERSION)"
        )
    if not _GUARDRAIL_VERSION.match(version):
        raise ConfigError(f"CLAUDE_GUARDRAIL_VERSION: '{version}' is not a version number (1-99999999)")
    return arn, version
