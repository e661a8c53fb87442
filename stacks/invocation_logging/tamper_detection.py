"""The rules that tell someone when a setting the project manages is put or deleted: by anyone but the project's
roles (`LoggingTamperRule`), and by the project's roles (`LoggingDeploymentRule`: a deployment, marked as such rather
than dropped, so a forged one is heard too).

EventBridge receives Bedrock's CloudTrail management events on the Region's default bus (a trail must record
management events: the audit checks it). The patterns (`core.invocation_logging.guard`) tell the two apart by the
session issuer's ARN, which carries the project's IAM path; the plain-text messages name who, when, from where and
what. Every rule of the logging stack sends through `targets`: the logging topic, and `alarm_topic_arn` (with an
execution role when that topic is in another account).
"""

from __future__ import annotations

from aws_cdk import Aws, CfnCondition, Duration, Fn, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from constructs import Construct

from core.invocation_logging.guard import (
    DEPLOYMENT_MESSAGE,
    TAMPER_INPUT_PATHS,
    TAMPER_MESSAGE,
    deployment_event_pattern,
    project_role_prefix,
    tamper_event_pattern,
)
from stacks.shared.alarm_topic import AlarmTopic


def rule_name_prefix() -> str:
    """The start of the name of every rule the logging stack names (`LoggingDeploymentRule` and the guard rules):
    unique to its stack, known before any rule exists, so rules can name each other without depending on each other.
    Rule names are 1 to 64 of letters, digits and ._- (AWS::Events::Rule schema): "claude-", the stack's UUID (36
    characters), "-" and a purpose of at most 10 characters."""
    return rule_name("")


def rule_name(purpose: str) -> str:
    return Fn.join("", ["claude-", Fn.select(2, Fn.split("/", Aws.STACK_ID)), f"-{purpose}"])


def alarm_name_prefix() -> str:
    """How CloudFormation begins the name of every alarm of the stack it generates names for."""
    return f"{Aws.STACK_NAME}-"


class TamperDetection:
    """`LoggingTamperRule`, `LoggingDeploymentRule` and the alarm on the tamper rule's failed deliveries, in `scope`."""

    def __init__(self, scope: Construct, *, topic: AlarmTopic) -> None:
        stack = Stack.of(scope)
        topic.allow_event_rules()
        self.topic = topic
        project_roles = project_role_prefix(stack.partition, stack.account)
        self.in_another_account: CfnCondition | None = None
        self.target_role = self._cross_account_role(scope, topic)
        self.rule = events.CfnRule(
            scope,
            "LoggingTamperRule",
            description="A setting this project manages (Bedrock invocation logging, data retention) put or deleted "
            "by anyone but the project's roles",
            state="ENABLED",
            event_pattern=tamper_event_pattern(project_roles),
            targets=self.targets(TAMPER_INPUT_PATHS, TAMPER_MESSAGE),
        )
        self.deployment_rule = events.CfnRule(
            scope,
            "LoggingDeploymentRule",
            name=rule_name("deployment"),
            description="A setting this project manages put or deleted by the project's roles (a deployment)",
            state="ENABLED",
            event_pattern=deployment_event_pattern(project_roles),
            targets=self.targets(TAMPER_INPUT_PATHS, DEPLOYMENT_MESSAGE),
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

    def targets(self, paths: dict[str, str], message: str) -> list[events.CfnRule.TargetProperty]:
        """Every topic a rule of the logging stack notifies, each with the plain-text message."""
        return [
            events.CfnRule.TargetProperty(
                id=f"Topic{index}",
                arn=target.topic_arn,
                input_transformer=events.CfnRule.InputTransformerProperty(
                    input_paths_map=dict(paths), input_template=message
                ),
                role_arn=self._role_for(target, self.topic),
            )
            for index, target in enumerate(self.topic.topics)
        ]

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
            description="EventBridge: publish the logging stack's notifications to the configured alarm topic, and "
            "nothing else",
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
            description="Assumed by EventBridge to send the logging stack's notifications to the alarm topic of "
            "another account",
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
