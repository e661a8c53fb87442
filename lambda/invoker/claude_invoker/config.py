"""The function's configuration, read once from environment variables and validated.

Every problem raises `ConfigError` whose message starts with the variable's name, so a bad deployment fails at
init with a message that says what to fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from claude_invoker.callers import Team, principal_key
from claude_invoker.mirrored import (
    API_VERSIONS,
    CONNECT_TIMEOUT_SECONDS,
    LATENCIES,
    MAX_ATTEMPTS,
    MAX_RESULTS_RETENTION_DAYS,
    MAX_TIMEOUT_SECONDS,
    SAMPLING,
    SCOPES,
    SERVICE_TIERS,
    THINKING_MODES,
)

# The read timeout when BEDROCK_READ_TIMEOUT_SECONDS is unset (the construct always sets it).
DEFAULT_READ_TIMEOUT_SECONDS = 270


# A guardrail ARN (the bedrock:GuardrailIdentifier condition names the ARN) and a numbered version.
_GUARDRAIL_ARN = re.compile(r"^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{12}:guardrail/[a-z0-9]+$")
_GUARDRAIL_VERSION = re.compile(r"^[1-9][0-9]{0,7}$")
_APPLICATION_PROFILE_ARN = re.compile(
    r"^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{12}:application-inference-profile/[a-z0-9]+$"
)
# A CloudWatch namespace: up to 255 of these ASCII characters, not only spaces, not AWS/ (CloudWatch user guide,
# "Metrics concepts", Namespaces; PutMetricData: "[^:].*").
_NAMESPACE = re.compile(r"^(?!AWS/)(?!:)(?=.*[^ ])[0-9A-Za-z._/#: -]{1,255}$")


class ConfigError(ValueError):
    """A missing or invalid environment variable; the message names it."""


# Records are NamedTuples rather than dataclasses: a frozen dataclass costs ~0.5 ms of code generation at import,
# which every cold start pays (bench/cold_start.py).
class ModelEntry(NamedTuple):
    """One model this function may call, as the CDK construct configured it, with the catalog's request facts.

    A fact that is None is unknown to the catalog: the rule it would drive is left to Bedrock.
    """

    alias: str
    name: str
    model_id: str
    profile_id: str
    context_window: int
    api_names: tuple[str, ...] = ()
    max_output_tokens: int | None = None
    thinking_modes: frozenset[str] | None = None
    sampling: str = "any"
    count_tokens: bool = False
    thinking_off: bool | None = None  # whether thinking.type 'disabled' is taken; None: Bedrock decides
    # Anthropic API versions Bedrock takes for the model; the first is sent when a request names none.
    api_versions: tuple[str, ...] = (API_VERSIONS[0],)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a caller may use for this model."""
        return (self.alias, self.model_id, self.profile_id, *self.api_names)


class Settings(NamedTuple):
    models: dict[str, ModelEntry]
    default_alias: str
    endpoint_scope: str
    read_timeout_seconds: int
    connect_timeout_seconds: int
    max_attempts: int
    log_prompts: bool
    metrics_namespace: str  # the CloudWatch namespace of the function's metrics
    service_name: str  # the value of their `service` dimension
    timeout_seconds: int | None = None  # the function's own timeout, named in refusals; None outside Lambda
    service_tier: str | None = None
    latency: str | None = None
    results_bucket: str | None = None
    async_alias: str | None = None
    results_retention_days: int | None = None
    # (guardrail ARN, version) applied to every call, or None.
    guardrail: tuple[str, str] | None = None
    # The alias behind the function URL: invoked through it, the function reads an HTTP request and the caller's
    # authenticated principal; None without a function URL.
    url_alias: str | None = None
    # The teams whose authenticated callers it serves through their application inference profiles.
    teams: tuple[Team, ...] = ()

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


