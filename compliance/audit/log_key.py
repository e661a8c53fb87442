"""Checks of the KMS keys that encrypt the invocation logs: the log group's key and the log bucket's default key.

Per key: its state (`Enabled`: a disabled key, or one pending deletion, stops delivery and then every read of the
logs), automatic rotation (the stack turns it on), and who its policy lets decrypt. The stack's key policy
(stacks/invocation_logging/storage.py) names exactly: the account (the key's default statement, which hands the
key to IAM policies of this account), Bedrock's service principal, CloudWatch Logs of the Region, and, with a
replica, the role of the log bucket's replication configuration. Any other principal an Allow statement lets call
kms:Decrypt is an outside reader and FAILS: it reads every prompt and answer the logs hold, and no alarm hears a key
policy change made by an administrator.

A key is named by the log group (`kmsKeyId`) and by the bucket's default encryption (`KMSMasterKeyID`: an ID, ARN or
alias); DescribeKey resolves each to its ARN, so a key both use is checked once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from typing import Any

from compliance.audit.checks import Check
from compliance.aws import AwsError, Client, error_code, error_text
from core.catalog.scopes import partition_of

DECRYPT = "kms:decrypt"
BEDROCK = "bedrock.amazonaws.com"


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def decrypting_principals(policy: Mapping[str, Any] | str) -> list[str]:
    """`Kind:value` of every principal an Allow statement of a key policy lets call kms:Decrypt ('*' and NotPrincipal
    too; an account ID is written as its root ARN's equivalent `AWS:<id>`, as IAM accepts both)."""
    document = json.loads(policy) if isinstance(policy, str) else policy
    found: set[str] = set()
    for statement in _listed(document.get("Statement", [])):
        if statement.get("Effect") != "Allow":
            continue
        if "Action" in statement:
            decrypts = any(fnmatchcase(DECRYPT, str(a).lower()) for a in _listed(statement["Action"]))
        else:  # NotAction: every action it does not name
            decrypts = not any(fnmatchcase(DECRYPT, str(a).lower()) for a in _listed(statement.get("NotAction", [])))
        if not decrypts:
            continue
        if "NotPrincipal" in statement:
            found.add("NotPrincipal (everyone else)")
        principal = statement.get("Principal", {})
        if principal == "*":
            found.add("AWS:*")
            continue
        for kind, values in principal.items():
            found.update(f"{kind}:{value}" for value in _listed(values))
    return sorted(found)


def expected_readers(region: str, account: str, replication_roles: Iterable[str] = ()) -> set[str]:
    """The principals the stack's key policy lets decrypt (the account named either way IAM accepts)."""
    account_root = f"arn:{partition_of(region)}:iam::{account}:root"
    services = (BEDROCK, f"logs.{region}.amazonaws.com")
    return {f"AWS:{account_root}", f"AWS:{account}", *(f"Service:{s}" for s in services)} | {
        f"AWS:{role}" for role in replication_roles
    }


def replication_role(s3: Client, bucket: str) -> str | None:
    """The role the bucket's replication configuration names (None without one, or when it cannot be read: the
    readers row then names that role as an outside reader, which a reader of the table can tell apart)."""
    try:
        return str(s3.get_bucket_replication(Bucket=bucket)["ReplicationConfiguration"]["Role"])
    except AwsError:
        return None


def bucket_key(s3: Client, bucket: str) -> str | None:
    """The KMS key of the bucket's default encryption (None without one; the bucket rows report why)."""
    try:
        rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"].get("Rules") or [{}]
    except AwsError:
        return None
    key = (rules[0].get("ApplyServerSideEncryptionByDefault") or {}).get("KMSMasterKeyID")
    return str(key) if key else None


def _check_key(kms: Client, arn: str, region: str, readers: set[str]) -> list[Check]:
    try:
        rotation = bool(kms.get_key_rotation_status(KeyId=arn).get("KeyRotationEnabled"))
        policy = kms.get_key_policy(KeyId=arn, PolicyName="default")["Policy"]
    except AwsError as error:
        failed = f"cannot read: {error_text(error)}"
        return [Check("kms.key.rotation", region, arn, "automatic rotation enabled", failed, False)]
    found = decrypting_principals(policy)
    outside = [principal for principal in found if principal not in readers]
    expected = "kms:Decrypt only for the principals the stack's key policy names (account, Bedrock, CloudWatch Logs)"
    actual = f"outside readers: {', '.join(outside)}" if outside else f"kms:Decrypt: {', '.join(found)}"
    return [
        Check(
            "kms.key.rotation",
            region,
            arn,
            "automatic rotation enabled",
            "enabled" if rotation else "disabled",
            rotation,
        ),
        Check("kms.key.readers", region, arn, expected, actual, not outside),
    ]


def check_log_keys(
    kms: Client, keys: Iterable[str], region: str, account: str, replication_roles: Iterable[str] = ()
) -> list[Check]:
    """Rows per distinct key named: state, then rotation and readers (which need a key that can be described)."""
    readers = expected_readers(region, account, replication_roles)
    checks: list[Check] = []
    seen: set[str] = set()
    expected = "KeyState=Enabled, customer managed"
    for key in dict.fromkeys(keys):
        try:
            metadata = kms.describe_key(KeyId=key)["KeyMetadata"]
        except AwsError as error:
            actual = "not found" if error_code(error) == "NotFoundException" else f"cannot read: {error_text(error)}"
            checks.append(Check("kms.key.state", region, key, expected, actual, False))
            continue
        arn = str(metadata["Arn"])
        if arn in seen:
            continue
        seen.add(arn)
        state, manager = metadata.get("KeyState"), metadata.get("KeyManager")
        actual = f"KeyState={state}, {str(manager).lower()} managed"
        if state == "PendingDeletion" and metadata.get("DeletionDate"):
            actual += f", deleted on {metadata['DeletionDate']:%Y-%m-%d}: logs become unreadable"
        passed = state == "Enabled" and manager == "CUSTOMER"
        checks.append(Check("kms.key.state", region, arn, expected, actual, passed))
        checks += _check_key(kms, arn, region, readers)
    return checks
