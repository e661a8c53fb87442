"""The rule that tells someone when the logging configuration is put or deleted by anyone but this deployment.

EventBridge receives Bedrock's CloudTrail management events on the Region's default bus (a trail must record
management events: the audit checks it). The pattern (`core.invocation_logging.guard.tamper_event_pattern`) exempts the
sessions of the configuration provider's role, and the plain-text message names who, when, from where and what.
"""

from __future__ import annotations

from aws_cdk import Aws, CfnCondition, Duration, Fn, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from constructs import Construct

from core.invocation_logging.guard import TAMPER_INPUT_PATHS, TAMPER_MESSAGE, session_arn_prefix, tamper_event_pattern
from stacks.shared.alarm_topic import AlarmTopic


class TamperDetection:
    """`LoggingTamperRule` and the alarm on its failed deliveries, in `scope`."""

    def __init__(self, scope: Construct, *, topic: AlarmTopic, deployment_role: iam.IRole) -> None:
        stack = Stack.of(scope)
        topic.allow_event_rules()
        exempt = session_arn_prefix(stack.partition, stack.account, deployment_role.role_name)
        self.in_another_account: CfnCondition | None = None
        self.target_role = self._cross_account_role(scope, topic)
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
                    role_arn=self._role_for(target, topic),
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

    def _cross_account_role(self, scope: Construct, topic: AlarmTopic) -> iam.Role | None:
        """The role EventBridge sends with to `alarm_topic_arn` when it lives in another account.

        EventBridge delivers to an SNS topic of another account only with an execution role of the rule's account,
        and the topic's policy allowing that role; to a topic of the same account, with the topic's policy alone,
        and AWS advises against a role there (EventBridge user guide, "Sending events to an AWS service in another
        account" and "Using resource-based policies"). The account of the stack may be known only at deployment,
        so a CloudFormation condition decides.
        """
        if topic.external is None:
            return None
        external_account = topic.external.topic_arn.split(":")[4]
        self.in_another_account = CfnCondition(
            scope,
            "AlarmTopicInAnotherAccount",
            expression=Fn.condition_not(Fn.condition_equals(Aws.ACCOUNT_ID, external_account)),
        )
        policy = iam.ManagedPolicy(
            scope,
            "LoggingTamperRuleTargetPolicy",
            description="EventBridge: publish tamper notifications to the configured alarm topic, and nothing else",
            statements=[
                iam.PolicyStatement(
                    sid="PublishToTheConfiguredAlarmTopic",
                    actions=["sns:Publish"],
                    resources=[topic.external.topic_arn],
                )
            ],
        )
        role = iam.Role(
            scope,
            "LoggingTamperRuleTargetRole",
            description="Assumed by EventBridge to send tamper notifications to the alarm topic of another account",
            assumed_by=iam.ServicePrincipal("events.amazonaws.com").with_conditions(
                {"StringEquals": {"aws:SourceAccount": Stack.of(scope).account}}
            ),
            managed_policies=[policy],
        )
        for part in (role, policy):
            part.node.default_child.cfn_options.condition = self.in_another_account  # type: ignore[union-attr]
        return role

    def _role_for(self, target: sns.ITopic, topic: AlarmTopic) -> str | None:
        if self.target_role is None or self.in_another_account is None or target is not topic.external:
            return None
        return Fn.condition_if(self.in_another_account.logical_id, self.target_role.role_arn, Aws.NO_VALUE).to_string()
