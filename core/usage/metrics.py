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

DELIVERY_METRICS = (
    "ModelInvocationLogsCloudWatchDeliverySuccess",
    "ModelInvocationLogsCloudWatchDeliveryFailure",
    "ModelInvocationLogsS3DeliverySuccess",
    "ModelInvocationLogsS3DeliveryFailure",
    "ModelInvocationLargeDataS3DeliverySuccess",
    "ModelInvocationLargeDataS3DeliveryFailure",
)


def search(namespace: str, dimensions: tuple[str, ...], metric: str, statistic: str, period: int = 300) -> str:
    """A CloudWatch SEARCH expression over every series of `metric` with exactly these dimension names."""
    schema = ",".join((namespace, *dimensions))
    return f"SEARCH('{{{schema}}} MetricName=\"{metric}\"', '{statistic}', {period})"
