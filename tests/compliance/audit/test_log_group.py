"""The audit of the invocation log group: it exists, keeps logs at least the configured days, is KMS-encrypted, and
holds Bedrock's stream once a call was logged."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support.fake_account import (
    ACCESS_DENIED,
    INVOCATION_LOG_STREAM,
    CompliantAccount,
    assert_only_these_rows_fail,
    audit,
    deny,
    failing,
)


def lower_retention(account: CompliantAccount) -> None:
    account.client("logs").put_retention_policy(logGroupName=account.log_group, retentionInDays=7)


def recreate_log_group_without_key(account: CompliantAccount) -> None:
    """The group deleted and made again without a key; Bedrock's next delivery made its stream again."""
    logs = account.client("logs")
    logs.delete_log_group(logGroupName=account.log_group)
    logs.create_log_group(logGroupName=account.log_group)
    logs.put_retention_policy(logGroupName=account.log_group, retentionInDays=30)
    logs.create_log_stream(logGroupName=account.log_group, logStreamName=INVOCATION_LOG_STREAM)


def delete_log_group(account: CompliantAccount) -> None:
    account.client("logs").delete_log_group(logGroupName=account.log_group)


DRIFTS = [
    pytest.param(lower_retention, {"logs.group.retention": "7 days: logs deleted before 30 days"}, id="retention-7"),
    pytest.param(recreate_log_group_without_key, {"logs.group.encryption": "no kmsKeyId"}, id="log-group-no-key"),
    pytest.param(delete_log_group, {"logs.group.exists": "not found"}, id="log-group-deleted"),
]


@pytest.mark.parametrize(("drift", "expected_failures"), DRIFTS)
def test_drift_fails_its_own_row_only(
    compliant_account: CompliantAccount,
    drift: Callable[[CompliantAccount], None],
    expected_failures: dict[str, str],
) -> None:
    drift(compliant_account)
    assert_only_these_rows_fail(compliant_account, expected_failures)


def test_log_group_that_never_expires_keeps_longer_and_passes_with_a_note(compliant_account: CompliantAccount) -> None:
    compliant_account.client("logs").delete_retention_policy(logGroupName=compliant_account.log_group)
    code, checks, _ = audit(compliant_account)
    assert code == 0
    row = next(check for check in checks if check.name == "logs.group.retention")
    assert row.passed and row.actual.startswith("never expires")


def test_access_denied_is_a_fail_row(compliant_account: CompliantAccount) -> None:
    deny(compliant_account, "before-call.cloudwatch-logs.DescribeLogGroups")
    assert_only_these_rows_fail(compliant_account, {"logs.group.exists": ACCESS_DENIED})


def delete_stream(account: CompliantAccount) -> None:
    account.client("logs").delete_log_stream(logGroupName=account.log_group, logStreamName=INVOCATION_LOG_STREAM)


def test_a_deleted_stream_fails_when_the_bucket_shows_logged_calls(compliant_account: CompliantAccount) -> None:
    delete_stream(compliant_account)
    assert_only_these_rows_fail(
        compliant_account,
        {"logs.group.stream": "shows logged calls: the stream was deleted"},
    )


def before_the_first_call(account: CompliantAccount) -> None:
    """No stream, no log object (and no bucket policy, whose delete deny is in the way: its rows fail, not this one)."""
    delete_stream(account)
    s3 = account.client("s3")
    s3.delete_bucket_policy(Bucket=account.bucket)
    for version in s3.list_object_versions(Bucket=account.bucket).get("Versions", []):
        s3.delete_object(Bucket=account.bucket, Key=version["Key"], VersionId=version["VersionId"])


def test_before_the_first_call_a_missing_stream_is_info(compliant_account: CompliantAccount) -> None:
    """No stream and no log object: Bedrock has logged nothing yet, nothing is missing."""
    before_the_first_call(compliant_account)
    _, checks, output = audit(compliant_account)
    row = next(check for check in checks if check.name == "logs.group.stream")
    assert (row.passed, row.result) == (True, "INFO")
    assert row.actual == "no stream yet: no call logged (nor any log object in S3)"
    assert "logs.group.stream" not in failing(checks) and " INFO" in output


def test_a_log_object_of_another_account_is_no_evidence(compliant_account: CompliantAccount) -> None:
    """Only objects under the account's own prefix count (Bedrock writes AWSLogs/<account>/...)."""
    before_the_first_call(compliant_account)
    s3 = compliant_account.client("s3")
    other = "invocation-logs/AWSLogs/444455556666/BedrockModelInvocationLogs/us-east-1/record.json.gz"
    s3.put_object(Bucket=compliant_account.bucket, Key=other, Body=b"{}")
    row = next(check for check in audit(compliant_account)[1] if check.name == "logs.group.stream")
    assert row.result == "INFO"


def test_a_stream_that_cannot_be_read_is_a_fail_row(compliant_account: CompliantAccount) -> None:
    deny(compliant_account, "before-call.cloudwatch-logs.DescribeLogStreams")
    assert_only_these_rows_fail(compliant_account, {"logs.group.stream": ACCESS_DENIED})