def _optional_int(env: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    return _int(env, name, 0, low, high) if env.get(name, "").strip() else None


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("true", "false"):
        return raw == "true"
    raise ConfigError(f"{name}: '{env[name]}' is not a boolean; allowed: true, false")


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str | None:
    raw = env.get(name, "").strip()
    if raw and raw not in choices:
        raise ConfigError(f"{name}: '{raw}' is not allowed; allowed: {', '.join(choices)}")
    return raw or None


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}.{key}: must be a non-empty string")
    return value.strip()


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _facts(entry: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The catalog's request facts of one model (all optional; a wrong one fails init)."""
    names = entry.get("api_names", [])
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise ConfigError(f"{where}.api_names: must be a list of non-empty strings")
    max_output = entry.get("max_output_tokens")
    if max_output is not None and not _positive_int(max_output):
        raise ConfigError(f"{where}.max_output_tokens: must be a positive integer or null")
    modes = entry.get("thinking_modes")
    if modes is not None and (not isinstance(modes, list) or not set(modes) <= set(THINKING_MODES)):
        raise ConfigError(f"{where}.thinking_modes: must be null or a list of {', '.join(THINKING_MODES)}")
    # any: temperature, top_p, top_k; temperature_or_top_p: not both; fixed: none of the three; near_default and
    # near_default_one_of: temperature 1 and top_p near 1 only (claude_invoker.rules).
    sampling = entry.get("sampling", "any")
    if sampling not in SAMPLING:
        raise ConfigError(f"{where}.sampling: '{sampling}' is not allowed; allowed: {', '.join(SAMPLING)}")
    count_tokens = entry.get("count_tokens", False)
    if not isinstance(count_tokens, bool):
        raise ConfigError(f"{where}.count_tokens: must be true or false")
    thinking_off = entry.get("thinking_off")
    if thinking_off is not None and not isinstance(thinking_off, bool):
        raise ConfigError(f"{where}.thinking_off: must be true, false or null")
    versions = entry.get("api_versions", [API_VERSIONS[0]])
    if not isinstance(versions, list) or not versions or not set(versions) <= set(API_VERSIONS):
        raise ConfigError(f"{where}.api_versions: must be a non-empty list of {', '.join(API_VERSIONS)}")
    return {
        "api_names": tuple(n.strip() for n in names),
        "max_output_tokens": max_output,
        "thinking_modes": None if modes is None else frozenset(modes),
        "sampling": sampling,
        "count_tokens": count_tokens,
        "thinking_off": thinking_off,
        "api_versions": tuple(versions),
    }


def _model(alias: object, entry: object, endpoint_scope: str) -> ModelEntry:
    if not isinstance(alias, str) or not alias.strip():
        raise ConfigError("CLAUDE_MODELS: every alias must be a non-empty string")
    where = f"CLAUDE_MODELS.{alias}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: must be a JSON object")
    # Unknown keys are ignored on purpose: the construct may add facts this version does not use.
    model_id = _text(entry, "model_id", where)
    profile_id = _text(entry, "profile_id", where)
    if profile_id != f"{endpoint_scope}.{model_id}":
        raise ConfigError(
            f"{where}.profile_id: '{profile_id}' is not the CLAUDE_ENDPOINT_SCOPE='{endpoint_scope}' profile of "
            f"'{model_id}'; expected '{endpoint_scope}.{model_id}'"
        )
    window = entry.get("context_window", 200_000)
    if not _positive_int(window):
        raise ConfigError(f"{where}.context_window: must be a positive integer")
    name = _text(entry, "name", where)
    return ModelEntry(alias.strip(), name, model_id, profile_id, window, **_facts(entry, where))


def _models(env: Mapping[str, str], endpoint_scope: str) -> dict[str, ModelEntry]:
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
    seen: dict[str, str] = {}
    for alias, entry in parsed.items():
        model = _model(alias, entry, endpoint_scope)
        for key in dict.fromkeys(model.names):  # a model may list its alias among its API names
            if key in seen:
                raise ConfigError(f"CLAUDE_MODELS: '{key}' is used by both '{seen[key]}' and '{model.alias}'")
            seen[key] = model.alias
        models[model.alias] = model
    return models


def load_settings(env: Mapping[str, str]) -> Settings:
    """Read and validate the environment contract (see the handler module's docstring)."""
    endpoint_scope = env.get("CLAUDE_ENDPOINT_SCOPE", "").strip()
    if endpoint_scope not in SCOPES:
        raise ConfigError(f"CLAUDE_ENDPOINT_SCOPE: '{endpoint_scope}' is not a scope; allowed: {', '.join(SCOPES)}")
    models = _models(env, endpoint_scope)
    default_alias = env.get("CLAUDE_DEFAULT_MODEL", "").strip()
    if default_alias not in models:
        raise ConfigError(
            f"CLAUDE_DEFAULT_MODEL: '{default_alias}' is not an alias in CLAUDE_MODELS; allowed: {', '.join(models)}"
        )
    read_timeout = _int(env, "BEDROCK_READ_TIMEOUT_SECONDS", DEFAULT_READ_TIMEOUT_SECONDS, 1, MAX_TIMEOUT_SECONDS)
    timeout = _optional_int(env, "INVOKER_TIMEOUT_SECONDS", 1, MAX_TIMEOUT_SECONDS)
    if timeout is not None and read_timeout >= timeout:
        raise ConfigError(
            f"BEDROCK_READ_TIMEOUT_SECONDS: {read_timeout} must be below INVOKER_TIMEOUT_SECONDS ({timeout}), "
            "or a Bedrock read could outlive the invocation"
        )
    url_alias = env.get("INVOKER_URL_ALIAS", "").strip() or None
    async_alias = env.get("INVOKER_ASYNC_ALIAS", "").strip() or None
    if url_alias is not None and url_alias == async_alias:
        raise ConfigError(f"INVOKER_URL_ALIAS: '{url_alias}' is also INVOKER_ASYNC_ALIAS; the two must differ")
    return Settings(
        models=models,
        default_alias=default_alias,
        endpoint_scope=endpoint_scope,
        read_timeout_seconds=read_timeout,
        connect_timeout_seconds=_int(env, "BEDROCK_CONNECT_TIMEOUT_SECONDS", CONNECT_TIMEOUT_SECONDS, 1, 60),
        max_attempts=_int(env, "BEDROCK_MAX_ATTEMPTS", MAX_ATTEMPTS, 1, 10),
        log_prompts=_bool(env, "INVOKER_LOG_PROMPTS", False),
        metrics_namespace=_namespace(env),
        service_name=_service_name(env),
        timeout_seconds=timeout,
        service_tier=_choice(env, "BEDROCK_SERVICE_TIER", SERVICE_TIERS),
        latency=_choice(env, "BEDROCK_PERFORMANCE_LATENCY", LATENCIES),
        results_bucket=env.get("INVOKER_RESULTS_BUCKET", "").strip() or None,
        async_alias=async_alias,
        results_retention_days=_optional_int(env, "INVOKER_RESULTS_RETENTION_DAYS", 1, MAX_RESULTS_RETENTION_DAYS),
        guardrail=_guardrail(env),
        url_alias=url_alias,
        teams=_teams(env, models),
    )


