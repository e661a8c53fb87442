"""The Region's usage dashboard: the invoker's metrics, Bedrock's, log delivery, capacity, the project's alarms and
estimated cost.

Created in the usage construct's scope. Metric facts are `core.usage.metrics`'; search expressions keep the graphs
right whatever value Bedrock's `ModelId` dimension carries for profile calls and whichever model a caller names.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from core.invocation_access.permissions import sid
from core.usage.athena import WORKGROUP_NAME
from core.usage.capacity import PERIOD_SECONDS, QuotaAlarm
from core.usage.metrics import (
    BEDROCK_COUNTS,
    BEDROCK_DIMENSION,
    BEDROCK_LATENCY,
    BEDROCK_NAMESPACE,
    BEDROCK_QUOTA_USAGE,
    BEDROCK_THROTTLES,
    BEDROCK_TOKENS,
    DELIVERY_METRICS,
    INVOKER_DIMENSIONS,
    INVOKER_ERROR_DIMENSIONS,
    INVOKER_NAMESPACE,
    INVOKER_THROTTLE_ERROR_TYPE,
    LATENCY_PERCENTILES,
    search,
)
from core.usage.queries import QUERY_FOLDER, UsageQuery, by_name
from stacks.usage.capacity import quota_usage

FIVE_MINUTES = Duration.minutes(5)
WIDTH = 24


def _search(namespace: str, dimensions: tuple[str, ...], metric: str, statistic: str, label: str) -> cloudwatch.IMetric:
    return cloudwatch.SearchExpression(
        expression=search(namespace, dimensions, metric, statistic), label=label, period=FIVE_MINUTES
    )


def _graph(
    title: str, left: Sequence[cloudwatch.IMetric], right: Sequence[cloudwatch.IMetric] = ()
) -> cloudwatch.GraphWidget:
    return cloudwatch.GraphWidget(title=title, left=list(left), right=list(right), width=WIDTH // 3, height=6)


class UsageDashboard:
    def __init__(
        self,
        scope: Construct,
        *,
        region: str,
        endpoint_scope: str,
        invocation_log_group_name: str,
        queries: Sequence[UsageQuery],
        quota_alarms: Sequence[tuple[QuotaAlarm, cloudwatch.Alarm]],
        alarms: Sequence[cloudwatch.CfnAlarm],
    ) -> None:
        tables = [
            _table(by_name(name, tuple(queries)), invocation_log_group_name)
            for name in ("tokens-by-caller", "cost-by-caller")
        ]
        self.dashboard = cloudwatch.Dashboard(
            scope,
            "UsageDashboard",
            default_interval=Duration.days(1),
            widgets=[
                [_header(region, endpoint_scope)],
                _invoker_row(),
                _bedrock_row(),
                _status_row(scope, alarms, [alarm for _, alarm in quota_alarms]),
                [_capacity(quota_alarms)],
                *([table] for table in tables),
            ],
        )


def _table(query: UsageQuery, log_group_name: str) -> cloudwatch.LogQueryWidget:
    assert query.insights is not None
    return cloudwatch.LogQueryWidget(
        title=query.title,
        log_group_names=[log_group_name],
        query_string=query.insights,
        view=cloudwatch.LogQueryVisualizationType.TABLE,
        width=WIDTH,
        height=6,
    )


def _capacity(quota_alarms: Sequence[tuple[QuotaAlarm, cloudwatch.Alarm]]) -> cloudwatch.GraphWidget:
    """Estimated tokens per minute against each configured quota's alarm threshold (every ModelId's when no quota
    is configured), with the throttles Bedrock counted and those the invoker's callers received."""
    minute = Duration.seconds(PERIOD_SECONDS)
    if quota_alarms:
        usage = [quota_usage(alarm) for alarm, _ in quota_alarms]
        lines = [
            cloudwatch.HorizontalAnnotation(value=alarm.threshold, label=f"{alarm.alias}: alarm threshold")
            for alarm, _ in quota_alarms
        ]
    else:
        expression = search(BEDROCK_NAMESPACE, (BEDROCK_DIMENSION,), BEDROCK_QUOTA_USAGE, "Sum", PERIOD_SECONDS)
        usage = [cloudwatch.SearchExpression(expression=expression, label="", period=minute)]
        lines = []
    throttles = [
        _search(BEDROCK_NAMESPACE, (BEDROCK_DIMENSION,), BEDROCK_THROTTLES, "Sum", "Bedrock throttles"),
        cloudwatch.SearchExpression(
            expression=search(
                INVOKER_NAMESPACE,
                INVOKER_ERROR_DIMENSIONS,
                "Errors",
                "Sum",
                where=(("ErrorType", INVOKER_THROTTLE_ERROR_TYPE),),
            ),
            label="invoker: rate_limit_error",
            period=FIVE_MINUTES,
        ),
    ]
    return cloudwatch.GraphWidget(
        title="Capacity: estimated tokens per minute (quota alarms) and throttles",
        left=usage,
        right=throttles,
        left_annotations=lines,
        width=WIDTH,
        height=6,
    )


