"""Configuration section `invoker_*`: the Lambda function service teams invoke to call Claude."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.config.models import ModelsConfig, pick_model
from core.config.values import as_bool, as_int, as_optional_int, as_principals
from core.models import ClaudeModel

DEFAULTS: dict[str, Any] = {
    "invoker_default_model": "claude-sonnet-4-6",
    "invoker_callers": [],
    "invoker_memory_mb": 512,
    "invoker_timeout_seconds": 300,
    "invoker_reserved_concurrency": None,
    "invoker_log_prompts": False,
    "invoker_vpc": False,
    "invoker_powertools_layer_version": 38,
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
    powertools_layer_version: int


def parse_invoker(raw: Mapping[str, Any], models: ModelsConfig) -> InvokerConfig:
    return InvokerConfig(
        default_model=pick_model(models, "invoker_default_model", raw["invoker_default_model"]),
        callers=as_principals("invoker_callers", raw["invoker_callers"]),
        memory_mb=as_int("invoker_memory_mb", raw["invoker_memory_mb"], 128, 10240),
        timeout_seconds=as_int("invoker_timeout_seconds", raw["invoker_timeout_seconds"], 30, 900),
        reserved_concurrency=as_optional_int(
            "invoker_reserved_concurrency", raw["invoker_reserved_concurrency"], 1, 10000
        ),
        log_prompts=as_bool("invoker_log_prompts", raw["invoker_log_prompts"]),
        vpc=as_bool("invoker_vpc", raw["invoker_vpc"]),
        powertools_layer_version=as_int(
            "invoker_powertools_layer_version", raw["invoker_powertools_layer_version"], 1, 10000
        ),
    )
