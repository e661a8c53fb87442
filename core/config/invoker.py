"""Configuration section `invoker_*`: the Lambda function service teams invoke to call Claude."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.catalog.models import ClaudeModel
from core.config.models import ModelsConfig, pick_model
from core.config.values import as_bool, as_choice, as_int, as_optional_int, as_principals

# Bedrock InvokeModel's `serviceTier` and `performanceConfigLatency` (botocore 1.44.8 bedrock-runtime model).
SERVICE_TIERS = ("priority", "default", "flex", "reserved")
LATENCIES = ("standard", "optimized")
# Lambda's largest function timeout for which CDK synthesizes a function (15 minutes).
MAX_TIMEOUT_SECONDS = 900
# SQS keeps a message at most 14 days; the results bucket expires answers after the same number of days.
MAX_RESULTS_RETENTION_DAYS = 14

DEFAULTS: dict[str, Any] = {
    "invoker_default_model": "claude-haiku-5-5",
    "invoker_callers": [],
    "invoker_memory_mb": 512,
    # A timeout costs nothing unless a call uses it (Lambda bills the duration); see docs/platform/configuration.md.
    "invoker_timeout_seconds": MAX_TIMEOUT_SECONDS,
    "invoker_reserved_concurrency": None,
    "invoker_log_prompts": False,
    "invoker_vpc": False,
    "invoker_service_tier": None,
    "invoker_latency": None,
    "invoker_results_retention_days": MAX_RESULTS_RETENTION_DAYS,
    "invoker_function_url": False,
}


@dataclass(frozen=True)
class InvokerConfig:
    """The invoker stack of every Region."""

    default_model: ClaudeModel
    callers: tuple[str, ...]
    memory_mb: int
    timeout_seconds: int
    reserved_concurrency: int | None
    log_prompts: bool
    vpc: bool
    # Bedrock's service tier and latency mode for requests that name none; None: Bedrock's own default.
    service_tier: str | None
    latency: str | None
    results_retention_days: int
    # A function URL with AWS_IAM auth: callers authenticated by IAM, their principal recorded with every call.
    function_url: bool = False


def _optional_choice(key: str, value: Any, choices: tuple[str, ...]) -> str | None:
    return None if value in (None, "") else as_choice(key, value, choices)


def parse_invoker(raw: Mapping[str, Any], models: ModelsConfig) -> InvokerConfig:
    return InvokerConfig(
        default_model=pick_model(models, "invoker_default_model", raw["invoker_default_model"]),
        callers=as_principals("invoker_callers", raw["invoker_callers"]),
        memory_mb=as_int("invoker_memory_mb", raw["invoker_memory_mb"], 128, 10240),
        timeout_seconds=as_int("invoker_timeout_seconds", raw["invoker_timeout_seconds"], 30, MAX_TIMEOUT_SECONDS),
        reserved_concurrency=as_optional_int(
            "invoker_reserved_concurrency", raw["invoker_reserved_concurrency"], 1, 10000
        ),
        log_prompts=as_bool("invoker_log_prompts", raw["invoker_log_prompts"]),
        vpc=as_bool("invoker_vpc", raw["invoker_vpc"]),
        service_tier=_optional_choice("invoker_service_tier", raw["invoker_service_tier"], SERVICE_TIERS),
        latency=_optional_choice("invoker_latency", raw["invoker_latency"], LATENCIES),
        results_retention_days=as_int(
            "invoker_results_retention_days", raw["invoker_results_retention_days"], 1, MAX_RESULTS_RETENTION_DAYS
        ),
        function_url=as_bool("invoker_function_url", raw["invoker_function_url"]),
    )
