"""The `organization_*` section: defaults, what each key accepts, and one line naming key, value and form otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from core.config import Amount, ConfigError
from tests.support.project import ARCHIVE_ACCOUNT, ARCHIVE_BUCKET_ARN, ARCHIVE_KEY_ARN, config_for


def test_defaults_configure_no_rollout() -> None:
    organization = config_for().organization
    assert not organization.enabled and organization.targets == ()
    assert (organization.call_as, organization.region_concurrency) == ("SELF", "PARALLEL")
    assert (organization.max_concurrent, organization.failure_tolerance) == (Amount(25, True), Amount(0, False))
    assert organization.concurrency_mode == "SOFT_FAILURE_TOLERANCE"
    assert organization.retain_stacks_on_removal is True
    assert (organization.member_access, organization.archive, organization.audit_principal) == (False, None, None)
    assert (organization.audit_role_name, organization.audit_workers) == ("ClaudeLoggingAudit", 16)


def test_targets_are_ous_or_the_root_from_json_or_the_command_line() -> None:
    assert config_for(organization_targets="ou-ab12-cd34ef56, r-ab12").organization.targets == (
        "ou-ab12-cd34ef56",
        "r-ab12",
    )
    assert config_for(organization_targets=["r-ab12"]).organization.enabled


@pytest.mark.parametrize(
    ("value", "expected"),
    [("25%", Amount(25, True)), ("100%", Amount(100, True)), (5, Amount(5, False)), ("3", Amount(3, False))],
)
def test_concurrency_is_a_count_or_a_percentage(value: Any, expected: Amount) -> None:
    assert config_for(organization_max_concurrent=value).organization.max_concurrent == expected
    assert str(expected) == (f"{expected.value}%" if expected.percentage else str(expected.value))


@pytest.mark.parametrize(
    ("key", "value", "form"),
    [
        ("organization_targets", ["ou-ab12"], "organizational unit IDs (ou-ab12-cd34ef56) or the root ID (r-ab12)"),
        ("organization_targets", ["111122223333"], "organizational unit IDs (ou-ab12-cd34ef56)"),
        ("organization_targets", ["r-ab12", "r-ab12"], "each organizational unit once"),
        ("organization_max_concurrent", "0%", "a number of accounts (at least 1) or a percentage"),
        ("organization_max_concurrent", "150%", "a percentage of them from 1% to 100%"),
        ("organization_failure_tolerance", "-1", "a number of accounts (at least 0)"),
        ("organization_failure_tolerance", True, "a number of accounts (at least 0)"),
        ("organization_call_as", "MANAGEMENT", "SELF, DELEGATED_ADMIN"),
        ("organization_id", "o-short", "an organization ID such as o-a1b2c3d4e5"),
        ("organization_audit_role_name", "a" * 65, "an IAM role name"),
        ("organization_audit_principal", "arn:aws:s3:::bucket", "the 12-digit account ID or the IAM role ARN"),
        ("organization_audit_workers", 65, "an integer from 1 to 64"),
    ],
)
def test_a_bad_value_is_one_line_naming_key_value_and_form(key: str, value: Any, form: str) -> None:
    with pytest.raises(ConfigError) as error:
        config_for(**{key: value})
    message = str(error.value)
    shown = value[0] if isinstance(value, list) and len(value) == 1 else value  # the item at fault
    assert message.startswith(f"{key}: {shown!r} is not valid; allowed: ")
    assert form in message and "\n" not in message


def test_the_archive_is_read_like_a_log_replica_under_its_own_keys() -> None:
    archive = config_for(
        organization_archive_bucket_arn=ARCHIVE_BUCKET_ARN,
        organization_archive_kms_key_arn=ARCHIVE_KEY_ARN,
        organization_archive_account=ARCHIVE_ACCOUNT,
    ).organization.archive
    assert archive is not None
    assert (archive.bucket_arn, archive.kms_key_arn, archive.account, archive.region) == (
        ARCHIVE_BUCKET_ARN,
        ARCHIVE_KEY_ARN,
        ARCHIVE_ACCOUNT,
        "eu-central-1",
    )
    # The same rules as log_replica_*, named by this section's keys.
    with pytest.raises(ConfigError, match=r"^organization_archive_kms_key_arn: '' is not valid; allowed: the ARN"):
        config_for(organization_archive_bucket_arn=ARCHIVE_BUCKET_ARN)
    with pytest.raises(
        ConfigError, match=r"^organization_archive_kms_key_arn: .* data residency: us-east-1, us-east-2"
    ):
        config_for(
            endpoint_scope="us",
            regions=["us-east-1"],
            organization_archive_bucket_arn=ARCHIVE_BUCKET_ARN,
            organization_archive_kms_key_arn=ARCHIVE_KEY_ARN,
        )
    # An archive owned by the StackSets administrator's account is allowed (unlike a log replica of `account`).
    assert config_for(
        account=ARCHIVE_ACCOUNT,
        organization_archive_bucket_arn=ARCHIVE_BUCKET_ARN,
        organization_archive_kms_key_arn=ARCHIVE_KEY_ARN,
        organization_archive_account=ARCHIVE_ACCOUNT,
    ).organization.archive
