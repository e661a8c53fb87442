"""Configuration section `log_*`: how long invocation logs are kept, what they hold, where copies go, and how the
logging is guarded (the continuous audit `log_audit_*`, the break-glass principal of the log bucket)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.catalog.scopes import partition_of
from core.config.values import ACCOUNT, ROLE_OR_USER_ARN, as_bool, as_choice, as_int, as_list, as_optional_text, fail
from core.invocation_logging.configuration import LOG_DATA_KINDS
from core.invocation_logging.retention import (
    LOG_RETENTION_CHOICES,
    MIN_LOG_RETENTION_DAYS,
    OBJECT_LOCK_MODES,
    REMOVAL_POLICIES,
)

DEFAULTS: dict[str, Any] = {
    "log_retention_days": 30,
    "log_data": ["text", "image"],
    "log_object_lock": "governance",
    "log_object_lock_days": 30,
    "log_removal_policy": "retain",
    "log_keep_configuration_on_delete": True,
    "log_replica_bucket_arn": None,
    "log_replica_kms_key_arn": None,
    "log_replica_account": None,
    "log_break_glass_principal": None,
    "log_audit_schedule_hours": 1,
    "log_audit_self_repair": False,
}

# A general purpose bucket ARN (`arn:<partition>:s3:::<name>`) and a KMS key ARN (not an alias: IAM needs the key).
_S3_BUCKET_ARN = re.compile(r"^arn:(aws[a-z-]*):s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$")
_KMS_KEY_ARN = re.compile(r"^arn:(aws[a-z-]*):kms:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):key/[A-Za-z0-9-]+$")


@dataclass(frozen=True)
class LogReplica:
    """A bucket the user owns (another Region or account) that S3 replicates both log prefixes to."""

    bucket_arn: str
    kms_key_arn: str
    account: str | None

    @property
    def region(self) -> str:
        """Region of the replica bucket, read from its KMS key's ARN (S3 requires the key in the bucket's Region)."""
        return self.kms_key_arn.split(":")[3]


@dataclass(frozen=True)
class LoggingConfig:
    """The invocation logging stack of every Region."""

    retention_days: int
    data: tuple[str, ...]
    object_lock: str
    object_lock_days: int
    removal_policy: str
    keep_configuration_on_delete: bool
    replica: LogReplica | None
    # The one IAM role or user the log bucket policy still lets delete log objects (None: nobody).
    break_glass_principal: str | None
    # Hours between runs of the continuous audit in the account (0: no scheduled audit).
    audit_schedule_hours: int
    # The continuous audit puts the configured logging configuration back when it finds it deleted or changed.
    audit_self_repair: bool


def parse_logging(
    raw: Mapping[str, Any], *, account: str | None, residency: tuple[str, ...] | None, regions: tuple[str, ...]
) -> LoggingConfig:
    retention = as_int("log_retention_days", raw["log_retention_days"], MIN_LOG_RETENTION_DAYS, 3653)
    if retention not in LOG_RETENTION_CHOICES:
        raise fail("log_retention_days", raw["log_retention_days"], ", ".join(map(str, LOG_RETENTION_CHOICES)))
    data = tuple(
        dict.fromkeys(as_choice("log_data", kind, LOG_DATA_KINDS) for kind in as_list("log_data", raw["log_data"]))
    )
    if not data:
        raise fail("log_data", raw["log_data"], f"one or more of {', '.join(LOG_DATA_KINDS)}")
    return LoggingConfig(
        retention_days=retention,
        data=data,
        object_lock=as_choice("log_object_lock", raw["log_object_lock"], OBJECT_LOCK_MODES),
        object_lock_days=as_int("log_object_lock_days", raw["log_object_lock_days"], 1, 36500),
        removal_policy=as_choice("log_removal_policy", raw["log_removal_policy"], REMOVAL_POLICIES),
        keep_configuration_on_delete=as_bool(
            "log_keep_configuration_on_delete", raw["log_keep_configuration_on_delete"]
        ),
        replica=parse_replica(raw, REPLICA_KEYS, account=account, residency=residency, regions=regions),
        break_glass_principal=as_optional_text(
            "log_break_glass_principal",
            raw["log_break_glass_principal"],
            ROLE_OR_USER_ARN,
            "an IAM role or user ARN such as arn:aws:iam::111122223333:role/LogBreakGlass, or unset (nobody)",
        ),
        audit_schedule_hours=as_int("log_audit_schedule_hours", raw["log_audit_schedule_hours"], 0, 24),
        audit_self_repair=_self_repair(raw),
    )


def _self_repair(raw: Mapping[str, Any]) -> bool:
    repair = as_bool("log_audit_self_repair", raw["log_audit_self_repair"])
    if repair and str(raw["log_audit_schedule_hours"]).strip() == "0":
        raise fail("log_audit_self_repair", raw["log_audit_self_repair"], "false while log_audit_schedule_hours is 0")
    return repair


# The keys of a replica: its bucket ARN, its KMS key ARN and, when another account owns it, that account.
REPLICA_KEYS = ("log_replica_bucket_arn", "log_replica_kms_key_arn", "log_replica_account")


def parse_replica(
    raw: Mapping[str, Any],
    keys: tuple[str, str, str],
    *,
    account: str | None,
    residency: tuple[str, ...] | None,
    regions: tuple[str, ...],
) -> LogReplica | None:
    """A replica bucket from its three keys (`keys`: bucket ARN, KMS key ARN, account), or None when unset.
    `residency`: the Regions the copy may be kept in (`core.catalog.lookup.routed_regions`), None for the global scope.

    Shared by `log_replica_*` and the organization's central archive (`organization_archive_*`)."""
    bucket_key, key_key, account_key = keys
    bucket = as_optional_text(
        bucket_key, raw[bucket_key], _S3_BUCKET_ARN, "an S3 bucket ARN such as arn:aws:s3:::my-log-archive, or unset"
    )
    key = as_optional_text(
        key_key,
        raw[key_key],
        _KMS_KEY_ARN,
        "a KMS key ARN such as arn:aws:kms:eu-central-1:111122223333:key/<key-id> (not an alias), or unset",
    )
    replica_account = as_optional_text(account_key, raw[account_key], ACCOUNT, "a 12-digit AWS account ID, or unset")
    if bucket is None:
        for name, value in ((key_key, key), (account_key, replica_account)):
            if value is not None:
                raise fail(name, value, f"unset when {bucket_key} is unset (replication is off)")
        return None
    if key is None:
        raise fail(
            key_key,
            raw[key_key],
            f"the ARN of the replica bucket's KMS key, required with {bucket_key} (the logs are SSE-KMS)",
        )
    partition = partition_of(regions[0])
    bucket_match, key_match = _S3_BUCKET_ARN.match(bucket), _KMS_KEY_ARN.match(key)
    assert bucket_match and key_match
    if bucket_match.group(1) != partition:
        raise fail(bucket_key, bucket, f"a bucket ARN in the partition of regions ({partition})")
    if key_match.group(1) != partition:
        raise fail(key_key, key, f"a key ARN in the partition of regions ({partition})")
    key_region = key_match.group(2)
    if residency is not None and key_region not in residency:
        raise fail(
            key_key,
            key,
            "a key (and bucket) in a Region the configured models' calls may be served in, so the copy keeps data "
            "residency: " + ", ".join(residency),
        )
    if replica_account is not None and replica_account == account:
        raise fail(
            account_key,
            replica_account,
            "an account other than `account` (replicas in this account are owned by it already), or unset",
        )
    if replica_account is not None and key_match.group(3) != replica_account:
        raise fail(key_key, key, f"a key of the replica account {replica_account}, like its bucket")
    return LogReplica(bucket_arn=bucket, kms_key_arn=key, account=replica_account)
