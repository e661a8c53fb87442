"""The metrics the usage dashboard shows, as plain data: the invoker's own, Bedrock's, and log delivery.

- The invoker (lambda/invoker/claude_invoker/telemetry.py, embedded metric format): namespace `ClaudeOnBedrock`;
  `Invocations`, `Latency` (ms), `InputTokens`, `OutputTokens`, `CacheWriteInputTokens` and `CacheReadInputTokens`
  (prompt-cache writes and reads, billed apart) and `GuardrailInterventions` (1 when the applied guardrail
  intervened, 0 when it did not; only for calls with a guardrail) with dimensions Model, Scope and `service` (the
  name Powertools gave it, kept so the series go on), and each of these again by Caller and `service`
  (`INVOKER_CALLER_DIMENSIONS`); `Errors` with ErrorType as well. A test runs the handler and compares what it
  emits with these.
- Bedrock runtime ("Monitor bedrock-runtime inference using CloudWatch metrics", Amazon Bedrock user guide):
  namespace `AWS/Bedrock`, dimension `ModelId`. AWS documents the dimension, not which value a call through an
  inference profile carries; delivered metrics show the identifier the caller sent (a system profile ID such as
  `global.anthropic...`, an application profile's ID, or a model ID). The dashboard therefore searches every
  `ModelId` of the Region rather than naming one.
- Invocation-log delivery (same page, "Model invocation logging CloudWatch metrics"): six metrics "across all model
  IDs", that is without dimensions, one per delivery attempt.
- Capacity (same page): `EstimatedTPMQuotaUsage`, "Estimated Tokens Per Minute (TPM) quota consumption across the
  Converse, ConverseStream, InvokeModel, and InvokeModelWithResponseStream API operations. This metric is an
  approximation and does not reflect the reservation-based token consumption that drives throttling decisions";
  dimension `ModelId`. It counts tokens, not a share of the quota, so an alarm compares it with a quota the
  configuration states (`quota_tokens_per_minute`): Service Quotas' `SERVICE_QUOTA()` metric math reads quotas
  published to `AWS/Usage`, and no AWS page we read says Bedrock's token quotas are.
"""

from __future__ import annotations

from core.invoker.environment import METRICS_NAMESPACE

INVOKER_NAMESPACE = METRICS_NAMESPACE
INVOKER_DIMENSIONS = ("Model", "Scope", "service")
INVOKER_ERROR_DIMENSIONS = ("ErrorType", "Model", "Scope", "service")
# The same metrics (all but Errors) per caller: the IAM identity Lambda authenticated for a function URL request (an
# assumed role's session left out: one series per role or user), "unauthenticated" for plain lambda:InvokeFunction.
# Each caller adds a custom metric per metric name: as many series as principals call through the URL.
INVOKER_CALLER_DIMENSIONS = ("Caller", "service")
# Metric name -> (unit, dimension names), as the invoker emits them.
INVOKER_METRICS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Invocations": ("Count", INVOKER_DIMENSIONS),
    "Latency": ("Milliseconds", INVOKER_DIMENSIONS),
    "InputTokens": ("Count", INVOKER_DIMENSIONS),
    "OutputTokens": ("Count", INVOKER_DIMENSIONS),
    "CacheWriteInputTokens": ("Count", INVOKER_DIMENSIONS),
    "CacheReadInputTokens": ("Count", INVOKER_DIMENSIONS),
    "GuardrailInterventions": ("Count", INVOKER_DIMENSIONS),
    "Errors": ("Count", INVOKER_ERROR_DIMENSIONS),
}
# The metrics emitted per caller too (INVOKER_CALLER_DIMENSIONS): all but Errors.
INVOKER_CALLER_METRICS = tuple(
    name for name, (_, dimensions) in INVOKER_METRICS.items() if dimensions == INVOKER_DIMENSIONS
)
LATENCY_PERCENTILES = ("p50", "p90", "p99")

BEDROCK_NAMESPACE = "AWS/Bedrock"
BEDROCK_DIMENSION = "ModelId"
BEDROCK_COUNTS = ("Invocations", "InvocationThrottles", "InvocationClientErrors", "InvocationServerErrors")
BEDROCK_TOKENS = ("InputTokenCount", "OutputTokenCount")
BEDROCK_LATENCY = "InvocationLatency"
BEDROCK_THROTTLES = "InvocationThrottles"
BEDROCK_QUOTA_USAGE = "EstimatedTPMQuotaUsage"
# The ErrorType the invoker gives Bedrock's throttling (lambda/invoker/claude_invoker/errors.py RATE_LIMIT; a test
# compares): its Errors of that type are the throttles its callers saw after its retries.
INVOKER_THROTTLE_ERROR_TYPE = "rate_limit_error"

DELIVERY_METRICS = (
    "ModelInvocationLogsCloudWatchDeliverySuccess",
    "ModelInvocationLogsCloudWatchDeliveryFailure",
    "ModelInvocationLogsS3DeliverySuccess",
    "ModelInvocationLogsS3DeliveryFailure",
    "ModelInvocationLargeDataS3DeliverySuccess",
    "ModelInvocationLargeDataS3DeliveryFailure",
)


def search(
    namespace: str,
    dimensions: tuple[str, ...],
    metric: str,
    statistic: str,
    period: int = 300,
    where: tuple[tuple[str, str], ...] = (),
) -> str:
    """A CloudWatch SEARCH expression over every series of `metric` with exactly these dimension names (and, with
    `where`, these dimension values)."""
    schema = ",".join((namespace, *dimensions))
    terms = "".join(f' {name}="{value}"' for name, value in where)
    return f"SEARCH('{{{schema}}} MetricName=\"{metric}\"{terms}', '{statistic}', {period})"
