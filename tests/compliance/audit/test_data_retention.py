"""The data retention rows: the Region's mode as configured, and, when managed, the storage record of Anthropic's
models, against a fake account (moto has no data retention API: tests/support/fake_retention.py answers the reads,
checked against botocore's service model)."""

from __future__ import annotations

from typing import Any

from tests.support.fake_account import (
    ACCESS_DENIED,
    ACCOUNT,
    REGION,
    CompliantAccount,
    assert_only_these_rows_fail,
    audit,
    audit_config,
    deny,
    failing,
)

ACTIONS = {"put": "bedrock:PutStorageExample", "get": "bedrock:GetStorageExample"}
BUCKET_ARN = f"arn:aws:s3:::claude-retention-{ACCOUNT}-{REGION}-0b1c2d3e"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def rows(account: CompliantAccount, **context: Any) -> dict[str, Any]:
    _, checks, _ = audit(account, audit_config(**context))
    return {check.name: check for check in checks if check.name.startswith("bedrock.data_retention.")}


def test_the_configured_mode_passes(compliant_account: CompliantAccount) -> None:
    (mode,) = rows(compliant_account).values()
    assert (mode.expected, mode.actual, mode.passed) == ("mode=none", "mode=none", True)


def test_a_changed_mode_fails_its_row_alone(compliant_account: CompliantAccount) -> None:
    compliant_account.retention.mode = "provider_data_share"
    assert_only_these_rows_fail(compliant_account, {"bedrock.data_retention.mode": "mode=provider_data_share"})


def test_an_unmanaged_mode_is_reported_and_passes(compliant_account: CompliantAccount) -> None:
    compliant_account.retention.mode = "aws_review"
    (mode,) = rows(compliant_account, data_retention_mode="unmanaged").values()
    assert (mode.expected, mode.actual, mode.passed) == ("any mode (unmanaged)", "mode=aws_review", True)


def test_a_mode_the_audit_cannot_read_fails_with_the_error(compliant_account: CompliantAccount) -> None:
    deny(compliant_account, "before-call.bedrock.GetAccountDataRetention")
    assert_only_these_rows_fail(compliant_account, {"bedrock.data_retention.mode": ACCESS_DENIED})


def test_managed_storage_without_a_record_fails(compliant_account: CompliantAccount) -> None:
    found = rows(compliant_account, data_retention_storage="amazon_managed", data_retention_storage_actions=ACTIONS)
    storage = found["bedrock.data_retention.storage"]
    assert (storage.expected, storage.passed) == ("amazon_managed", False)
    assert storage.actual == "no storage record: Bedrock's default storage applies"
    assert found["bedrock.data_retention.mode"].passed


def test_customer_managed_storage_passes_only_with_its_destination_active(compliant_account: CompliantAccount) -> None:
    context = {"data_retention_storage": "customer_managed", "data_retention_storage_actions": ACTIONS}
    compliant_account.retention.customer_managed(BUCKET_ARN, KEY_ARN, ACCOUNT)
    storage = rows(compliant_account, **context)["bedrock.data_retention.storage"]
    assert (storage.expected, storage.actual, storage.passed) == (
        "customer_managed with bucket and key active",
        "customer_managed, s3BucketStatus=active, kmsKeyStatus=active",
        True,
    )
    # Bedrock lost access to the bucket and key (a policy was changed): the row fails with Bedrock's word for it.
    compliant_account.retention.customer_managed(BUCKET_ARN, KEY_ARN, ACCOUNT, status="access_denied")
    storage = rows(compliant_account, **context)["bedrock.data_retention.storage"]
    assert not storage.passed and "s3BucketStatus=access_denied" in storage.actual
    # Someone registered Amazon-managed storage instead.
    compliant_account.retention.storage["anthropic"] = {"storageDestination": "amazon_managed"}
    _, checks, _ = audit(compliant_account, audit_config(**context))
    assert set(failing(checks)) == {"bedrock.data_retention.storage"}
    assert failing(checks)["bedrock.data_retention.storage"].actual == "amazon_managed"
