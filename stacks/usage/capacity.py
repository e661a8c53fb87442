"""Capacity alarms: a model's estimated tokens per minute against a fraction of its quota (`core.usage.capacity`).

Created in the usage construct's scope; each alarm notifies the Region's invoker alarm topic (whose policy admits
this account's alarms of this Region) and `alarm_topic_arn`.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_sns as sns
from constructs import Construct

from core.invocation_access.permissions import sid
from core.usage.capacity import DATAPOINTS_TO_ALARM, EVALUATION_PERIODS, PERIOD_SECONDS, QuotaAlarm
from core.usage.metrics import BEDROCK_DIMENSION, BEDROCK_NAMESPACE, BEDROCK_QUOTA_USAGE


def quota_usage(alarm: QuotaAlarm) -> cloudwatch.IMetric:
    """The model's estimated tokens per minute: the sum of its series, a missing one counted as 0."""
    period = Duration.seconds(PERIOD_SECONDS)
    metrics = {
        f"m{index}": cloudwatch.Metric(
            namespace=BEDROCK_NAMESPACE,
            metric_name=BEDROCK_QUOTA_USAGE,
            dimensions_map={BEDROCK_DIMENSION: model_id},
            statistic="Sum",
            period=period,
        )
        for index, model_id in enumerate(alarm.model_ids)
    }
    return cloudwatch.MathExpression(
        expression=" + ".join(f"FILL({name}, 0)" for name in metrics),
        using_metrics=metrics,
        label=f"{alarm.alias}: estimated tokens per minute",
        period=period,
    )


class QuotaAlarms:
    def __init__(self, scope: Construct, *, alarms: Sequence[QuotaAlarm], topic_arns: Sequence[str]) -> None:
        self.alarms: list[tuple[QuotaAlarm, cloudwatch.Alarm]] = []
        topics = (
            [sns.Topic.from_topic_arn(scope, f"QuotaAlarmTopic{index}", arn) for index, arn in enumerate(topic_arns)]
            if alarms
            else []
        )
        for alarm in alarms:
            created = cloudwatch.Alarm(
                scope,
                f"{sid(alarm.alias)}QuotaAlarm",
                alarm_description=(
                    f"{alarm.alias}: Bedrock's estimated tokens per minute reached {alarm.threshold} of its "
                    f"{alarm.quota} quota (quota_tokens_per_minute) in {DATAPOINTS_TO_ALARM} of "
                    f"{EVALUATION_PERIODS} minutes; callers may soon be throttled"
                ),
                metric=quota_usage(alarm),
                threshold=alarm.threshold,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                evaluation_periods=EVALUATION_PERIODS,
                datapoints_to_alarm=DATAPOINTS_TO_ALARM,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )
            for topic in topics:
                created.add_alarm_action(cloudwatch_actions.SnsAction(topic))
            self.alarms.append((alarm, created))
