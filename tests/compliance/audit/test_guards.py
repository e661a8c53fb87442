"""The audit of what guards invocation logging: the tamper rule, the delivery alarms, who hears them, CloudTrail,
and the log bucket policy's denies. Each drift fails its own row only; each unreadable resource is a FAIL row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from compliance.audit.cloudtrail import records_bedrock_writes
from compliance.audit.log_bucket_policy import denying_statement
from core.invocation_logging.guard import DELIVERY_FAILURE_METRICS
from tests.support import guard_drifts as drifts
from tests.support.fake_account import (
    ACCOUNT,
    CompliantAccount,
    assert_only_these_rows_fail,
    audit,
    deny,
)

ADMIN = f"arn:aws:iam::{ACCOUNT}:role/Admin"

DRIFTS = [
    pytest.param(drifts.disable_rule, {"events.tamper_rule": "no enabled rule matches"}, id="rule-disabled"),
    pytest.param(drifts.exempt_everyone, {"events.tamper_rule": "no enabled rule matches"}, id="rule-catches-nobody"),
    pytest.param(
        drifts.remove_rule_targets,
        {"events.tamper_rule": "rule LoggingTamperRule matches but notifies no SNS topic"},
        id="rule-without-target",
    ),
    pytest.param(
        drifts.delete_s3_alarm,
        {"cloudwatch.alarm.ModelInvocationLogsS3DeliveryFailure": "no alarm: delivery failures would go unnoticed"},
        id="alarm-deleted",
    ),
    pytest.param(
        drifts.disable_alarm_actions,
        {"cloudwatch.alarm.ModelInvocationLargeDataS3DeliveryFailure": "its actions are off"},
        id="alarm-actions-off",
    ),
    pytest.param(drifts.unsubscribe_everyone, {"sns.topic.subscriptions": "none confirmed"}, id="nobody-subscribed"),
    pytest.param(drifts.stop_trail, {"cloudtrail.management_events": "not logging"}, id="trail-stopped"),
    pytest.param(
        drifts.record_reads_only,
        {"cloudtrail.management_events": "selectors exclude write management events"},
        id="trail-reads-only",
    ),
    pytest.param(
        drifts.exclude_bedrock_events,
        {"cloudtrail.management_events": "selectors exclude write management events of bedrock.amazonaws.com"},
        id="trail-excludes-bedrock",
    ),
    pytest.param(drifts.delete_trail, {"cloudtrail.management_events": "no trail covers this Region"}, id="no-trail"),
    pytest.param(
        drifts.remove_bucket_denies,
        {
            "s3.bucket.deny_log_writes": "no Deny stops account principals from s3:PutObject",
            "s3.bucket.deny_log_deletes": "no Deny stops account principals from s3:DeleteObject, s3:Delete",
        },
        id="bucket-denies-removed",
    ),
    pytest.param(
        drifts.deny_writes_to_bedrock_too,
        {"s3.bucket.deny_log_writes": "writes denied to Bedrock too"},
        id="bucket-denies-bedrock",
    ),
    pytest.param(
        drifts.deny_deletes_only_on_weekdays,
        {"s3.bucket.deny_log_deletes": "no Deny stops account principals"},
        id="bucket-deny-conditional",
    ),
]


@pytest.mark.parametrize(("drift", "expected_failures"), DRIFTS)
def test_drift_fails_its_own_row_only(
    compliant_account: CompliantAccount,
    drift: Callable[[CompliantAccount], None],
    expected_failures: dict[str, str],
) -> None:
    drift(compliant_account)
    assert_only_these_rows_fail(compliant_account, expected_failures)


def test_a_break_glass_exemption_passes_and_is_named(compliant_account: CompliantAccount) -> None:
    drifts.exempt_an_admin_from_deletes(compliant_account, ADMIN)
    code, checks, _ = audit(compliant_account)
    assert code == 0
    row = next(check for check in checks if check.name == "s3.bucket.deny_log_deletes")
    assert row.actual == f"denied by DenyLogDeletion; exempt: {ADMIN}"


def test_the_guard_rows_name_what_they_found(compliant_account: CompliantAccount) -> None:
    rows = {check.name: check for check in audit(compliant_account)[1]}
    assert rows["events.tamper_rule"].actual == f"LoggingTamperRule notifies {compliant_account.topic_arn}"
    assert rows["sns.topic.subscriptions"].actual == "email:security@example.com"
    assert rows["cloudtrail.management_events"].resource == compliant_account.trail_arn
    assert rows["s3.bucket.deny_log_writes"].actual == (
        "denied by DenyLogWritesExceptBedrock; exempt: service bedrock.amazonaws.com"
    )


def test_a_topic_of_another_account_is_its_owners_to_check(compliant_account: CompliantAccount) -> None:
    central = "arn:aws:sns:us-east-1:999988887777:central-security"
    compliant_account.client("events").put_targets(
        Rule="LoggingTamperRule", Targets=[{"Id": "Central", "Arn": central}]
    )
    rows = [c for c in audit(compliant_account)[1] if c.name == "sns.topic.subscriptions"]
    assert [(c.resource, c.passed) for c in rows] == [(compliant_account.topic_arn, True), (central, True)]
    assert "account 999988887777" in rows[1].actual


# Each new read -> the rows that report it denied (alarms: the three metrics are read by the same call)
ALARM_ROWS = {f"cloudwatch.alarm.{metric}" for metric in DELIVERY_FAILURE_METRICS}
DENIABLE = {
    "before-call.events.ListRules": {"events.tamper_rule"},
    "before-call.events.TestEventPattern": {"events.tamper_rule"},
    "before-call.cloudwatch.DescribeAlarmsForMetric": ALARM_ROWS,
    "before-call.sns.ListSubscriptionsByTopic": {"sns.topic.subscriptions"},
    "before-call.cloudtrail.DescribeTrails": {"cloudtrail.management_events"},
    "before-call.s3.GetBucketPolicy": {"s3.bucket.deny_log_writes", "s3.bucket.deny_log_deletes"},
}


@pytest.mark.parametrize(("event", "rows"), DENIABLE.items(), ids=[e.rsplit(".", 1)[1] for e in DENIABLE])
def test_access_denied_is_a_fail_row(compliant_account: CompliantAccount, event: str, rows: set[str]) -> None:
    deny(compliant_account, event)
    assert_only_these_rows_fail(compliant_account, dict.fromkeys(rows, "AccessDenied"))


@pytest.mark.parametrize(
    ("selectors", "records"),
    [
        ({}, True),
        ({"EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": True}]}, True),
        ({"EventSelectors": [{"ReadWriteType": "WriteOnly"}]}, True),
        ({"EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": False}]}, False),
        ({"EventSelectors": [{"ExcludeManagementEventSources": ["bedrock.amazonaws.com"]}]}, False),
        (
            {"AdvancedEventSelectors": [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]},
            True,
        ),
        (
            {
                "AdvancedEventSelectors": [
                    {
                        "FieldSelectors": [
                            {"Field": "eventCategory", "Equals": ["Management"]},
                            {"Field": "readOnly", "Equals": ["true"]},
                        ]
                    }
                ]
            },
            False,
        ),
        (
            {
                "AdvancedEventSelectors": [
                    {
                        "FieldSelectors": [
                            {"Field": "eventCategory", "Equals": ["Management"]},
                            {"Field": "eventSource", "Equals": ["s3.amazonaws.com"]},
                        ]
                    }
                ]
            },
            False,
        ),
        ({"AdvancedEventSelectors": [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}]}]}, False),
    ],
    ids=[
        "default",
        "all",
        "write-only",
        "no-management",
        "bedrock-excluded",
        "advanced-management",
        "advanced-reads-only",
        "advanced-other-source",
        "advanced-data-only",
    ],
)
def test_which_selectors_record_bedrock_writes(selectors: dict[str, Any], records: bool) -> None:
    assert records_bedrock_writes(selectors)[0] is records


def test_a_deny_counts_only_on_every_log_object() -> None:
    objects = ["arn:aws:s3:::logs/invocation-logs/AWSLogs/x", "arn:aws:s3:::logs/large-payloads/AWSLogs/x"]
    deny_one_prefix = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:DeleteObjectVersion",
        "Resource": "arn:aws:s3:::logs/invocation-logs/*",
    }
    assert denying_statement([deny_one_prefix], "s3:DeleteObjectVersion", objects, allow_service=False) is None
    deny_all = {**deny_one_prefix, "Resource": "arn:aws:s3:::logs/*", "Action": "s3:Delete*", "Sid": "All"}
    assert denying_statement([deny_all], "s3:DeleteObjectVersion", objects, allow_service=False) == ("All", [])
    # A Deny of another principal than everyone protects nothing against the rest.
    only_one = {**deny_all, "Principal": {"AWS": ADMIN}}
    assert denying_statement([only_one], "s3:DeleteObjectVersion", objects, allow_service=False) is None
