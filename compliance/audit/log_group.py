"""Checks of the CloudWatch Logs group the configuration names: it exists, keeps logs long enough, is encrypted."""

from __future__ import annotations

from typing import Any

from compliance.audit.checks import Check
from compliance.aws import AwsError, Client, error_text


def find_log_group(logs: Client, name: str) -> dict[str, Any] | None:
    for page in logs.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=name):
        for group in page.get("logGroups", []):
            if group.get("logGroupName") == name:
                return dict(group)
    return None


def check_log_group(logs: Client, name: str, retention_days: int, region: str) -> list[Check]:
    try:
        group = find_log_group(logs, name)
    except AwsError as error:
        return [
            Check("logs.group.exists", region, name, "log group exists", f"cannot read: {error_text(error)}", False)
        ]
    if group is None:
        return [Check("logs.group.exists", region, name, "log group exists", "not found", False)]

    days = group.get("retentionInDays")
    expected = f"retentionInDays >= {retention_days}"
    if days is None:
        retention = Check(
            "logs.group.retention",
            region,
            name,
            expected,
            f"never expires (keeps logs longer than {retention_days} days; rolling expiry not set)",
            True,
        )
    else:
        passed = days >= retention_days
        note = "" if passed else f": logs deleted before {retention_days} days"
        retention = Check("logs.group.retention", region, name, expected, f"{days} days{note}", passed)

    key = group.get("kmsKeyId")
    encryption = Check(
        "logs.group.encryption",
        region,
        name,
        "kmsKeyId set (customer managed KMS key)",
        str(key) if key else "no kmsKeyId: CloudWatch Logs default encryption only",
        bool(key),
    )
    return [retention, encryption]
