"""The invoker function's environment: the contract between the construct and `lambda/invoker/handler.py`.

The function validates these variables at init (`claude_invoker.config`); the tests check that what the
construct writes is accepted there.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from core.catalog.lookup import ResolvedProfile
from core.catalog.models import ClaudeModel
from core.config.invoker import InvokerConfig
from core.guardrails.guardrail import AppliedGuardrail
from core.invoker.teams import ServedTeam, teams_variable

# Time kept back from the function timeout so a Bedrock read never outlives the invocation.
READ_TIMEOUT_MARGIN_SECONDS = 20
CONNECT_TIMEOUT_SECONDS = 5
MAX_ATTEMPTS = 3
# The namespace of the function's metrics and the value of their `service` dimension (the usage dashboard reads them).
SERVICE_NAME = "claude-invoker"
METRICS_NAMESPACE = "ClaudeOnBedrock"
# The alias asynchronous callers invoke: its on-success destination is the results queue, and the function,
# seeing this qualifier in its invoked ARN, keeps answers too large for the queue in the results bucket.
ASYNC_ALIAS = "async"
# The key prefix of the answers the function keeps in the results bucket; the bucket's grants are scoped to it.
RESULTS_PREFIX = "results/"
# The alias behind the function URL (`invoker_function_url`): invoked only through the URL (IAM allows nothing
# else), so the function, seeing this qualifier, reads the HTTP request and the caller's authenticated principal.
URL_ALIAS = "url"


def model_facts(model: ClaudeModel, profile_id: str) -> dict[str, object]:
    """One `CLAUDE_MODELS` entry: the catalog's facts the function resolves names and refuses requests with."""
    return {
        "name": model.name,
        "model_id": model.model_id,
        "profile_id": profile_id,
        "context_window": model.context_window,
        "api_names": list(model.api_names),
        "max_output_tokens": model.max_output_tokens,
        "thinking_modes": None if model.thinking_modes is None else sorted(model.thinking_modes),
        "sampling": model.sampling,
        "count_tokens": model.count_tokens,
        "thinking_off": model.thinking_off,
        "api_versions": list(model.api_versions),
    }


def function_environment(
    invoker: InvokerConfig,
    endpoint_scope: str,
    profiles: Sequence[ResolvedProfile],
    results_bucket: str | None = None,
    guardrail: AppliedGuardrail | None = None,
    teams: Sequence[ServedTeam] = (),
) -> dict[str, str]:
    """The variables the function reads, from the catalog and the invoker section; with `invoker_guardrail`, the
    guardrail version it applies to every call (`CLAUDE_GUARDRAIL_ARN`, `CLAUDE_GUARDRAIL_VERSION`); with teams
    served through the function URL, who belongs to each and its application profiles (`INVOKER_TEAMS`)."""
    models = {p.model.alias: model_facts(p.model, p.profile_id) for p in profiles}
    environment = {
        "CLAUDE_MODELS": json.dumps(models, separators=(",", ":")),
        "CLAUDE_DEFAULT_MODEL": invoker.default_model.alias,
        "CLAUDE_ENDPOINT_SCOPE": endpoint_scope,
        "INVOKER_TIMEOUT_SECONDS": str(invoker.timeout_seconds),
        "BEDROCK_READ_TIMEOUT_SECONDS": str(invoker.timeout_seconds - READ_TIMEOUT_MARGIN_SECONDS),
        "BEDROCK_CONNECT_TIMEOUT_SECONDS": str(CONNECT_TIMEOUT_SECONDS),
        "BEDROCK_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
        "INVOKER_LOG_PROMPTS": str(invoker.log_prompts).lower(),
        "INVOKER_ASYNC_ALIAS": ASYNC_ALIAS,
        "INVOKER_RESULTS_RETENTION_DAYS": str(invoker.results_retention_days),
        "INVOKER_METRICS_NAMESPACE": METRICS_NAMESPACE,
        "INVOKER_SERVICE_NAME": SERVICE_NAME,
    }
    if invoker.service_tier:
        environment["BEDROCK_SERVICE_TIER"] = invoker.service_tier
    if invoker.latency:
        environment["BEDROCK_PERFORMANCE_LATENCY"] = invoker.latency
    if results_bucket:
        environment["INVOKER_RESULTS_BUCKET"] = results_bucket
    if invoker.function_url:
        environment["INVOKER_URL_ALIAS"] = URL_ALIAS
    if any(team.models for team in teams):
        environment["INVOKER_TEAMS"] = teams_variable(teams)
    if guardrail is not None:
        environment["CLAUDE_GUARDRAIL_ARN"] = guardrail.arn
        environment["CLAUDE_GUARDRAIL_VERSION"] = guardrail.version
    return environment
