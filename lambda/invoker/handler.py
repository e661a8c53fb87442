"""Lambda entry point of the Claude invoker: other services call it with lambda.invoke to call Claude on Bedrock.

The event is an Anthropic Messages API request (plus the control fields `model`, `anthropic_beta`,
`bedrock_service_tier`, `bedrock_latency` and `invoker_operation`); the result is the Messages response exactly as
Bedrock returned it, `{"input_tokens": N}` for a token count, or Anthropic's error response
`{"type": "error", "error": {"type", "message"}, "request_id"}` (see `claude_invoker.errors` for the mapping). The
handler never raises for a caller mistake or a Bedrock failure.

The function URL (`invoker_function_url`): invoked through the alias `INVOKER_URL_ALIAS`, which only the URL may
invoke, the event is an HTTP request whose body is the Messages request; the caller's principal, authenticated by
Lambda (AuthType AWS_IAM), is recorded in Bedrock's request metadata, the log line and the metrics, and the answer
is an HTTP response (`claude_invoker.function_url`). Plain invocations carry no principal the function can see: they
are recorded as unauthenticated (`claude_invoker.callers`).

Asynchronous invocations: the function cannot see its invocation type, so asynchronous callers invoke the alias
`INVOKER_ASYNC_ALIAS`, whose on-success destination is the results queue; seeing that qualifier, the function
keeps an answer too large for the queue in the results bucket and returns a pointer (`claude_invoker.results`).
Events of failed invocations (init failures, timeouts, crashes) go to the dead-letter queue.

Tracing: Lambda's active tracing records the invocation's segment without any SDK in the function; the function
imports no X-Ray SDK (it is in maintenance mode since 2026-02-25). Logs and metrics need no library either: the
standard `logging` module, rendered as JSON by Lambda's Python runtime, and EMF lines on stdout
(`claude_invoker.telemetry`). Only the standard library and botocore (from the runtime) are imported.

Environment contract (read and validated once, at init; a bad value fails init with a message naming the variable;
the allowed values named in capitals, such as `SCOPES`, are those of `claude_invoker.mirrored`, generated from core/):

- `CLAUDE_MODELS` (required): JSON object, alias -> {name, model_id, profile_id, context_window, api_names,
  max_output_tokens, thinking_modes (of `THINKING_MODES`), sampling (one of `SAMPLING`), count_tokens}; every
  profile_id must be `<CLAUDE_ENDPOINT_SCOPE>.<model_id>`; a fact left out refuses nothing; unknown keys are ignored.
- `CLAUDE_DEFAULT_MODEL` (required): the alias used when the event has no `model`.
- `CLAUDE_ENDPOINT_SCOPE` (required): one of `SCOPES` (the global profile or a geography).
- `BEDROCK_READ_TIMEOUT_SECONDS` (1-`MAX_TIMEOUT_SECONDS`): read timeout per attempt, lowered per call to fit the
  time left; the construct sets the function timeout minus 20 s; 270 when unset. It is also the time budget
  `max_tokens` must fit.
- `INVOKER_TIMEOUT_SECONDS` (1-`MAX_TIMEOUT_SECONDS`, optional): the function's timeout, named in refusals.
- `BEDROCK_CONNECT_TIMEOUT_SECONDS` (`CONNECT_TIMEOUT_SECONDS`, 1-60) and `BEDROCK_MAX_ATTEMPTS` (`MAX_ATTEMPTS`,
  1-10; botocore "standard" retries).
- `BEDROCK_SERVICE_TIER` (one of `SERVICE_TIERS`) and `BEDROCK_PERFORMANCE_LATENCY` (one of `LATENCIES`), optional:
  Bedrock's request options when the event names none; unset, Bedrock's defaults apply.
- `INVOKER_ASYNC_ALIAS`, `INVOKER_RESULTS_BUCKET`, `INVOKER_RESULTS_RETENTION_DAYS` (optional): the asynchronous
  alias, the bucket for answers too large for the results queue, and how long it keeps them.
- `INVOKER_URL_ALIAS` (optional, not `INVOKER_ASYNC_ALIAS`): the alias behind the function URL.
- `INVOKER_TEAMS` (optional): JSON object, team name -> {principals (account IDs, role or user ARNs), profiles
  (alias of `CLAUDE_MODELS` -> the team's application inference profile ARN), guardrail ([ARN, version] or null)}:
  a caller authenticated by the function URL who is a team's principal is served through the team's profile, with
  the team's guardrail (else the function's); a principal in two teams fails init.
- `CLAUDE_GUARDRAIL_ARN` and `CLAUDE_GUARDRAIL_VERSION` (unset): a guardrail version applied to every call (both or
  neither; the construct sets them with `invoker_guardrail`).
- `INVOKER_LOG_PROMPTS` (false): true also logs prompts and completions; otherwise they are never logged.
- `INVOKER_METRICS_NAMESPACE` and `INVOKER_SERVICE_NAME` (required): the CloudWatch namespace of the function's
  embedded-format metrics and the value of their `service` dimension.
- Set by Lambda: `AWS_LAMBDA_LOG_LEVEL` (the function's `ApplicationLogLevel`, INFO; the level of its log records,
  which Lambda's Python runtime writes as JSON: `claude_invoker.telemetry`) and `_X_AMZN_TRACE_ID` (active
  tracing; logged as `xray_trace_id`).
- Standard AWS SDK configuration (`AWS_REGION`, `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`, ...); no endpoint is hard-coded.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from claude_invoker.bedrock import ClientPool
from claude_invoker.config import load_settings
from claude_invoker.function_url import response, through_url
from claude_invoker.results import ResultStore
from claude_invoker.service import CallContext, process, process_url
from claude_invoker.telemetry import Telemetry

if TYPE_CHECKING:
    from claude_invoker.protocols import LambdaContext

SETTINGS = load_settings(os.environ)
TELEMETRY = Telemetry(SETTINGS, os.environ)
CLIENTS = ClientPool(SETTINGS)
CLIENTS.client(float(SETTINGS.read_timeout_seconds))  # the usual client, created during init
# The S3 client is made only when an asynchronous answer has to be stored (never at init).
RESULTS = ResultStore(SETTINGS.results_bucket, SETTINGS.results_retention_days) if SETTINGS.results_bucket else None


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    call = CallContext(
        remaining_ms=context.get_remaining_time_in_millis,
        function_arn=context.invoked_function_arn,
        request_id=context.aws_request_id,
    )
    if through_url(call.function_arn, SETTINGS.url_alias):  # an HTTP request, its caller authenticated by Lambda
        outcome = process_url(event, SETTINGS, CLIENTS, call)
        TELEMETRY.record(outcome, context)
        return response(outcome.response, context.aws_request_id, outcome.bedrock_request_id)
    outcome = process(event, SETTINGS, CLIENTS, call, RESULTS)
    TELEMETRY.record(outcome, context)  # the log line and the metrics; never raises; never logs the event
    return outcome.response
