"""The whole audit against a moto account built the way the invocation-logging stack deploys it.

A compliant account passes every row, in a fixed order; each drift fails its own row only (one file per audit
module: test_logging_configuration.py, test_log_group.py, test_delivery_role.py, test_log_bucket.py). Here: the
table, the Regions, the account, and what several modules decide together. Nothing reaches AWS.
"""

from __future__ import annotations

import pytest

from compliance.audit.run import run, run_audit
from tests.support.commands import flags, printed, settings_of
from tests.support.fake_account import (
    ACCESS_DENIED,
    ACCOUNT,
    OTHER_CONFIGURED_REGION,
    OTHER_REGION,
    REGION,
    CompliantAccount,
    assert_only_these_rows_fail,
    audit,
    audit_config,
    deny,
    failing,
    lifecycle_rules,
)

# The rows of what guards the logging, after those of the logging itself.
GUARD_ROWS = [
    "events.tamper_rule",
    "cloudwatch.alarm.ModelInvocationLogsCloudWatchDeliveryFailure",
    "cloudwatch.alarm.ModelInvocationLogsS3DeliveryFailure",
    "cloudwatch.alarm.ModelInvocationLargeDataS3DeliveryFailure",
    "sns.topic.subscriptions",
    "cloudtrail.management_events",
]
# The account-wide rows, once after every Region's: the enabled Regions, the one outside `regions` where Bedrock can
# be called (logging configured there by someone else), the Bedrock API keys.
ACCOUNT_ROWS = ["account.regions", "bedrock.region.logging", "iam.bedrock_api_keys"]
# The rows of the Region's data retention (compliance/audit/data_retention.py): storage is unmanaged by default.
RETENTION_ROWS = ["bedrock.data_retention.mode"]
# Every row of a compliant Region, in order: the shape of the table is part of the contract.
COMPLIANT_ROWS = [
    "bedrock.logging.configured",
    "bedrock.logging.s3",
    "bedrock.logging.cloudwatch",
    "bedrock.logging.large_data",
    "bedrock.logging.data.text",
    "bedrock.logging.data.image",
    "bedrock.logging.data.embedding",
    "bedrock.logging.data.video",
    "bedrock.logging.data.audio",
    "logs.group.retention",
    "logs.group.encryption",
    "logs.group.stream",
    "iam.role.trust",
    "s3.bucket.versioning",
    "s3.bucket.lifecycle",
    "s3.bucket.encryption",
    "s3.bucket.public_access_block",
    "s3.bucket.policy_public",
    "s3.bucket.deny_log_writes",
    "s3.bucket.deny_log_deletes",
    "kms.key.state",
    "kms.key.rotation",
    "kms.key.readers",
    *RETENTION_ROWS,
    *GUARD_ROWS,
    *ACCOUNT_ROWS,
]


def test_compliant_account_passes_every_check(compliant_account: CompliantAccount) -> None:
    code, checks, output = audit(compliant_account)

    assert code == 0
    assert [check.name for check in checks] == COMPLIANT_ROWS
    assert failing(checks) == {}
    assert output.splitlines()[0].split() == ["CHECK", "REGION", "RESOURCE", "EXPECTED", "ACTUAL", "RESULT"]
    assert output.count(" PASS") == len(COMPLIANT_ROWS)
    assert "FAIL" not in output
    assert f"{len(COMPLIANT_ROWS)} checks, 0 failed: no drift" in output


def test_rows_name_the_resources_they_read(compliant_account: CompliantAccount) -> None:
    rows = {check.name: check for check in run_audit(audit_config(), compliant_account.session)}
    assert rows["logs.group.retention"].resource == compliant_account.log_group
    assert rows["logs.group.encryption"].actual == compliant_account.key_arn
    assert rows["iam.role.trust"].resource == compliant_account.role_arn
    assert rows["s3.bucket.encryption"].actual == f"aws:kms with {compliant_account.key_arn}"
    assert rows["s3.bucket.lifecycle"].actual == (
        "current objects expire after 30 days under invocation-logs/, 30 days under large-payloads/"
    )


