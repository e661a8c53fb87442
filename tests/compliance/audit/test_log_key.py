"""The audit of the invocation log key: Enabled and customer managed, rotating, and kms:Decrypt only for the
principals the stack's key policy names; the stack's own key policy, as synthesized, passes the readers rule.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from compliance.audit.log_key import decrypting_principals, expected_readers
from tests.support.cfn_values import SAMPLE_ACCOUNT
from tests.support.fake_account import (
    ACCESS_DENIED,
    ACCOUNT,
    REGION,
    CompliantAccount,
    assert_only_these_rows_fail,
    audit,
    deny,
)
from tests.support.logical_ids import LOG_KEY, REPLICATION_ROLE
from tests.support.synth import Synth

OUTSIDE = "arn:aws:iam::444455556666:root"


def key_policy(account: CompliantAccount) -> dict[str, Any]:
    return dict(json.loads(account.client("kms").get_key_policy(KeyId=account.key_arn, PolicyName="default")["Policy"]))


def add_statement(statement: dict[str, Any]) -> Callable[[CompliantAccount], None]:
    def drift(account: CompliantAccount) -> None:
        policy = key_policy(account)
        policy["Statement"].append({"Effect": "Allow", "Resource": "*", **statement})
        account.client("kms").put_key_policy(KeyId=account.key_arn, PolicyName="default", Policy=json.dumps(policy))

    return drift


def key_id(account: CompliantAccount) -> str:
    return account.key_arn.rsplit("/", 1)[-1]  # moto's DisableKey and ScheduleKeyDeletion take the ID only


def disable_key(account: CompliantAccount) -> None:
    account.client("kms").disable_key(KeyId=key_id(account))


def schedule_deletion(account: CompliantAccount) -> None:
    account.client("kms").schedule_key_deletion(KeyId=key_id(account), PendingWindowInDays=7)


def stop_rotation(account: CompliantAccount) -> None:
    account.client("kms").disable_key_rotation(KeyId=account.key_arn)


DRIFTS = [
    pytest.param(disable_key, {"kms.key.state": "KeyState=Disabled"}, id="key-disabled"),
    pytest.param(schedule_deletion, {"kms.key.state": "KeyState=PendingDeletion"}, id="key-pending-deletion"),
    pytest.param(stop_rotation, {"kms.key.rotation": "disabled"}, id="rotation-off"),
    pytest.param(
        add_statement({"Principal": {"AWS": OUTSIDE}, "Action": "kms:Decrypt"}),
        {"kms.key.readers": f"outside readers: AWS:{OUTSIDE}"},
        id="another-account-reads",
    ),
    pytest.param(
        add_statement({"Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/analyst"}, "Action": "kms:*"}),
        {"kms.key.readers": f"outside readers: AWS:arn:aws:iam::{ACCOUNT}:role/analyst"},
        id="a-role-of-this-account-named-in-the-key-policy",
    ),
    pytest.param(
        add_statement({"Principal": "*", "Action": "kms:Decrypt*", "Condition": {"StringEquals": {"a": "b"}}}),
        {"kms.key.readers": "outside readers: AWS:*"},
        id="everyone-under-a-condition",
    ),
    pytest.param(
        add_statement({"Principal": {"AWS": OUTSIDE}, "NotAction": "kms:ScheduleKeyDeletion"}),
        {"kms.key.readers": f"outside readers: AWS:{OUTSIDE}"},
        id="not-action-grants-decrypt",
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


def test_a_reader_of_other_actions_only_is_not_a_reader(compliant_account: CompliantAccount) -> None:
    """An outside principal that may describe the key (not decrypt) reads no log."""
    add_statement({"Principal": {"AWS": OUTSIDE}, "Action": ["kms:DescribeKey", "kms:GetKeyPolicy"]})(compliant_account)
    assert audit(compliant_account)[0] == 0


def test_access_denied_is_a_fail_row(compliant_account: CompliantAccount) -> None:
    deny(compliant_account, "before-call.kms.DescribeKey")
    assert_only_these_rows_fail(compliant_account, {"kms.key.state": ACCESS_DENIED})


def test_the_readers_rule_reads_the_principals_not_the_statements() -> None:
    policy = {
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ["111122223333", OUTSIDE]}, "Action": "KMS:DECRYPT"},
            {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::999999999999:root"}, "Action": "kms:Decrypt"},
            {"Effect": "Allow", "Principal": {"Service": "logs.us-east-1.amazonaws.com"}, "Action": "kms:Encrypt*"},
            {"Effect": "Allow", "NotPrincipal": {"AWS": OUTSIDE}, "Action": "kms:*"},
        ]
    }
    # Action names are case-insensitive; a Deny and an Allow of other actions name no reader.
    assert decrypting_principals(json.dumps(policy)) == [
        "AWS:111122223333",
        f"AWS:{OUTSIDE}",
        "NotPrincipal (everyone else)",
    ]


def _synthesized_key_readers(synth: Synth, prefix: str) -> tuple[list[str], str, str]:
    values = synth.values(prefix)
    policy = values.resolve(synth.templates[synth.stack_name(prefix)]["Resources"][LOG_KEY]["Properties"]["KeyPolicy"])
    return decrypting_principals(policy), values.region, values.account


def test_the_stacks_key_policy_names_exactly_the_expected_readers(default_synth: Synth) -> None:
    found, region, account = _synthesized_key_readers(default_synth, "ClaudeInvocationLogging-")
    assert (region, account) == (REGION, SAMPLE_ACCOUNT)
    assert set(found) <= expected_readers(region, account)
    # Each reader the rule allows for the account is in the stack's policy (the account once, as its root ARN).
    assert set(found) == expected_readers(region, account) - {f"AWS:{account}"}


def test_with_a_replica_the_replication_role_is_an_expected_reader(every_option_synth: Synth) -> None:
    found, region, account = _synthesized_key_readers(every_option_synth, "ClaudeInvocationLogging-")
    role = every_option_synth.values("ClaudeInvocationLogging-").arn(REPLICATION_ROLE)
    assert f"AWS:{role}" in found
    assert not set(found) <= expected_readers(region, account)  # without the role: an outside reader
    assert set(found) <= expected_readers(region, account, [role])


def test_the_role_of_the_buckets_replication_is_an_expected_reader(compliant_account: CompliantAccount) -> None:
    """With a replica, the stack names the replication role in the key policy; the audit reads that role from the
    log bucket's replication configuration, so the role passes and any other still fails."""
    role = f"arn:aws:iam::{ACCOUNT}:role/claude-on-bedrock/LogReplicationRole"
    add_statement({"Principal": {"AWS": role}, "Action": "kms:Decrypt"})(compliant_account)
    assert audit(compliant_account)[0] == 1  # no replication yet: an outside reader
    s3 = compliant_account.client("s3")
    s3.create_bucket(Bucket="central-archive")
    s3.put_bucket_versioning(Bucket="central-archive", VersioningConfiguration={"Status": "Enabled"})
    rule = {"ID": "Logs", "Status": "Enabled", "Priority": 1, "Filter": {"Prefix": "invocation-logs/"}}
    rule |= {
        "Destination": {"Bucket": "arn:aws:s3:::central-archive"},
        "DeleteMarkerReplication": {"Status": "Disabled"},
    }
    s3.put_bucket_replication(Bucket=compliant_account.bucket, ReplicationConfiguration={"Role": role, "Rules": [rule]})
    assert audit(compliant_account)[0] == 0