def _header(region: str, endpoint_scope: str) -> cloudwatch.TextWidget:
    return cloudwatch.TextWidget(
        markdown=(
            f"# Claude on Amazon Bedrock, {region} ({endpoint_scope} scope)\n"
            "**Invoker**: calls through the invoker function, by model alias. **Bedrock**: every call in this "
            "Region, by `ModelId`, the identifier the caller sent (model ID, system profile ID or application "
            "profile ID: AWS does not document which one a profile call carries, so every series is shown). "
            "**Delivery**: invocation-log delivery attempts. **Capacity**: estimated tokens per minute against the "
            "configured quotas, and throttles. **Cost**: estimated from list prices (docs/platform/cost.md), not "
            "the bill. Saved queries: CloudWatch Logs Insights, "
            f"folder *{QUERY_FOLDER}*; Athena workgroup *{WORKGROUP_NAME}*."
        ),
        width=WIDTH,
        height=3,
    )


def _invoker_row() -> list[cloudwatch.IWidget]:
    """The invoker's own metrics (embedded metric format), by model alias."""
    invoker = INVOKER_NAMESPACE
    return [
        _graph(
            "Invoker: invocations and errors by type",
            [_search(invoker, INVOKER_DIMENSIONS, "Invocations", "Sum", "")],
            [_search(invoker, INVOKER_ERROR_DIMENSIONS, "Errors", "Sum", "")],
        ),
        _graph(
            "Invoker: Bedrock call latency (ms)",
            [_search(invoker, INVOKER_DIMENSIONS, "Latency", p, p) for p in LATENCY_PERCENTILES],
        ),
        _graph(
            "Invoker: tokens",
            [_search(invoker, INVOKER_DIMENSIONS, "InputTokens", "Sum", "input")],
            [_search(invoker, INVOKER_DIMENSIONS, "OutputTokens", "Sum", "output")],
        ),
    ]


def _bedrock_row() -> list[cloudwatch.IWidget]:
    """Bedrock's metrics of every call in the Region, by `ModelId`."""
    bedrock_schema = (BEDROCK_DIMENSION,)
    return [
        _graph(
            "Bedrock: invocations, throttles and errors",
            [_search(BEDROCK_NAMESPACE, bedrock_schema, m, "Sum", m) for m in BEDROCK_COUNTS],
        ),
        _graph(
            "Bedrock: invocation latency (ms)",
            [_search(BEDROCK_NAMESPACE, bedrock_schema, BEDROCK_LATENCY, p, p) for p in LATENCY_PERCENTILES],
        ),
        _graph(
            "Bedrock: tokens",
            [_search(BEDROCK_NAMESPACE, bedrock_schema, BEDROCK_TOKENS[0], "Sum", "input")],
            [_search(BEDROCK_NAMESPACE, bedrock_schema, BEDROCK_TOKENS[1], "Sum", "output")],
        ),
    ]


def _status_row(
    scope: Construct, alarms: Sequence[cloudwatch.CfnAlarm], own: Sequence[cloudwatch.Alarm]
) -> list[cloudwatch.IWidget]:
    """Invocation-log delivery, and the state of the Region's alarms."""
    delivery = [
        cloudwatch.Metric(
            namespace=BEDROCK_NAMESPACE, metric_name=name, statistic="Sum", period=FIVE_MINUTES, label=name
        )
        for name in DELIVERY_METRICS
    ]
    return [
        cloudwatch.GraphWidget(
            title="Invocation-log delivery: successes and failures",
            left=[m for m in delivery if m.metric_name.endswith("Success")],
            right=[m for m in delivery if m.metric_name.endswith("Failure")],
            width=WIDTH // 2,
            height=6,
        ),
        cloudwatch.AlarmStatusWidget(
            title="Alarms of this Region's stacks",
            # Named by ARN: the alarms live in the Region's other stacks (ids from their paths stay stable).
            alarms=[
                *(
                    cloudwatch.Alarm.from_alarm_arn(scope, sid("Alarm", alarm.node.path), alarm.attr_arn)
                    for alarm in alarms
                ),
                *own,
            ],
            width=WIDTH // 2,
            height=6,
            sort_by=cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
        ),
    ]
