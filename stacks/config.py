"""The one configuration object of the app, built and validated in one place.

`app.py` passes CDK context (from `cdk.json` and `-c key=value`) to `load_config`;
every stack and construct receives the frozen `AppConfig` it returns and never
reads context or the environment itself. Each bad value raises `ConfigError`
with one line naming the key, the value and what is allowed.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from stacks.catalog import (
    GLOBAL,
    RUNTIME_API,
    SCOPES,
    Catalog,
    CatalogError,
    ClaudeModel,
    partition_of,
    require_offered,
    resolve,
    source_regions,
)
from stacks.invocation_access.permissions import (
    MANAGED_POLICY_LIMIT,
    allow_statements,
    invoke_actions,
    policy_size,
    residency_deny_statements,
)

# CloudWatch Logs accepts only these retention periods; the source document asks for >= 30 days.
LOG_RETENTION_CHOICES = (30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
MIN_LOG_RETENTION_DAYS = 30
LOG_DATA_KINDS = ("text", "image", "embedding", "video", "audio")
# The PutModelInvocationLoggingConfiguration flag of each kind of data.
DELIVERY_FLAGS = {kind: f"{kind}DataDeliveryEnabled" for kind in LOG_DATA_KINDS}
REMOVAL_POLICIES = ("retain", "destroy")
OBJECT_LOCK_MODES = ("off", "governance", "compliance")

_ACCOUNT = re.compile(r"^\d{12}$")
_REGION = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
_ROLE_OR_USER_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:(role|user|root)(/.*)?$")
_SERVICE = re.compile(r"^[a-z0-9.-]+\.amazonaws\.com$")
# A general purpose bucket ARN (`arn:<partition>:s3:::<name>`) and a KMS key ARN (not an alias: IAM needs the key).
_S3_BUCKET_ARN = re.compile(r"^arn:(aws[a-z-]*):s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$")
_KMS_KEY_ARN = re.compile(r"^arn:(aws[a-z-]*):kms:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):key/[A-Za-z0-9-]+$")


class ConfigError(ValueError):
    """A configuration value that cannot be used; str() is the one line a user sees."""


@dataclass(frozen=True)
class AppConfig:
    """Everything the stacks need, typed and validated. Field docs are the README's key table."""

    account: str | None
    regions: tuple[str, ...]
    endpoint_scope: str
    models: tuple[ClaudeModel, ...]
    default_model: ClaudeModel
    catalog: Catalog
    invoker_principals: tuple[str, ...]
    invoker_external_id: str | None
    allow_streaming: bool
    allow_marketplace_subscription: bool
    log_retention_days: int
    log_data: tuple[str, ...]
    log_object_lock: str
    log_object_lock_days: int
    log_removal_policy: str
    keep_logging_configuration_on_delete: bool
    invoker_callers: tuple[str, ...]
    invoker_memory_mb: int
    invoker_timeout_seconds: int
    invoker_reserved_concurrency: int | None
    invoker_log_prompts: bool
    invoker_vpc: bool
    powertools_layer_version: int
    allow_non_runtime_models: bool
    today: date
    # Optional S3 replication of the invocation-log bucket to a bucket the user owns (None: no replication).
    log_replica_bucket_arn: str | None = None
    log_replica_kms_key_arn: str | None = None
    log_replica_account: str | None = None

    @property
    def log_replica_region(self) -> str | None:
        """Region of the replica bucket, read from its KMS key's ARN (S3 requires the key in the bucket's Region)."""
        return self.log_replica_kms_key_arn.split(":")[3] if self.log_replica_kms_key_arn else None


# Default values; cdk.json repeats them so a user sees and edits them in one file.
DEFAULTS: dict[str, Any] = {
    "account": None,
    "regions": ["us-east-1"],
    "endpoint_scope": GLOBAL,
    "models": ["claude-sonnet-4-6", "claude-haiku-4-5"],
    "default_model": "claude-sonnet-4-6",
    "extra_models": [],
    "invoker_principals": [],
    "invoker_external_id": None,
    "allow_streaming": True,
    "allow_marketplace_subscription": False,
    "log_retention_days": 30,
    "log_data": ["text", "image"],
    "log_object_lock": "off",
    "log_object_lock_days": 30,
    "log_removal_policy": "retain",
    "keep_logging_configuration_on_delete": True,
    "invoker_callers": [],
    "invoker_memory_mb": 512,
    "invoker_timeout_seconds": 300,
    "invoker_reserved_concurrency": None,
    "invoker_log_prompts": False,
    "invoker_vpc": False,
    "powertools_layer_version": 38,
    "allow_non_runtime_models": False,
    "log_replica_bucket_arn": None,
    "log_replica_kms_key_arn": None,
    "log_replica_account": None,
}

