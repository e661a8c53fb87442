"""Lambda entry point of the Claude invoker: other services call it with lambda.invoke to call Claude on Bedrock.

The event is an Anthropic Messages API request (plus the control fields `model`, `anthropic_beta`,
`bedrock_service_tier`, `bedrock_latency` and `invoker_operation`); the result is the Messages response exactly as
Bedrock returned it, `{"input_tokens": N}` for a token count, or Anthropic's error response
`{"type": "error", "error": {"type", "message"}, "request_id"}` (see `claude_invoker.errors` for the mapping). The
handler never raises for a caller mistake or a Bedrock failure.

Asynchronous invocations: the function cannot see its invocation type, so asynchronous callers invoke the alias
`INVOKER_ASYNC_ALIAS`, whose on-success destination is the results queue; seeing that qualifier, the function
keeps an answer too large for the queue in the results bucket and returns a pointer (`claude_invoker.results`).
Events of failed invocations (init failures, timeouts, crashes) go to the dead-letter queue.

Tracing: Lambda's active tracing records the invocation's segment without any SDK in the function; the function
imports no X-Ray SDK (it is in maintenance mode since 2026-02-25).

Environment contract (read and validated once, at init; a bad value fails init with a message naming the variable):

- `CLAUDE_MODELS` (required): JSON object, alias -> {name, model_id, profile_id, long_context (beta, native or none),
  context_window, api_names, max_output_tokens, thinking_modes, temperature_or_top_p, count_tokens}; every
  profile_id must be `<CLAUDE_ENDPOINT_SCOPE>.<model_id>`; a fact left out refuses nothing; unknown keys are ignored.
- `CLAUDE_DEFAULT_MODEL` (required): the alias used when the event has no `model`.
- `CLAUDE_ENDPOINT_SCOPE` (required): global, us, eu, jp, apac or au.
- `BEDROCK_READ_TIMEOUT_SECONDS` (1-900): read timeout per attempt, lowered per call to fit the time left; the
  construct sets the function timeout minus 20 s; 270 when unset. It is also the time budget `max_tokens` must fit.
- `INVOKER_TIMEOUT_SECONDS` (1-900, optional): the function's timeout, named in refusals.
- `BEDROCK_CONNECT_TIMEOUT_SECONDS` (5, 1-60) and `BEDROCK_MAX_ATTEMPTS` (3, 1-10; botocore "standard" retries).
- `BEDROCK_SERVICE_TIER` (priority, default, flex, reserved) and `BEDROCK_PERFORMANCE_LATENCY` (standard,
  optimized), optional: Bedrock's request options when the event names none; unset, Bedrock's defaults apply.
- `INVOKER_ASYNC_ALIAS`, `INVOKER_RESULTS_BUCKET`, `INVOKER_RESULTS_RETENTION_DAYS` (optional): the asynchronous
  alias, the bucket for answers too large for the results queue, and how long it keeps them.
- `CLAUDE_GUARDRAIL_ARN` and `CLAUDE_GUARDRAIL_VERSION` (unset): a guardrail version applied to every call (both or
  neither; the construct sets them with `invoker_guardrail`).
- `INVOKER_LOG_PROMPTS` (false): true also logs prompts and completions; otherwise they are never logged.
- Powertools: `POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_METRICS_NAMESPACE`, `POWERTOOLS_LOG_LEVEL`.
- Standard AWS SDK configuration (`AWS_REGION`, `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`, ...); no endpoint is hard-coded.
"""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools.logging import Logger
from aws_lambda_powertools.metrics import Metrics, MetricUnit, single_metric
from claude_invoker.bedrock import ClientPool
from claude_invoker.config import load_settings
from claude_invoker.errors import INVALID_REQUEST, RATE_LIMIT
from claude_invoker.results import ResultStore
from claude_invoker.service import CallContext, Outcome, process

SETTINGS = load_settings(os.environ)
logger = Logger()
metrics = Metrics()
CLIENTS = ClientPool(SETTINGS)
CLIENTS.client(float(SETTINGS.read_timeout_seconds))  # the usual client, created during init
# The S3 client is made only when an asynchronous answer has to be stored (never at init).
RESULTS = ResultStore(SETTINGS.results_bucket, SETTINGS.results_retention_days) if SETTINGS.results_bucket else None