def test_deleted_logging_configuration_fails_the_region_alone(compliant_account: CompliantAccount) -> None:
    compliant_account.client("bedrock").delete_model_invocation_logging_configuration()
    assert_only_these_rows_fail(compliant_account, {"bedrock.logging.configured": "not configured"})
    _, checks, _ = audit(compliant_account)
    # Nothing further to follow from the configuration; what guards it is still checked, and the account.
    assert [check.name for check in checks] == [
        "bedrock.logging.configured",
        *RETENTION_ROWS,
        *GUARD_ROWS,
        *ACCOUNT_ROWS,
    ]


def test_region_without_logging_configuration_fails_with_a_clear_message(compliant_account: CompliantAccount) -> None:
    code, checks, output = audit(compliant_account, audit_config(regions=[REGION, OTHER_REGION]))

    assert code == 1
    other = {check.name: check for check in checks if check.region == OTHER_REGION}
    assert other["bedrock.logging.configured"].actual.startswith(
        "not configured: Bedrock records no invocations in this Region"
    )
    # Nothing is deployed there: no rule, no alarms, no topic, the mode left at inherit; the multi-Region trail
    # covers it.
    assert [name for name, check in other.items() if check.passed] == ["cloudtrail.management_events"]
    assert other["bedrock.data_retention.mode"].actual == "mode=inherit"
    assert list(other) == ["bedrock.logging.configured", *RETENTION_ROWS, *GUARD_ROWS]
    assert all(check.passed for check in checks if check.region == REGION)
    assert f"{len(GUARD_ROWS) + len(RETENTION_ROWS)} failed: drift found" in output


def test_access_denied_to_bedrock_fails_the_region(compliant_account: CompliantAccount) -> None:
    deny(compliant_account, "before-call.bedrock.GetModelInvocationLoggingConfiguration")
    code, checks, output = audit(compliant_account)
    assert code == 1
    # Refused in every Region, by an identity policy (the message names no SCP): FAIL, there and outside `regions`.
    assert [(c.name, c.region, c.actual) for c in checks if not c.passed] == [
        ("bedrock.logging.configured", REGION, ACCESS_DENIED),
        ("bedrock.region.logging", OTHER_CONFIGURED_REGION, ACCESS_DENIED),
    ]
    assert [c.name for c in checks] == ["bedrock.logging.configured", *RETENTION_ROWS, *GUARD_ROWS, *ACCOUNT_ROWS]
    assert "Traceback" not in output


def test_longer_retention_than_configured_passes(compliant_account: CompliantAccount) -> None:
    compliant_account.client("s3").put_bucket_lifecycle_configuration(
        Bucket=compliant_account.bucket, LifecycleConfiguration={"Rules": lifecycle_rules(90)}
    )
    compliant_account.client("logs").put_retention_policy(logGroupName=compliant_account.log_group, retentionInDays=90)
    assert audit(compliant_account)[0] == 0


def test_configured_retention_of_90_days_fails_a_30_day_account(compliant_account: CompliantAccount) -> None:
    code, checks, _ = audit(compliant_account, audit_config(log_retention_days=90))
    assert code == 1
    assert set(failing(checks)) == {"logs.group.retention", "s3.bucket.lifecycle"}


def test_credentials_of_another_account_audit_nothing(compliant_account: CompliantAccount) -> None:
    code, checks, _ = audit(compliant_account, audit_config(account="111111111111"))
    assert code == 1
    assert [(c.name, c.passed) for c in checks] == [("sts.account", False)]
    assert f"account {ACCOUNT} (credentials of another account" in checks[0].actual


def test_configured_account_matching_the_credentials_passes(compliant_account: CompliantAccount) -> None:
    code, checks, _ = audit(compliant_account, audit_config(account=ACCOUNT))
    assert code == 0
    assert checks[0].name == "sts.account" and checks[0].passed


def test_missing_profile_is_a_message_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    code, out, err = printed(run, settings_of(audit_config()), flags())
    assert (code, out) == (3, "")  # could not run: not the code of drift
    assert (
        err == "Cannot start an AWS session: ProfileNotFound: The config profile (no-such-profile) could not be found\n"
    )
