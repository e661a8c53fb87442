"""Lambda entry point of the Claude invoker: other services call it with lambda.invoke to call Claude on Bedrock.

The event is an Anthropic Messages API request (plus optional `model` and `anthropic_beta`); the result is the
Messages response exactly as Bedrock returned it, or `{"type": "error", "error": {"type", "message"}}` (see
`claude_invoker.errors` for the mapping). The handler never raises for a caller mistake or a Bedrock failure.

Asynchronous invocations: the handler returns the error value too (it cannot tell how it was invoked). The
infrastructure delivers every returned answer, message or error object, to an on-success destination queue,
and the events of failed invocations (init failures, timeouts, crashes) to the dead-letter queue.

Environment contract (read and validated once, at init; a bad value fails init with a message naming the variable):

- `CLAUDE_MODELS` (required): JSON object, alias -> {name, model_id, profile_id, long_context (beta, native or none),
  context_window}; every profile_id must be `<CLAUDE_ENDPOINT_SCOPE>.<model_id>`; unknown keys are ignored.
- `CLAUDE_DEFAULT_MODEL` (required): the alias used when the event has no `model`.
- `CLAUDE_ENDPOINT_SCOPE` (required): global, us, eu, jp, apac or au.
- `BEDROCK_READ_TIMEOUT_SECONDS` (1-900): read timeout per attempt, lowered per call to fit the time left; the
  construct sets the function timeout minus 20 s (280 with the default 300 s timeout); 270 when unset.
- `BEDROCK_CONNECT_TIMEOUT_SECONDS` (5, 1-60) and `BEDROCK_MAX_ATTEMPTS` (3, 1-10; botocore "standard" retries).
- `CLAUDE_GUARDRAIL_ARN` and `CLAUDE_GUARDRAIL_VERSION` (unset): a guardrail version applied to every call (both or
  neither; the construct sets them with `invoker_guardrail`).
- `INVOKER_LOG_PROMPTS` (false): true also logs prompts and completions; otherwise they are never logged.
- Powertools: `POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_METRICS_NAMESPACE`, `POWERTOOLS_TRACE_DISABLED` (when true,
  Tracer is not created and the X-Ray SDK is not imported).
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
from claude_invoker.service import CallContext, Outcome, process

SETTINGS = load_settings(os.environ)
logger = Logger()
metrics = Metrics()
CLIENTS = ClientPool(SETTINGS)
CLIENTS.client(float(SETTINGS.read_timeout_seconds))  # the usual client, created during init

_TRACING = os.environ.get("POWERTOOLS_TRACE_DISABLED", "").strip().lower() not in ("1", "true", "yes", "on")
if _TRACING:  # constructing Tracer imports the X-Ray SDK (~0.3 s); skip it when tracing is off
    from aws_lambda_powertools.tracing import Tracer

    tracer: Any = Tracer(patch_modules=("botocore",))
else:
    tracer = None

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
    if outcome.latency_ms is not None:
        fields["latency_ms"] = outcome.latency_ms
        fields["retries"] = outcome.retries

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
        fields["stop_reason"] = outcome.response.get("stop_reason")
        fields["message_id"] = outcome.response.get("id")
        logger.info("Claude invocation succeeded", extra=fields)
        if SETTINGS.log_prompts:
            logger.info("Completion", extra={"completion": outcome.response.get("content")})
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
    outcome = process(event, SETTINGS, CLIENTS, call)
    try:
        _record(outcome, context)
    except Exception:  # logging or metrics must never turn an answer into a failure
        logger.exception("Recording the invocation failed")
    return outcome.response


if tracer is not None:
    # Never send the completion or the error to X-Ray.
    _handle = tracer.capture_lambda_handler(_handle, capture_response=False, capture_error=False)


@logger.inject_lambda_context(log_event=False, clear_state=True)  # never log the event (the prompt)
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _handle(event, context)
