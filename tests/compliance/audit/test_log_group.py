"""The audit of the invocation log group: it exists, keeps logs at least the configured days, is KMS-encrypted."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support.fake_account import (
    ACCESS_DENIED,
    CompliantAccount,
    assert_only_these_rows_fail,
    audit,
    deny,
)


def lower_retention(account: CompliantAccount) -> None:
    account.client("logs").put_retention_policy(logGroupName=account.log_group, retentionInDays=7)


def recreate_log_group_without_key(account: CompliantAccount) -> None:
    logs = account.client("logs")
    logs.delete_log_group(logGroupName=account.log_group)
    logs.create_log_group(logGroupName=account.log_group)
    logs.put_retention_policy(logGroupName=account.log_group, retentionInDays=30)


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
