"""The example error lines of docs/platform/configuration.md, generated from the real messages: each example
configuration is loaded (and planned) as app.py loads it, and the line it would print is written into the page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.config import ConfigError, load_config
from core.config.values import ERROR_PREFIX
from core.deployment import plan_deployment

# Each a mistake a user makes, as it would be written in cdk.json, an environment file or -c.
VALUE_EXAMPLES: tuple[Mapping[str, Any], ...] = (
    {"log_retention_days": 7},
    {"log_retention": 90},
    {"invoker_principals": ["111122223333"]},
    {"invoker_powertools_layer_version": 38},
    {"teams": [{"name": "payments", "principal": ["111122223333"], "models": ["claude-haiku-4-5"]}]},
    {"guardrails": [{"name": "strict", "content_filters": {"HATE": "HIGH"}, "pii": {"EMAIL": "HIDE"}}]},
)


def _too_many_models() -> Mapping[str, Any]:
    """150 extra models under the eu scope: valid values whose statements need more policies than IAM attaches."""
    extra = [
        {
            "alias": f"extra-{n}",
            "model_id": f"anthropic.claude-extra-{n:02d}-with-a-long-name-v1:0",
            "profiles": {"eu": {"eu-central-2": ["eu-central-1", "eu-central-2", "eu-west-1"]}},
        }
        for n in range(150)
    ]
    models = [str(model["alias"]) for model in extra]
    return {
        "endpoint_scope": "eu",
        "regions": ["eu-central-2"],
        "extra_models": extra,
        "models": models,
        "invoker_default_model": models[0],
    }


def error_line(context: Mapping[str, Any], *, plan: bool = False) -> str:
    """The one line app.py prints for `context`: the configuration's refusal, or with `plan` the plan's."""
    try:
        config = load_config(context)
        if plan:
            plan_deployment(config, "111122223333")
    except ConfigError as error:
        return f"{ERROR_PREFIX}{error}"
    raise AssertionError(f"{dict(context)} was accepted; an example must show a refusal")


def value_errors() -> str:
    return "```\n" + "\n".join(error_line(example) for example in VALUE_EXAMPLES) + "\n```"


def plan_errors() -> str:
    return "```\n" + error_line(_too_many_models(), plan=True) + "\n```"
