"""What tells someone when invocation logging changes or fails: the logging alarm topic (with its own key), the
tamper-detection rule, and an alarm on each of Bedrock's delivery-failure metrics.

Self-contained, no file asset: the organization rollout deploys it in member accounts as it is.
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_kms as kms
from constructs import Construct

from core.config import AlarmsConfig
from core.invocation_logging.guard import BEDROCK_METRIC_NAMESPACE, DELIVERY_FAILURE_METRICS
from stacks.invocation_logging.tamper_detection import TamperDetection
from stacks.shared.alarm_topic import AlarmTopic


class LoggingAlarms:
    """`AlarmTopicKey`, `LoggingAlarmTopic`, the tamper rule and the delivery-failure alarms, in `scope`."""

    def __init__(self, scope: Construct, *, alarms: AlarmsConfig, removal: RemovalPolicy) -> None:
        # A key of its own: EventBridge may use it without conditions (AWS supports none for it), so it must not be
        # the key of the logs.
        self.key = kms.Key(
            scope,
            "AlarmTopicKey",
            description="Encrypts the notifications of the invocation-logging alarms and tamper-detection rule",
            enable_key_rotation=True,
            removal_policy=removal,
        )
        self.alarm_topic = AlarmTopic(
            scope, "LoggingAlarmTopic", key=self.key, alarms=alarms, display_name="Claude invocation logging alarms"
        )
        self.detection = TamperDetection(scope, topic=self.alarm_topic)
        self.delivery_failures = []
        for metric_name in DELIVERY_FAILURE_METRICS:
            alarm = cloudwatch.Alarm(
                scope,
                f"{metric_name}Alarm",
                alarm_description=f"Amazon Bedrock failed to deliver invocation logs ({metric_name}): calls are "
                "going unlogged; check the destination's policy, key and existence",
                metric=cloudwatch.Metric(
                    namespace=BEDROCK_METRIC_NAMESPACE,
                    metric_name=metric_name,
                    statistic="Sum",
                    period=Duration.minutes(5),
                ),
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                # Bedrock publishes a datapoint per delivery attempt: no traffic, no datapoint, no failure.
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )
            self.alarm_topic.notify(alarm)
            self.delivery_failures.append(alarm)
