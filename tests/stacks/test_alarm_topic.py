"""Alarm topics reach people (stacks/shared/alarm_topic.py), in the invoker and the logging stack alike.

Evaluated with principalmapper on the synthesized, resolved topic and key policies: CloudWatch may publish for this
account's alarms of this Region and for no other account's; its key statement allows only Decrypt and
GenerateDataKey*. EventBridge may publish to the logging topic only. `alarm_emails` are subscribed, and the alarms
and the tamper rule also notify `alarm_topic_arn`.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.cfn_values import CfnValues
from tests.support.iam_evaluator import service_allowed
from tests.support.logical_ids import ALARM_TOPIC, ALARM_TOPIC_KEY, INVOKER_KEY, LOGGING_ALARM_TOPIC
from tests.support.project import ALARM_EMAIL, CENTRAL_TOPIC_ARN, SAMPLE_ACCOUNT
from tests.support.synth import Synth

OTHER_ACCOUNT = "999988887777"
# stack prefix -> (topic, its key)
TOPICS = {
    "ClaudeInvoker-": (ALARM_TOPIC, INVOKER_KEY),
    "ClaudeInvocationLogging-": (LOGGING_ALARM_TOPIC, ALARM_TOPIC_KEY),
}


def _resolved(synth: Synth, prefix: str) -> tuple[CfnValues, dict[str, Any]]:
    name = synth.stack_name(prefix)
    template = synth.templates[name]
    return CfnValues(template, region=name.split("-", 1)[1]), template["Resources"]


def topic_policy(synth: Synth, prefix: str) -> tuple[str, dict[str, Any]]:
    """The topic's ARN and its resolved topic policy."""
    values, resources = _resolved(synth, prefix)
    topic = TOPICS[prefix][0]
    (policy,) = [
        r["Properties"]["PolicyDocument"]
        for r in resources.values()
        if r["Type"] == "AWS::SNS::TopicPolicy" and r["Properties"]["Topics"] == [{"Ref": topic}]
    ]
    return values.arn(topic), values.resolve(policy)


def key_policy(synth: Synth, prefix: str) -> tuple[str, dict[str, Any]]:
    values, resources = _resolved(synth, prefix)
    key = TOPICS[prefix][1]
    return values.arn(key), values.resolve(resources[key]["Properties"]["KeyPolicy"])


def alarm_context(account: str, region: str = "us-east-1", secure: bool = True) -> dict[str, str]:
    return {
        "aws:SourceAccount": account,
        "aws:SourceArn": f"arn:aws:cloudwatch:{region}:{account}:alarm:SomeAlarm",
        "aws:SecureTransport": str(secure).lower(),
    }


@pytest.mark.parametrize("prefix", TOPICS)
def test_cloudwatch_may_publish_for_this_accounts_alarms_only(default_synth: Synth, prefix: str) -> None:
    topic, policy = topic_policy(default_synth, prefix)

    def publish(context: dict[str, str]) -> bool:
        return service_allowed("cloudwatch.amazonaws.com", "sns:Publish", topic, policy, SAMPLE_ACCOUNT, context)

    assert publish(alarm_context(SAMPLE_ACCOUNT))
    assert not publish(alarm_context(OTHER_ACCOUNT))
    assert not publish({**alarm_context(SAMPLE_ACCOUNT), "aws:SourceAccount": OTHER_ACCOUNT})
    assert not publish(alarm_context(SAMPLE_ACCOUNT, region="eu-west-1"))
    assert not publish(alarm_context(SAMPLE_ACCOUNT, secure=False))  # the TLS Deny still holds
    assert not service_allowed(
        "cloudwatch.amazonaws.com", "sns:Subscribe", topic, policy, SAMPLE_ACCOUNT, alarm_context(SAMPLE_ACCOUNT)
    )


@pytest.mark.parametrize("prefix", TOPICS)
def test_the_key_lets_cloudwatch_decrypt_and_generate_data_keys_for_this_accounts_alarms_only(
    default_synth: Synth, prefix: str
) -> None:
    key, policy = key_policy(default_synth, prefix)

    def use(action: str, context: dict[str, str]) -> bool:
        return service_allowed("cloudwatch.amazonaws.com", action, key, policy, SAMPLE_ACCOUNT, context)

    for action in ("kms:Decrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext"):
        assert use(action, alarm_context(SAMPLE_ACCOUNT)), action
        assert not use(action, alarm_context(OTHER_ACCOUNT)), action
    for action in ("kms:Encrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:CreateGrant"):
        assert not use(action, alarm_context(SAMPLE_ACCOUNT)), action


def test_eventbridge_may_publish_to_the_logging_topic_only(default_synth: Synth) -> None:
    context = {"aws:SourceArn": f"arn:aws:events:us-east-1:{SAMPLE_ACCOUNT}:rule/x", "aws:SecureTransport": "true"}
    topic, policy = topic_policy(default_synth, "ClaudeInvocationLogging-")
    assert service_allowed("events.amazonaws.com", "sns:Publish", topic, policy, SAMPLE_ACCOUNT, context)
    key, key_document = key_policy(default_synth, "ClaudeInvocationLogging-")
    assert service_allowed("events.amazonaws.com", "kms:GenerateDataKey", key, key_document, SAMPLE_ACCOUNT, {})
    topic, policy = topic_policy(default_synth, "ClaudeInvoker-")
    assert not service_allowed("events.amazonaws.com", "sns:Publish", topic, policy, SAMPLE_ACCOUNT, context)


def test_the_invoker_key_grants_cloudwatch_nothing_unconditioned(default_synth: Synth) -> None:
    _, policy = key_policy(default_synth, "ClaudeInvoker-")
    cloudwatch = [s for s in policy["Statement"] if s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}]
    assert cloudwatch == [
        {
            "Sid": "AllowCloudWatchAlarmsToPublishToInvokerAlarmTopic",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": SAMPLE_ACCOUNT},
                "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:us-east-1:{SAMPLE_ACCOUNT}:alarm:*"},
            },
        }
    ]


@pytest.mark.parametrize("prefix", TOPICS)
def test_no_one_is_subscribed_by_default(default_synth: Synth, prefix: str) -> None:
    resources = default_synth.templates[default_synth.stack_name(prefix)]["Resources"]
    assert [r for r in resources.values() if r["Type"] == "AWS::SNS::Subscription"] == []


@pytest.mark.parametrize("prefix", TOPICS)
def test_alarm_emails_are_subscribed_and_alarms_notify_the_configured_topic(
    every_option_synth: Synth, prefix: str
) -> None:
    resources = every_option_synth.templates[every_option_synth.stack_name(prefix)]["Resources"]
    topic = TOPICS[prefix][0].replace("C20C5E5B", "").replace("0139C2C1", "")
    subscriptions = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::SNS::Subscription"]
    assert [(s["Protocol"], s["Endpoint"]) for s in subscriptions] == [("email", ALARM_EMAIL)]
    alarms = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::CloudWatch::Alarm"]
    assert alarms
    for alarm in alarms:
        actions = alarm["AlarmActions"]
        assert len(actions) == 2 and actions[1] == CENTRAL_TOPIC_ARN, alarm["AlarmDescription"]
        assert next(iter(actions[0].values())).startswith(topic), alarm["AlarmDescription"]
