"""The invoker function's environment: the contract between the construct and `lambda/invoker/handler.py`.

The function validates these variables at init (`claude_invoker.config`); the tests check that what the
construct writes is accepted there.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from core.catalog import ResolvedProfile
from core.config.invoker import InvokerConfig
from core.guardrails import AppliedGuardrail

# Time kept back from the function timeout so a Bedrock read never outlives the invocation.
READ_TIMEOUT_MARGIN_SECONDS = 20
CONNECT_TIMEOUT_SECONDS = 5
MAX_ATTEMPTS = 3
SERVICE_NAME = "claude-invoker"
METRICS_NAMESPACE = "ClaudeOnBedrock"


def function_environment(
    invoker: InvokerConfig,
    scope: str,
    profiles: Sequence[ResolvedProfile],
    guardrail: AppliedGuardrail | None = None,
) -> dict[str, str]:
    """The variables the function reads, from the catalog and the invoker section; with `invoker_guardrail`, the
    guardrail version it applies to every call (`CLAUDE_GUARDRAIL_ARN`, `CLAUDE_GUARDRAIL_VERSION`)."""
    models = {
        p.model.alias: {
            "name": p.model.name,
            "model_id": p.model.model_id,
            "profile_id": p.profile_id,
            "long_context": p.model.long_context,
            "context_window": p.model.context_window,
        }
        for p in profiles
    }
    applied = {}
    if guardrail is not None:
        applied = {"CLAUDE_GUARDRAIL_ARN": guardrail.arn, "CLAUDE_GUARDRAIL_VERSION": guardrail.version}
    return {
        "CLAUDE_MODELS": json.dumps(models, separators=(",", ":")),
        "CLAUDE_DEFAULT_MODEL": invoker.default_model.alias,
        "CLAUDE_ENDPOINT_SCOPE": scope,
        "BEDROCK_READ_TIMEOUT_SECONDS": str(invoker.timeout_seconds - READ_TIMEOUT_MARGIN_SECONDS),
        "BEDROCK_CONNECT_TIMEOUT_SECONDS": str(CONNECT_TIMEOUT_SECONDS),
        "BEDROCK_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
        "INVOKER_LOG_PROMPTS": str(invoker.log_prompts).lower(),
        "POWERTOOLS_SERVICE_NAME": SERVICE_NAME,
        "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
        "POWERTOOLS_LOG_LEVEL": "INFO",
        **applied,
    }
