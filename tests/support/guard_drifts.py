"""Drifts of what guards invocation logging, applied to the moto account of tests/support/fake_account.py.

The command-line audit's tests and the continuous audit's tests apply the same drifts: each must fail its own
check in both.
"""

from __future__ import annotations

import json
from typing import Any

from tests.support.fake_account import CompliantAccount


def delete_configuration(account: CompliantAccount) -> None:
    account.client("bedrock").delete_model_invocation_logging_configuration()


def redirect_logs(account: CompliantAccount) -> None:
    """Invocation logs to a bucket someone else chose: present and well-formed, but not the deployed one."""
    other = {**account.logging_config, "s3Config": {"bucketName": "somewhere-else", "keyPrefix": "x"}}
    account.client("bedrock").put_model_invocation_logging_configuration(loggingConfig=other)


def text_off(account: CompliantAccount) -> None:
    changed = {**account.logging_config, "textDataDeliveryEnabled": False}
    account.client("bedrock").put_model_invocation_logging_configuration(loggingConfig=changed)


def disable_rule(account: CompliantAccount) -> None:
    account.client("events").disable_rule(Name="LoggingTamperRule")


def exempt_everyone(account: CompliantAccount) -> None:
    """The rule is rewritten to catch only the deployment's own calls: nobody else's change is noticed."""
    pattern = {
        "source": ["aws.bedrock"],
        "detail": {"userIdentity": {"arn": [{"prefix": "arn:aws:sts::123456789012:assumed-role/Provider/"}]}},
    }
    account.client("events").put_rule(Name="LoggingTamperRule", EventPattern=json.dumps(pattern), State="ENABLED")


def remove_rule_targets(account: CompliantAccount) -> None:
    account.client("events").remove_targets(Rule="LoggingTamperRule", Ids=["Topic0"])


def delete_s3_alarm(account: CompliantAccount) -> None:
    account.client("cloudwatch").delete_alarms(AlarmNames=["ModelInvocationLogsS3DeliveryFailureAlarm"])


def disable_alarm_actions(account: CompliantAccount) -> None:
    account.client("cloudwatch").disable_alarm_actions(AlarmNames=["ModelInvocationLargeDataS3DeliveryFailureAlarm"])


def unsubscribe_everyone(account: CompliantAccount) -> None:
    sns = account.client("sns")
    for subscription in sns.list_subscriptions_by_topic(TopicArn=account.topic_arn)["Subscriptions"]:
        sns.unsubscribe(SubscriptionArn=subscription["SubscriptionArn"])


def stop_trail(account: CompliantAccount) -> None:
    account.client("cloudtrail").stop_logging(Name=account.trail_arn)


def record_reads_only(account: CompliantAccount) -> None:
    account.client("cloudtrail").put_event_selectors(
        TrailName=account.trail_arn, EventSelectors=[{"ReadWriteType": "ReadOnly", "IncludeManagementEvents": True}]
    )


def exclude_bedrock_events(account: CompliantAccount) -> None:
    account.client("cloudtrail").put_event_selectors(
        TrailName=account.trail_arn,
        AdvancedEventSelectors=[
            {
                "Name": "Management events except Bedrock",
                "FieldSelectors": [
                    {"Field": "eventCategory", "Equals": ["Management"]},
                    {"Field": "eventSource", "NotEquals": ["bedrock.amazonaws.com"]},
                ],
            }
        ],
    )


def delete_trail(account: CompliantAccount) -> None:
    # By name: moto ignores a DeleteTrail that names the trail by its ARN (AWS accepts both).
    account.client("cloudtrail").delete_trail(Name=account.trail_arn.rsplit("/", 1)[1])


def _bucket_statements(account: CompliantAccount) -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = json.loads(
        account.client("s3").get_bucket_policy(Bucket=account.bucket)["Policy"]
    )["Statement"]
    return statements


def _put_bucket_statements(account: CompliantAccount, statements: list[dict[str, Any]]) -> None:
    policy = {"Version": "2012-10-17", "Statement": statements}
    account.client("s3").put_bucket_policy(Bucket=account.bucket, Policy=json.dumps(policy))


def remove_bucket_denies(account: CompliantAccount) -> None:
    _put_bucket_statements(account, [s for s in _bucket_statements(account) if s["Effect"] == "Allow"])


def deny_writes_to_bedrock_too(account: CompliantAccount) -> None:
    statements = _bucket_statements(account)
    for statement in statements:
        if statement.get("Sid") == "DenyLogWritesExceptBedrock":
            del statement["Condition"]
    _put_bucket_statements(account, statements)


def exempt_an_admin_from_deletes(account: CompliantAccount, admin: str) -> None:
    statements = _bucket_statements(account)
    for statement in statements:
        if statement.get("Sid") == "DenyLogDeletion":
            statement["Condition"] = {"ArnNotEquals": {"aws:PrincipalArn": admin}}
    _put_bucket_statements(account, statements)


def deny_deletes_only_on_weekdays(account: CompliantAccount) -> None:
    """A condition that does more than exempt principals: the Deny no longer holds always."""
    statements = _bucket_statements(account)
    for statement in statements:
        if statement.get("Sid") == "DenyLogDeletion":
            statement["Condition"] = {"DateGreaterThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}
    _put_bucket_statements(account, statements)
