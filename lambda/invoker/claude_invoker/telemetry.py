"""The invocation's log line and metrics, with nothing but the standard library and what Lambda provides.

Logs: the standard `logging` module. With the function's log format JSON (`LoggingConfig.LogFormat`), the Python
runtime's root handler renders every record as one JSON object: `timestamp`, `level`, `message`, `logger`,
`requestId` (the invocation's, set by the runtime), `errorType`/`errorMessage`/`stackTrace` for an exception, and
each `extra=` key as a top-level key (aws/aws-lambda-python-runtime-interface-client,
awslambdaric/lambda_runtime_log_utils.py `JsonFormatter`, bootstrap.py `_setup_logging`). The level is the function's
`ApplicationLogLevel`: Lambda passes it as `AWS_LAMBDA_LOG_LEVEL`, which the runtime applies to the root logger and
this module to its own; Lambda also drops records below it (Lambda developer guide, "Log-level filtering").

Metrics: CloudWatch embedded metric format (CloudWatch user guide, "Specification: Embedded metric format"): one JSON
document per invocation, written to stdout as one line. "On Lambda, you do not need to set [the EMF] header
yourself. Writing JSON to standard out in the embedded metric format is sufficient" (same page). stdout bypasses the
runtime's formatter; with the JSON log format Lambda takes a JSON object on stdout as it is and, having no `level`
key, at level INFO ("Log-level filtering"): an `ApplicationLogLevel` above INFO would drop the metrics, so the
construct pins INFO. Not confirmed by an AWS page naming Python, JSON logs and EMF together: the JSON log format
changes how the runtime formats `logging` records, not what reaches stdout.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from claude_invoker.callers import AUTHENTICATED, NO_CALLER, UNAUTHENTICATED
from claude_invoker.config import Settings
from claude_invoker.errors import INVALID_REQUEST, RATE_LIMIT, echo
from claude_invoker.mirrored import (
    INVOKER_CALLER_DIMENSIONS,
    INVOKER_DIMENSIONS,
    INVOKER_ERROR_DIMENSIONS,
    INVOKER_SUCCESS_MESSAGE,
)
from claude_invoker.service import INTERVENED, Outcome

if TYPE_CHECKING:
    from claude_invoker.protocols import LambdaContext

NO_MODEL = "none"  # Model dimension value when the request never resolved a model (keeps dimensions bounded)
FAILURE_MESSAGE = "Claude invocation failed"
# A CloudWatch dimension value holds at most 1024 characters ("Dimension": "Value ... Maximum length of 1024").
CALLER_DIMENSION_MAX = 1024
# Metric name -> the key of Anthropic's `usage` it counts (also the log field's name). Prompt-cache writes and reads
# are billed apart from other input tokens, so they are counted apart.
TOKEN_METRICS = (
    ("InputTokens", "input_tokens"),
    ("OutputTokens", "output_tokens"),
    ("CacheWriteInputTokens", "cache_creation_input_tokens"),
    ("CacheReadInputTokens", "cache_read_input_tokens"),
)
_LEVELS = {"TRACE": logging.DEBUG, "DEBUG": logging.DEBUG, "INFO": logging.INFO, "WARN": logging.WARNING}
_LEVELS.update({"WARNING": logging.WARNING, "ERROR": logging.ERROR, "FATAL": logging.CRITICAL})


def metrics_document(
    settings: Settings,
    model: str,
    values: Mapping[str, tuple[str, float]],
    error_type: str | None,
    now_ms: int,
    caller: str = NO_CALLER,
) -> dict[str, Any]:
    """One EMF document: `values` (name -> (unit, value)) by Model, Scope and service, and by Caller and service;
    with `error_type`, also `Errors` = 1 by Model, Scope, ErrorType and service (a second directive over the same
    root members)."""
    directives: list[dict[str, Any]] = [
        {
            "Namespace": settings.metrics_namespace,
            "Dimensions": [list(INVOKER_DIMENSIONS), list(INVOKER_CALLER_DIMENSIONS)],
            "Metrics": [{"Name": name, "Unit": unit} for name, (unit, _) in values.items()],
        }
    ]
    document: dict[str, Any] = {
        "Model": model,
        "Scope": settings.endpoint_scope,
        "service": settings.service_name,
        "Caller": caller[:CALLER_DIMENSION_MAX],
    }
    document.update((name, value) for name, (_, value) in values.items())
    if error_type is not None:
        directives.append(
            {
                "Namespace": settings.metrics_namespace,
                "Dimensions": [list(INVOKER_ERROR_DIMENSIONS)],
                "Metrics": [{"Name": "Errors", "Unit": "Count"}],
            }
        )
        document.update(ErrorType=error_type, Errors=1)
    return {"_aws": {"Timestamp": now_ms, "CloudWatchMetrics": directives}, **document}


def _caller(context: LambdaContext) -> dict[str, Any]:
    """What the context says about the caller. For lambda.invoke the IAM principal is not available."""
    info: dict[str, Any] = {}
    client = context.client_context.client if context.client_context is not None else None
    app = client.app_title if client is not None else None
    if app:
        info["caller_app"] = str(app)[:128]  # caller-supplied ClientContext: informative, not authenticated
    identity_id = context.identity.cognito_identity_id if context.identity is not None else None
    if identity_id:
        info["cognito_identity_id"] = identity_id
    return info


class Telemetry:
    """Writes each invocation's log line and metrics; `record` never raises."""

    def __init__(self, settings: Settings, env: Mapping[str, str]) -> None:
        self.settings = settings
        self.logger = logging.getLogger("claude_invoker")
        # The runtime's mapping of AWS_LAMBDA_LOG_LEVEL (TRACE is DEBUG); unset (never, with the JSON format): INFO.
        self.logger.setLevel(_LEVELS.get(env.get("AWS_LAMBDA_LOG_LEVEL", "").strip().upper(), logging.INFO))

    def record(self, outcome: Outcome, context: LambdaContext) -> None:
        try:
            self._record(outcome, context)
        except Exception:  # logging or metrics must never turn an answer into a failure
            self.logger.exception("Recording the invocation failed")

    def _record(self, outcome: Outcome, context: LambdaContext) -> None:
        settings, log = self.settings, self.logger
        alias = outcome.model.alias if outcome.model else NO_MODEL
        fields = self._fields(outcome, alias, context)
        values: dict[str, tuple[str, float]] = {"Invocations": ("Count", 1)}
        if outcome.latency_ms is not None:
            values["Latency"] = ("Milliseconds", outcome.latency_ms)
        request = outcome.request
        if settings.log_prompts and request:
            prompt = {k: request.body[k] for k in ("system", "messages", "tools") if k in request.body}
            log.info("Prompt", extra={"prompt": prompt})

        error_type = None
        if outcome.ok:
            for name, key in TOKEN_METRICS:
                value = outcome.usage.get(key)
                if isinstance(value, int) and not isinstance(value, bool):
                    values[name] = ("Count", value)
                    fields[key] = value
            if outcome.guardrail_action is not None:
                fields["guardrail_action"] = outcome.guardrail_action[:32]
                values["GuardrailInterventions"] = ("Count", int(outcome.guardrail_action == INTERVENED))
            answer = outcome.response if outcome.stored is None else {}
            fields["stop_reason"] = answer.get("stop_reason")
            fields["message_id"] = answer.get("id")
            if "input_tokens" in answer and request and request.operation == "count_tokens":
                fields["counted_input_tokens"] = answer["input_tokens"]
            log.info(INVOKER_SUCCESS_MESSAGE, extra=fields)
            if settings.log_prompts and answer.get("content") is not None:
                log.info("Completion", extra={"completion": answer.get("content")})
        else:
            error_type = outcome.error_type or "api_error"
            fields["error_type"] = error_type
            fields["error_message"] = outcome.response["error"]["message"]
            if outcome.bedrock_code:
                fields["bedrock_error_code"] = outcome.bedrock_code
            if outcome.error_code:
                fields["error_code"] = outcome.error_code
            level = logging.WARNING if error_type in (INVALID_REQUEST, RATE_LIMIT) else logging.ERROR
            log.log(level, FAILURE_MESSAGE, extra=fields)
        caller = outcome.caller.identity if outcome.caller else NO_CALLER
        document = metrics_document(settings, alias, values, error_type, int(time.time() * 1000), caller)
        sys.stdout.write(json.dumps(document, separators=(",", ":")) + "\n")  # one write: one line, one event

    def _fields(self, outcome: Outcome, alias: str, context: LambdaContext) -> dict[str, Any]:
        fields: dict[str, Any] = {"model_alias": alias, "scope": self.settings.endpoint_scope, **_caller(context)}
        caller = outcome.caller
        fields["attribution"] = AUTHENTICATED if caller else UNAUTHENTICATED
        if caller:
            fields["caller_arn"] = caller.arn
            fields["caller_account"] = caller.account
            if caller.org_id:
                fields["caller_org_id"] = caller.org_id
        fields["function_arn"] = context.invoked_function_arn  # qualified by the alias for asynchronous calls
        trace_header = os.environ.get("_X_AMZN_TRACE_ID", "")  # set by Lambda per invocation with active tracing
        if trace_header.startswith("Root="):
            fields["xray_trace_id"] = trace_header.split(";", 1)[0][5:]
        if outcome.model:
            fields["profile_id"] = outcome.target or outcome.model.profile_id
        if outcome.team:
            fields["team"] = outcome.team
        request = outcome.request
        if request and request.user_id:
            fields["caller_user_id"] = echo(request.user_id, 256)  # asserted by the caller (metadata.user_id)
        if request:
            fields["operation"] = request.operation
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
        return fields