def _namespace(env: Mapping[str, str]) -> str:
    namespace = env.get("INVOKER_METRICS_NAMESPACE", "")
    if not _NAMESPACE.match(namespace):
        raise ConfigError(
            f"INVOKER_METRICS_NAMESPACE: '{namespace}' is not a CloudWatch namespace (1-255 of A-Z a-z 0-9 . - _ / # : "
            "and space, not starting with AWS/)"
        )
    return namespace


def _service_name(env: Mapping[str, str]) -> str:
    name = env.get("INVOKER_SERVICE_NAME", "").strip()
    if not 0 < len(name) <= 1024:  # a CloudWatch dimension value: 1-1024 characters
        raise ConfigError(f"INVOKER_SERVICE_NAME: '{name[:40]}' must be 1-1024 characters (a dimension value)")
    return name


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


def _teams(env: Mapping[str, str], models: Mapping[str, ModelEntry]) -> tuple[Team, ...]:
    """`INVOKER_TEAMS`: team name -> {principals, profiles (model alias -> application profile ARN), guardrail}. A
    principal in two teams would make the team of its callers a guess: refused."""
    raw = env.get("INVOKER_TEAMS", "").strip()
    if not raw:
        return ()
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"INVOKER_TEAMS: not valid JSON ({exc.msg} at position {exc.pos})") from None
    if not isinstance(parsed, dict):
        raise ConfigError("INVOKER_TEAMS: must be a JSON object mapping team name to team")
    owners: dict[tuple[str, ...], str] = {}
    teams = []
    for name, entry in parsed.items():
        team = _team(str(name), entry, models)
        for key in _keys(team):
            if key in owners:
                raise ConfigError(f"INVOKER_TEAMS: principal {key} is in both '{owners[key]}' and '{team.name}'")
            owners[key] = team.name
        teams.append(team)
    return tuple(teams)


def _keys(team: Team) -> list[tuple[str, ...]]:
    return [
        *(("account", a) for a in team.accounts),
        *(("role", *r) for r in team.roles),
        *(("user", u) for u in team.users),
    ]


def _team(name: str, entry: object, models: Mapping[str, ModelEntry]) -> Team:
    where = f"INVOKER_TEAMS.{name}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: must be a JSON object (principals, profiles, guardrail)")
    principals = entry.get("principals")
    if not isinstance(principals, list) or not all(isinstance(p, str) for p in principals):
        raise ConfigError(f"{where}.principals: must be a list of account IDs, role or user ARNs")
    keys = [key for key in (principal_key(p) for p in principals) if key is not None]
    profiles = entry.get("profiles")
    if not isinstance(profiles, dict) or not all(
        alias in models and isinstance(arn, str) and _APPLICATION_PROFILE_ARN.match(arn)
        for alias, arn in profiles.items()
    ):
        raise ConfigError(f"{where}.profiles: must map aliases of CLAUDE_MODELS to application inference profile ARNs")
    guardrail = entry.get("guardrail")
    if guardrail is not None and not (
        isinstance(guardrail, list)
        and len(guardrail) == 2
        and _GUARDRAIL_ARN.match(str(guardrail[0]))
        and _GUARDRAIL_VERSION.match(str(guardrail[1]))
    ):
        raise ConfigError(f"{where}.guardrail: must be null or [guardrail ARN, version]")
    return Team(
        name=name,
        accounts=frozenset(k[1] for k in keys if k[0] == "account"),
        roles=frozenset((k[1], k[2]) for k in keys if k[0] == "role"),
        users=frozenset(k[1] for k in keys if k[0] == "user"),
        profiles=dict(profiles),
        guardrail=(str(guardrail[0]), str(guardrail[1])) if guardrail is not None else None,
    )
