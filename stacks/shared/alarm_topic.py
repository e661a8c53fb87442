"""An alarm topic that reaches people: CloudWatch alarms (and, if asked, EventBridge rules) of this account may
publish to it, its key lets them, and it e-mails `alarm_emails`; alarms and rules also notify `alarm_topic_arn`.

A topic policy replaces SNS's default one, so without an Allow CloudWatch cannot publish; and a topic encrypted with
a customer managed key needs `kms:Decrypt` and `kms:GenerateDataKey*` for the publishing service in the key policy
(SNS developer guide, "Enable compatibility between event sources from AWS services and encrypted topics"). The
CloudWatch statements are limited to this account's alarms of this Region (`aws:SourceAccount`, `aws:SourceArn`),
as the same guide advises. EventBridge gets no condition: the SNS guide says `aws:SourceAccount`/`aws:SourceArn` in
a KMS policy are "not supported for EventBridge-to-encrypted topics", and the EventBridge guide (resource-based
policies, Amazon SNS) that "You can't use Condition blocks in Amazon SNS topic policies for EventBridge".

Used by the invoker and the logging stack; created in the caller's scope so logical IDs stay the caller's.
"""

from __future__ import annotations

import hashlib
from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from core.config import AlarmsConfig

CLOUDWATCH = "cloudwatch.amazonaws.com"
EVENTBRIDGE = "events.amazonaws.com"
# What a publishing service needs of the topic's key, and nothing more.
KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey*"]


def alarm_source_conditions(scope: Construct) -> dict[str, Any]:
    """This account's CloudWatch alarms in this Region, and nothing else."""
    stack = Stack.of(scope)
    return {
        "StringEquals": {"aws:SourceAccount": stack.account},
        "ArnLike": {"aws:SourceArn": f"arn:{stack.partition}:cloudwatch:{stack.region}:{stack.account}:alarm:*"},
    }


class AlarmTopic:
    """The topic `construct_id` in `scope`, encrypted with `key`, and the ways alarms and rules reach it."""

    def __init__(
        self, scope: Construct, construct_id: str, *, key: kms.IKey, alarms: AlarmsConfig, display_name: str
    ) -> None:
        stack = Stack.of(scope)
        self.scope = scope
        self.key = key
        self.topic = sns.Topic(scope, construct_id, master_key=key, enforce_ssl=True, display_name=display_name)
        conditions = alarm_source_conditions(scope)
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowCloudWatchAlarmsOfThisAccount",
                principals=[iam.ServicePrincipal(CLOUDWATCH)],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions=conditions,
            )
        )
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid=f"AllowCloudWatchAlarmsToPublishTo{construct_id}",
                principals=[iam.ServicePrincipal(CLOUDWATCH)],
                actions=KEY_ACTIONS,
                resources=["*"],
                conditions=conditions,
            )
        )
        for address in alarms.emails:
            # Named by the address, so adding or removing another address never replaces this subscription.
            digest = hashlib.sha256(address.lower().encode()).hexdigest()[:8].upper()
            sns.Subscription(
                scope,
                f"{construct_id}Email{digest}",
                topic=self.topic,
                protocol=sns.SubscriptionProtocol.EMAIL,
                endpoint=address,
            )
        external = alarms.topic_arn_in(stack.region)
        self.external = (
            sns.Topic.from_topic_arn(scope, f"{construct_id}External", external) if external is not None else None
        )

    @property
    def topics(self) -> list[sns.ITopic]:
        """Every topic an alarm or rule notifies: this one, and the configured existing one."""
        return [self.topic, *([self.external] if self.external is not None else [])]

    def notify(self, alarm: cloudwatch.Alarm) -> None:
        for topic in self.topics:
            alarm.add_alarm_action(cloudwatch_actions.SnsAction(topic))

    def allow_event_rules(self) -> None:
        """Let EventBridge rules publish to the topic (no condition: see the module docstring)."""
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowEventBridgeRules",
                principals=[iam.ServicePrincipal(EVENTBRIDGE)],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
            )
        )
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowEventBridgeRulesToPublishToTheAlarmTopic",
                principals=[iam.ServicePrincipal(EVENTBRIDGE)],
                actions=KEY_ACTIONS,
                resources=["*"],
            )
        )
