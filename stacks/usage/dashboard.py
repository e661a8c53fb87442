"""The Region's usage dashboard: the invoker's metrics, Bedrock's, log delivery and the project's alarms.

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
from core.usage.metrics import (
    BEDROCK_COUNTS,
    BEDROCK_DIMENSION,
    BEDROCK_LATENCY,
    BEDROCK_NAMESPACE,
    BEDROCK_TOKENS,
    DELIVERY_METRICS,
    INVOKER_DIMENSIONS,
    INVOKER_ERROR_DIMENSIONS,
    INVOKER_NAMESPACE,
    LATENCY_PERCENTILES,
    search,
)
from core.usage.queries import QUERY_FOLDER, by_name

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
        alarms: Sequence[cloudwatch.CfnAlarm],
    ) -> None:
        tokens_by_caller = by_name("tokens-by-caller")
        assert tokens_by_caller.insights is not None
        self.dashboard = cloudwatch.Dashboard(
            scope,
            "UsageDashboard",
            default_interval=Duration.days(1),
            widgets=[
                [_header(region, endpoint_scope)],
                _invoker_row(),
                _bedrock_row(),
                _status_row(scope, alarms),
                [
                    cloudwatch.LogQueryWidget(
                        title=tokens_by_caller.title,
                        log_group_names=[invocation_log_group_name],
                        query_string=tokens_by_caller.insights,
                        view=cloudwatch.LogQueryVisualizationType.TABLE,
                        width=WIDTH,
                        height=6,
                    )
                ],
            ],
        )


def _header(region: str, endpoint_scope: str) -> cloudwatch.TextWidget:
    return cloudwatch.TextWidget(
        markdown=(
            f"# Claude on Amazon Bedrock, {region} ({endpoint_scope} scope)\n"
            "**Invoker**: calls through the invoker function, by model alias. **Bedrock**: every call in this "
            "Region, by `ModelId`, the identifier the caller sent (model ID, system profile ID or application "
            "profile ID: AWS does not document which one a profile call carries, so every series is shown). "
            "**Delivery**: invocation-log delivery attempts. Saved queries: CloudWatch Logs Insights, "
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


def _status_row(scope: Construct, alarms: Sequence[cloudwatch.CfnAlarm]) -> list[cloudwatch.IWidget]:
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
                cloudwatch.Alarm.from_alarm_arn(scope, sid("Alarm", alarm.node.path), alarm.attr_arn)
                for alarm in alarms
            ],
            width=WIDTH // 2,
            height=6,
            sort_by=cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
        ),
    ]