_NO_MODEL = "none"  # Model dimension value when the request never resolved a model (keeps dimensions bounded)


def _caller(context: Any) -> dict[str, Any]:
    """What the context says about the caller. For lambda.invoke the IAM principal is not available."""
    info: dict[str, Any] = {}
    client_context = getattr(context, "client_context", None)
    app = getattr(getattr(client_context, "client", None), "app_title", None)
    if app:
        info["caller_app"] = str(app)[:128]  # caller-supplied ClientContext: informative, not authenticated
    identity_id = getattr(getattr(context, "identity", None), "cognito_identity_id", None)
    if identity_id:
        info["cognito_identity_id"] = identity_id
    return info


def _record(outcome: Outcome, context: Any) -> None:
    alias = outcome.model.alias if outcome.model else _NO_MODEL
    fields: dict[str, Any] = {"model_alias": alias, "scope": SETTINGS.scope, **_caller(context)}
    if outcome.model:
        fields["profile_id"] = outcome.model.profile_id
    if outcome.request and outcome.request.user_id:
        fields["caller_user_id"] = outcome.request.user_id[:256]  # asserted by the caller (metadata.user_id)
    if outcome.request:
        fields["operation"] = outcome.request.operation
    if outcome.latency_ms is not None:
        fields["latency_ms"] = outcome.latency_ms
        fields["retries"] = outcome.retries
    if outcome.bedrock_request_id:
        fields["bedrock_request_id"] = outcome.bedrock_request_id
    if outcome.served_tier:
        fields["service_tier"] = outcome.served_tier
    if outcome.served_latency:
        fields["performance_latency"] = outcome.served_latency
    if outcome.stored:
        fields["stored_result"] = {k: outcome.stored[k] for k in ("s3_uri", "size_bytes")}

    metrics.add_dimension(name="Model", value=alias)
    metrics.add_dimension(name="Scope", value=SETTINGS.scope)
    metrics.add_metric(name="Invocations", unit=MetricUnit.Count, value=1)
    if outcome.latency_ms is not None:
        metrics.add_metric(name="Latency", unit=MetricUnit.Milliseconds, value=outcome.latency_ms)

    if SETTINGS.log_prompts and outcome.request:
        prompt = {k: outcome.request.body[k] for k in ("system", "messages", "tools") if k in outcome.request.body}
        logger.info("Prompt", extra={"prompt": prompt})

    if outcome.ok:
        usage = outcome.usage
        for name, key in (("InputTokens", "input_tokens"), ("OutputTokens", "output_tokens")):
            value = usage.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
                fields[key] = value
        answer = outcome.response if outcome.stored is None else {}
        fields["stop_reason"] = answer.get("stop_reason")
        fields["message_id"] = answer.get("id")
        if "input_tokens" in answer and outcome.request and outcome.request.operation == "count_tokens":
            fields["counted_input_tokens"] = answer["input_tokens"]
        logger.info("Claude invocation succeeded", extra=fields)
        if SETTINGS.log_prompts and answer.get("content") is not None:
            logger.info("Completion", extra={"completion": answer.get("content")})
        return

    error_type = outcome.error_type or "api_error"
    with single_metric(
        name="Errors",
        unit=MetricUnit.Count,
        value=1,
        default_dimensions={"Model": alias, "Scope": SETTINGS.scope},
    ) as metric:
        metric.add_dimension(name="ErrorType", value=error_type)
    fields["error_type"] = error_type
    fields["error_message"] = outcome.response["error"]["message"]
    if outcome.bedrock_code:
        fields["bedrock_error_code"] = outcome.bedrock_code
    log = logger.warning if error_type in (INVALID_REQUEST, RATE_LIMIT) else logger.error
    log("Claude invocation failed", extra=fields)


def _handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    call = CallContext(
        remaining_ms=getattr(context, "get_remaining_time_in_millis", None),
        function_arn=getattr(context, "invoked_function_arn", None),
        request_id=getattr(context, "aws_request_id", None),
    )
    outcome = process(event, SETTINGS, CLIENTS, call, RESULTS)
    try:
        _record(outcome, context)
    except Exception:  # logging or metrics must never turn an answer into a failure
        logger.exception("Recording the invocation failed")
    return outcome.response


@logger.inject_lambda_context(log_event=False, clear_state=True)  # never log the event (the prompt)
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _handle(event, context)
