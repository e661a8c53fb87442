"""The rule that tells someone when the logging configuration is put or deleted by anyone but this deployment.

EventBridge receives Bedrock's CloudTrail management events on the Region's default bus (a trail must record
management events: the audit checks it). The pattern (`core.logging_guard.tamper_event_pattern`) exempts the
sessions of the configuration provider's role, and the plain-text message names who, when, from where and what.
"""

from __future__ import annotations

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from constructs import Construct

from core.logging_guard import TAMPER_INPUT_PATHS, TAMPER_MESSAGE, session_arn_prefix, tamper_event_pattern
from stacks.alarm_topic import AlarmTopic


class TamperDetection:
    """`LoggingTamperRule` and the alarm on its failed deliveries, in `scope`."""

    def __init__(self, scope: Construct, *, topic: AlarmTopic, deployment_role: iam.IRole) -> None:
        stack = Stack.of(scope)
        topic.allow_event_rules()
        exempt = session_arn_prefix(stack.partition, stack.account, deployment_role.role_name)
        self.rule = events.CfnRule(
            scope,
            "LoggingTamperRule",
            description="Bedrock model invocation logging put or deleted by anyone but this stack's provider",
            state="ENABLED",
            event_pattern=tamper_event_pattern(exempt),
            targets=[
                events.CfnRule.TargetProperty(
                    id=f"Topic{index}",
                    arn=target.topic_arn,
                    input_transformer=events.CfnRule.InputTransformerProperty(
                        input_paths_map=dict(TAMPER_INPUT_PATHS), input_template=TAMPER_MESSAGE
                    ),
                )
                for index, target in enumerate(topic.topics)
            ],
        )
        # EventBridge drops a notification SNS refuses (a changed topic or key policy) without a trace: say so.
        self.failed_deliveries = cloudwatch.Alarm(
            scope,
            "LoggingTamperRuleFailedInvocationsAlarm",
            alarm_description="The tamper-detection rule could not deliver a notification to its topic",
            metric=cloudwatch.Metric(
                namespace="AWS/Events",
                metric_name="FailedInvocations",
                dimensions_map={"RuleName": self.rule.ref},
                statistic="Sum",
                period=Duration.minutes(5),
            ),
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        topic.notify(self.failed_deliveries)