KEYS = tuple(DEFAULTS)


def _fail(key: str, value: Any, allowed: str) -> ConfigError:
    return ConfigError(f"{key}: {value!r} is not valid; allowed: {allowed}")


def _list(key: str, value: Any) -> list[Any]:
    """Lists come from cdk.json as JSON arrays and from `-c key=...` as JSON or comma-separated text."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError as error:
                raise _fail(key, value, f"a JSON list or comma-separated values ({error.msg})") from None
        else:
            return [part.strip() for part in text.split(",") if part.strip()]
    if not isinstance(value, list):
        raise _fail(key, value, "a list (JSON array) or comma-separated values")
    return value


def _bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _fail(key, value, "true or false")


def _int(key: str, value: Any, low: int, high: int) -> int:
    try:
        number = int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or str(number) != str(value).strip() or not low <= number <= high:
        raise _fail(key, value, f"an integer from {low} to {high}")
    return number


def _choice(key: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise _fail(key, value, ", ".join(choices))
    return str(value)


def _optional_text(key: str, value: Any, pattern: re.Pattern[str] | None, allowed: str) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or (pattern and not pattern.match(value)):
        raise _fail(key, value, allowed)
    return value


def _principals(key: str, value: Any) -> tuple[str, ...]:
    items = _list(key, value)
    for item in items:
        if not isinstance(item, str) or not (
            _ACCOUNT.match(item) or _ROLE_OR_USER_ARN.match(item) or _SERVICE.match(item)
        ):
            raise _fail(
                key,
                item,
                "12-digit account IDs, IAM role or user ARNs, or service principals such as lambda.amazonaws.com",
            )
    return tuple(dict.fromkeys(items))


def _extra_models(value: Any) -> tuple[ClaudeModel, ...]:
    key = "extra_models"
    models = []
    for item in _list(key, value):
        if not isinstance(item, dict):
            raise _fail(key, item, 'objects like {"alias": ..., "name": ..., "model_id": ..., "scopes": [...]}')
        unknown = set(item) - {"alias", "name", "model_id", "scopes", "context_window", "long_context", "api"}
        missing = {"alias", "model_id", "scopes"} - set(item)
        if unknown or missing:
            raise _fail(
                key,
                item,
                "keys alias, model_id, scopes (required), name, context_window, long_context, api"
                + (f"; missing {sorted(missing)}" if missing else f"; unknown {sorted(unknown)}"),
            )
        model_id = item["model_id"]
        if not isinstance(model_id, str) or not model_id.startswith("anthropic."):
            raise _fail(f"{key}.model_id", model_id, "a Bedrock model ID starting with 'anthropic.'")
        scopes = _list(f"{key}.scopes", item["scopes"])
        for scope in scopes:
            _choice(f"{key}.scopes", scope, SCOPES)
        if not scopes:
            raise _fail(f"{key}.scopes", scopes, f"one or more of {', '.join(SCOPES)}")
        long_context = _choice(f"{key}.long_context", item.get("long_context", "none"), ("none", "beta", "native"))
        models.append(
            ClaudeModel(
                alias=str(item["alias"]),
                name=str(item.get("name", item["alias"])),
                model_id=model_id,
                scopes=frozenset(scopes),
                context_window=_int(f"{key}.context_window", item.get("context_window", 200_000), 1, 10_000_000),
                long_context=long_context,  # type: ignore[arg-type]
                api=str(item.get("api", RUNTIME_API)),
            )
        )
    return tuple(models)


def load_config(context: Mapping[str, Any], today: date | None = None) -> AppConfig:
    """Build the validated configuration from CDK context values (missing keys take DEFAULTS)."""
    _refuse_unknown_keys(context)
    raw = {**DEFAULTS, **{k: v for k, v in context.items() if k in DEFAULTS and v is not None}}
    today = today or date.today()

    account = _optional_text("account", raw["account"], _ACCOUNT, "a 12-digit AWS account ID, or unset")
    scope = _choice("endpoint_scope", raw["endpoint_scope"], SCOPES)

    regions = _list("regions", raw["regions"])
    if not regions:
        raise _fail("regions", raw["regions"], "one or more Region names, e.g. us-east-1")
    for region in regions:
        if not isinstance(region, str) or not _REGION.match(region):
            raise _fail("regions", region, "Region names such as us-east-1")
        if region not in source_regions(scope):
            raise _fail(
                "regions", region, f"source Regions of the '{scope}' profile: {', '.join(source_regions(scope))}"
            )
    if len(set(regions)) != len(regions):
        raise _fail("regions", regions, "each Region once (invocation logging is a per-Region singleton)")

    try:
        catalog = Catalog().with_models(_extra_models(raw["extra_models"]))
        model_names = _list("models", raw["models"])
        if not model_names:
            raise _fail("models", raw["models"], f"one or more of {', '.join(catalog.aliases())}")
        models = tuple(dict.fromkeys(catalog.get(str(name), "models") for name in model_names))
        for model in models:
            require_offered(model, scope)
        default_model = catalog.get(str(raw["default_model"]), "default_model")
    except CatalogError as error:
        raise ConfigError(str(error)) from None
    if default_model not in models:
        raise _fail(
            "default_model", raw["default_model"], f"one of the allowed models: {', '.join(m.alias for m in models)}"
        )

    allow_non_runtime = _bool("allow_non_runtime_models", raw["allow_non_runtime_models"])
    for model in models:
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

    _check_policy_size(models, scope, tuple(regions), _bool("allow_streaming", raw["allow_streaming"]))

    retention = _int("log_retention_days", raw["log_retention_days"], MIN_LOG_RETENTION_DAYS, 3653)
    if retention not in LOG_RETENTION_CHOICES:
        raise _fail("log_retention_days", raw["log_retention_days"], ", ".join(map(str, LOG_RETENTION_CHOICES)))

    log_data = tuple(
        dict.fromkeys(_choice("log_data", kind, LOG_DATA_KINDS) for kind in _list("log_data", raw["log_data"]))
    )
    if not log_data:
        raise _fail("log_data", raw["log_data"], f"one or more of {', '.join(LOG_DATA_KINDS)}")

    replica_bucket, replica_key, replica_account = _log_replica(raw, account, scope, tuple(regions))
    reserved = raw["invoker_reserved_concurrency"]
    timeout = _int("invoker_timeout_seconds", raw["invoker_timeout_seconds"], 30, 900)

    return AppConfig(
        account=account,
        regions=tuple(regions),
        endpoint_scope=scope,
        models=models,
        default_model=default_model,
        catalog=catalog,
        invoker_principals=_principals("invoker_principals", raw["invoker_principals"]),
        invoker_external_id=_optional_text(
            "invoker_external_id",
            raw["invoker_external_id"],
            re.compile(r"^[\w+=,.@:/-]{2,1224}$"),
            "2-1224 characters of [A-Za-z0-9+=,.@:/-_]",
        ),
        allow_streaming=_bool("allow_streaming", raw["allow_streaming"]),
        allow_marketplace_subscription=_bool("allow_marketplace_subscription", raw["allow_marketplace_subscription"]),
        log_retention_days=retention,
        log_data=log_data,
        log_object_lock=_choice("log_object_lock", raw["log_object_lock"], OBJECT_LOCK_MODES),
        log_object_lock_days=_int("log_object_lock_days", raw["log_object_lock_days"], 1, 36500),
        log_removal_policy=_choice("log_removal_policy", raw["log_removal_policy"], REMOVAL_POLICIES),
        keep_logging_configuration_on_delete=_bool(
            "keep_logging_configuration_on_delete", raw["keep_logging_configuration_on_delete"]
        ),
        invoker_callers=_principals("invoker_callers", raw["invoker_callers"]),
        invoker_memory_mb=_int("invoker_memory_mb", raw["invoker_memory_mb"], 128, 10240),
        invoker_timeout_seconds=timeout,
        invoker_reserved_concurrency=None
        if reserved in (None, "")
        else _int("invoker_reserved_concurrency", reserved, 1, 10000),
        invoker_log_prompts=_bool("invoker_log_prompts", raw["invoker_log_prompts"]),
        invoker_vpc=_bool("invoker_vpc", raw["invoker_vpc"]),
        powertools_layer_version=_int("powertools_layer_version", raw["powertools_layer_version"], 1, 10000),
        allow_non_runtime_models=allow_non_runtime,
        today=today,
        log_replica_bucket_arn=replica_bucket,
        log_replica_kms_key_arn=replica_key,
        log_replica_account=replica_account,
    )


def _log_replica(
    raw: Mapping[str, Any], account: str | None, scope: str, regions: tuple[str, ...]
) -> tuple[str | None, str | None, str | None]:
    """The replica bucket ARN, its KMS key ARN and its owning account; all None when replication is off."""
    bucket = _optional_text(
        "log_replica_bucket_arn",
        raw["log_replica_bucket_arn"],
        _S3_BUCKET_ARN,
        "an S3 bucket ARN such as arn:aws:s3:::my-log-archive, or unset",
    )
    key = _optional_text(
        "log_replica_kms_key_arn",
        raw["log_replica_kms_key_arn"],
        _KMS_KEY_ARN,
        "a KMS key ARN such as arn:aws:kms:eu-central-1:111122223333:key/<key-id> (not an alias), or unset",
    )
    replica_account = _optional_text(
        "log_replica_account", raw["log_replica_account"], _ACCOUNT, "a 12-digit AWS account ID, or unset"
    )
    if bucket is None:
        for name, value in (("log_replica_kms_key_arn", key), ("log_replica_account", replica_account)):
            if value is not None:
                raise _fail(name, value, "unset when log_replica_bucket_arn is unset (replication is off)")
        return None, None, None
    if key is None:
        raise _fail(
            "log_replica_kms_key_arn",
            raw["log_replica_kms_key_arn"],
            "the ARN of the replica bucket's KMS key, required with log_replica_bucket_arn (the logs are SSE-KMS)",
        )
    partition = partition_of(regions[0])
    bucket_match, key_match = _S3_BUCKET_ARN.match(bucket), _KMS_KEY_ARN.match(key)
    assert bucket_match and key_match
    if bucket_match.group(1) != partition:
        raise _fail("log_replica_bucket_arn", bucket, f"a bucket ARN in the partition of regions ({partition})")
    if key_match.group(1) != partition:
        raise _fail("log_replica_kms_key_arn", key, f"a key ARN in the partition of regions ({partition})")
    key_region = key_match.group(2)
    if scope != GLOBAL and key_region not in source_regions(scope):
        raise _fail(
            "log_replica_kms_key_arn",
            key,
            f"a key (and bucket) in a Region of the '{scope}' geography, so the copy keeps data residency: "
            + ", ".join(source_regions(scope)),
        )
    if replica_account is not None and replica_account == account:
        raise _fail(
            "log_replica_account",
            replica_account,
            "an account other than `account` (replicas in this account are owned by it already), or unset",
        )
    if replica_account is not None and key_match.group(3) != replica_account:
        raise _fail("log_replica_kms_key_arn", key, f"a key of the replica account {replica_account}, like its bucket")
    return bucket, key, replica_account


_PROJECT_KEY = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


def _refuse_unknown_keys(context: Mapping[str, Any]) -> None:
    """A misspelt key must not be silently ignored (its default would apply without anyone noticing).

    CDK's own context keys (feature flags `@aws-cdk/...`, `aws:cdk:...`, lookups, `acknowledged-issue-numbers`)
    pass; a snake_case key that is not ours, or any key close to one of ours, is refused.
    """
    for key in context:
        if key in DEFAULTS:
            continue
        close = difflib.get_close_matches(key, KEYS, n=1, cutoff=0.8)
        if close or _PROJECT_KEY.match(key):
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise ConfigError(f"{key}: unknown configuration key; {hint}allowed: {', '.join(KEYS)}")


def _check_policy_size(models: tuple[ClaudeModel, ...], scope: str, regions: tuple[str, ...], streaming: bool) -> None:
    """IAM refuses a managed policy over 6,144 characters at deploy time; say so at synth time."""
    for region in regions:
        profiles = [resolve(model, scope, region, "123456789012") for model in models]
        statements = allow_statements(profiles, invoke_actions(streaming))
        statements += residency_deny_statements(scope, partition_of(region), invoke_actions(streaming))
        size = policy_size(statements)
        if size > MANAGED_POLICY_LIMIT:
            raise ConfigError(
                f"models: {len(models)} models under '{scope}' from {region} need a {size}-character policy; "
                f"allowed: at most {MANAGED_POLICY_LIMIT} characters per managed policy, so allow fewer models"
            )


def deprecation_warnings(config: AppConfig) -> list[str]:
    """One line per allowed model that is legacy or has an announced retirement date."""
    lines = []
    for model in config.models:
        if model.lifecycle == "legacy" or model.retires_on:
            when = f"; retires on {model.retires_on.isoformat()}" if model.retires_on else ""
            lines.append(
                f"models: {model.alias} ({model.model_id}) is {model.lifecycle}{when}; plan a move to a current model"
            )
    return lines
