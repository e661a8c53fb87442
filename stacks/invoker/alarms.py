"""The invoker's alarms and the topic they notify (`stacks.shared.alarm_topic`), in the invoker construct's scope."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from core.config import AlarmsConfig
from stacks.shared.alarm_topic import AlarmTopic

# Alarm when the longest invocation of a period takes more than this share of the timeout.
NEAR_TIMEOUT_SHARE = 0.8


class InvokerAlarms:
    def __init__(
        self,
        scope: Construct,
        *,
        key: kms.Key,
        function: lambda_.Function,
        dead_letter_queue: sqs.IQueue,
        timeout_seconds: int,
        alarms: AlarmsConfig,
    ) -> None:
        self.alarm_topic = AlarmTopic(
            scope, "InvokerAlarmTopic", key=key, alarms=alarms, display_name="Claude invoker alarms"
        )
        five_minutes = Duration.minutes(5)
        definitions = (
            (
                "ErrorsAlarm",
                "The Claude invoker failed (function errors, not error results)",
                function.metric_errors(period=five_minutes),
                1,
            ),
            (
                "ThrottlesAlarm",
                "Invocations of the Claude invoker were throttled (reserved concurrency reached)",
                function.metric_throttles(period=five_minutes),
                1,
            ),
            (
                "DurationNearTimeoutAlarm",
                f"The Claude invoker's maximum duration is above {NEAR_TIMEOUT_SHARE:.0%} of its timeout",
                function.metric_duration(period=five_minutes, statistic="Maximum"),
                timeout_seconds * 1000 * NEAR_TIMEOUT_SHARE,
            ),
            (
                "DestinationDeliveryFailuresAlarm",
                "Lambda could not deliver the record of an asynchronous invocation to its destination (an answer "
                "may be lost: size limits, permissions, a deleted queue)",
                function.metric("DestinationDeliveryFailures", period=five_minutes, statistic="Sum"),
                1,
            ),
            (
                "DeadLetterQueueDepthAlarm",
                "Events of failed asynchronous invocations are waiting in the dead-letter queue",
                dead_letter_queue.metric_approximate_number_of_messages_visible(
                    period=five_minutes, statistic="Maximum"
                ),
                1,
            ),
        )
        for alarm_id, description, metric, threshold in definitions:
            self.alarm_topic.notify(
                cloudwatch.Alarm(
                    scope,
                    alarm_id,
                    alarm_description=description,
                    metric=metric,
                    threshold=threshold,
                    evaluation_periods=1,
                    treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
                )
            )
