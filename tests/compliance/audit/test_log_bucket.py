"""The audit of the log bucket: versioning, lifecycle (retention), default encryption and public access."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from compliance.audit import lifecycle_finding
from tests.support.fake_account import (
    ACCESS_DENIED,
    CompliantAccount,
    assert_only_these_rows_fail,
    deny,
    lifecycle_rules,
)


def remove_lifecycle(account: CompliantAccount) -> None:
    account.client("s3").delete_bucket_lifecycle(Bucket=account.bucket)


def expire_after_7_days(account: CompliantAccount) -> None:
    account.client("s3").put_bucket_lifecycle_configuration(
        Bucket=account.bucket, LifecycleConfiguration={"Rules": lifecycle_rules(7)}
    )


def add_rule_expiring_invocation_logs_after_1_day(account: CompliantAccount) -> None:
    rules = [*lifecycle_rules(30), {**lifecycle_rules(1)[0], "ID": "Cleanup", "Filter": {"Prefix": "invocation-logs/"}}]
    account.client("s3").put_bucket_lifecycle_configuration(
        Bucket=account.bucket, LifecycleConfiguration={"Rules": rules}
    )


def make_bucket_public(account: CompliantAccount) -> None:
    s3 = account.client("s3")
    s3.delete_public_access_block(Bucket=account.bucket)
    s3.put_bucket_policy(
        Bucket=account.bucket,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{account.bucket}/*",
                    }
                ],
            }
        ),
    )


def delete_public_access_block(account: CompliantAccount) -> None:
    account.client("s3").delete_public_access_block(Bucket=account.bucket)


def allow_public_policies(account: CompliantAccount) -> None:
    account.client("s3").put_public_access_block(
        Bucket=account.bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False,
        },
    )


def suspend_versioning(account: CompliantAccount) -> None:
    account.client("s3").put_bucket_versioning(Bucket=account.bucket, VersioningConfiguration={"Status": "Suspended"})


def encrypt_with(algorithm: str) -> Callable[[CompliantAccount], None]:
    """Default encryption with S3's key (AES256) or the AWS managed KMS key (aws:kms without a key ID)."""

    def change(account: CompliantAccount) -> None:
        account.client("s3").put_bucket_encryption(
            Bucket=account.bucket,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": algorithm}}]
            },
        )

    return change


def delete_bucket(account: CompliantAccount) -> None:
    s3 = account.client("s3")
    s3.delete_bucket_policy(Bucket=account.bucket)
    for version in s3.list_object_versions(Bucket=account.bucket).get("Versions", []):
        s3.delete_object(Bucket=account.bucket, Key=version["Key"], VersionId=version["VersionId"])
    s3.delete_bucket(Bucket=account.bucket)


DRIFTS = [
    pytest.param(
        remove_lifecycle, {"s3.bucket.lifecycle": "lifecycle removed: retention not enforced"}, id="lifecycle-removed"
    ),
    pytest.param(
        expire_after_7_days,
        {"s3.bucket.lifecycle": "rule ExpireAfterRetention expires logs after 7 days: deleted before 30 days"},
        id="lifecycle-7-days",
    ),
    pytest.param(
        add_rule_expiring_invocation_logs_after_1_day,
        {"s3.bucket.lifecycle": "rule Cleanup expires logs after 1 days"},
        id="lifecycle-extra-prefix-rule",
    ),
    pytest.param(
        make_bucket_public,
        {
            "s3.bucket.public_access_block": "no Public Access Block on the bucket",
            "s3.bucket.policy_public": "IsPublic=true",
            # The new policy replaced the one with the denies.
            "s3.bucket.deny_log_writes": "no Deny stops account principals from s3:PutObject",
            "s3.bucket.deny_log_deletes": "no Deny stops account principals from s3:DeleteObject",
        },
        id="bucket-made-public",
    ),
    pytest.param(
        delete_public_access_block,
        {"s3.bucket.public_access_block": "no Public Access Block on the bucket"},
        id="public-access-block-deleted",
    ),
    pytest.param(
        allow_public_policies,
        {"s3.bucket.public_access_block": "off: BlockPublicPolicy, RestrictPublicBuckets"},
        id="public-access-block-partly-off",
    ),
    pytest.param(suspend_versioning, {"s3.bucket.versioning": "Status=Suspended"}, id="versioning-suspended"),
    pytest.param(encrypt_with("AES256"), {"s3.bucket.encryption": "AES256 (not KMS)"}, id="sse-s3"),
    pytest.param(
        encrypt_with("aws:kms"),
        {"s3.bucket.encryption": "aws:kms with the AWS managed key aws/s3"},
        id="sse-kms-aws-managed-key",
    ),
    pytest.param(delete_bucket, {"s3.bucket.exists": "not found"}, id="bucket-deleted"),
]


@pytest.mark.parametrize(("drift", "expected_failures"), DRIFTS)
def test_drift_fails_its_own_row_only(
    compliant_account: CompliantAccount,
    drift: Callable[[CompliantAccount], None],
    expected_failures: dict[str, str],
) -> None:
    drift(compliant_account)
    assert_only_these_rows_fail(compliant_account, expected_failures)


# Each read of the bucket -> the row that reports its failure; the other reads still happen.
DENIABLE = {
    "before-call.s3.GetBucketVersioning": "s3.bucket.versioning",
    "before-call.s3.GetBucketLifecycleConfiguration": "s3.bucket.lifecycle",
    "before-call.s3.GetBucketEncryption": "s3.bucket.encryption",
    "before-call.s3.GetPublicAccessBlock": "s3.bucket.public_access_block",
    "before-call.s3.GetBucketPolicyStatus": "s3.bucket.policy_public",
}


@pytest.mark.parametrize(("event", "row"), DENIABLE.items(), ids=[e.rsplit(".", 1)[1] for e in DENIABLE])
def test_access_denied_is_a_fail_row_for_each_read(compliant_account: CompliantAccount, event: str, row: str) -> None:
    deny(compliant_account, event)
    assert_only_these_rows_fail(compliant_account, {row: ACCESS_DENIED})


@pytest.mark.parametrize(
    ("rules", "passed", "message"),
    [
        ([], False, "no enabled rule expires current objects under invocation-logs/, large-payloads/"),
        (lifecycle_rules(30), True, "after 30 days under invocation-logs/"),
        ([{**lifecycle_rules(30)[0], "Status": "Disabled"}], False, "retention not enforced"),
        ([{**lifecycle_rules(30)[0], "Filter": {"Prefix": "invocation-logs"}}], False, "under large-payloads/"),
        ([{"ID": "Old", "Prefix": "", "Status": "Enabled", "Expiration": {"Days": 60}}], True, "60 days"),
        ([*lifecycle_rules(30), {**lifecycle_rules(1)[0], "Filter": {"Prefix": "other/"}}], True, "30 days"),
        (
            [{**lifecycle_rules(30)[0], "Filter": {"Tag": {"Key": "keep", "Value": "no"}}}],
            False,
            "retention not enforced",
        ),
        (
            [{**lifecycle_rules(30)[0], "Expiration": {"Date": "2027-01-01T00:00:00Z"}}],
            False,
            "fixed date",
        ),
    ],
    ids=["none", "deployed", "disabled", "one-prefix", "legacy-prefix", "unrelated-prefix", "tag-filter", "date"],
)
def test_lifecycle_rules(rules: list[dict[str, Any]], passed: bool, message: str) -> None:
    result, actual = lifecycle_finding(rules, ["invocation-logs", "large-payloads"], 30)
    assert result is passed
    assert message in actual
