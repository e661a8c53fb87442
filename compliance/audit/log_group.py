"""Checks of the CloudWatch Logs group the configuration names: it exists, keeps logs long enough, is encrypted, and
holds the stream Bedrock writes to once it has logged a call.

Bedrock writes a Region's records to the stream `aws/bedrock/modelinvocations` of the group (the delivery role's
policy in "Monitor model invocation using CloudWatch Logs and Amazon S3",
https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html, names it). The stream appears with
the first logged call, so a missing stream is drift only when calls were logged: Bedrock writes every call to both
destinations, and log objects in the bucket under the configuration's prefix show there were some. An administrator
who deletes the stream deletes its records, and nothing else notices (issue 21, finding 4).
"""

from __future__ import annotations

from typing import Any

from compliance.audit.checks import Check
from compliance.aws import AwsError, Client, error_text
from core.invocation_logging.configuration import log_object_prefix

INVOCATION_LOG_STREAM = "aws/bedrock/modelinvocations"


def find_log_group(logs: Client, name: str) -> dict[str, Any] | None:
    for page in logs.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=name):
        for group in page.get("logGroups", []):
            if group.get("logGroupName") == name:
                return dict(group)
    return None


def check_log_group(
    logs: Client, name: str, retention_days: int, region: str
) -> tuple[list[Check], dict[str, Any] | None]:
    """The rows of the group, and the group as found (None when it is missing or cannot be read)."""
    try:
        group = find_log_group(logs, name)
    except AwsError as error:
        actual = f"cannot read: {error_text(error)}"
        return [Check("logs.group.exists", region, name, "log group exists", actual, False)], None
    if group is None:
        return [Check("logs.group.exists", region, name, "log group exists", "not found", False)], None

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
    return [retention, encryption], group


def _logged_calls(s3: Client, s3_destination: dict[str, Any], account: str) -> str | None:
    """The first log object's key under the configuration's S3 prefix, or None when there is none."""
    prefix = str(s3_destination.get("keyPrefix") or "").strip("/")
    under = log_object_prefix(prefix, account) if prefix else f"AWSLogs/{account}/BedrockModelInvocationLogs/"
    listed = s3.list_objects_v2(Bucket=s3_destination["bucketName"], Prefix=under, MaxKeys=1)
    return next((str(item["Key"]) for item in listed.get("Contents", [])), None)


def check_log_stream(
    logs: Client, s3: Client, name: str, s3_destination: dict[str, Any], account: str, region: str
) -> Check:
    """One row: the group holds Bedrock's stream, or no call has been logged yet (INFO)."""
    row, expected = "logs.group.stream", f"stream {INVOCATION_LOG_STREAM} exists once Bedrock has logged a call"
    try:
        streams = logs.describe_log_streams(logGroupName=name, logStreamNamePrefix=INVOCATION_LOG_STREAM)
    except AwsError as error:
        return Check(row, region, name, expected, f"cannot read: {error_text(error)}", False)
    stream = next((s for s in streams.get("logStreams", []) if s.get("logStreamName") == INVOCATION_LOG_STREAM), None)
    if stream is not None:
        return Check(row, region, name, expected, f"{INVOCATION_LOG_STREAM} exists", True)
    if not s3_destination.get("bucketName"):
        actual = "no stream, and no S3 destination to tell whether calls were logged"
        return Check(row, region, name, expected, actual, True, "WARN")
    try:
        logged = _logged_calls(s3, s3_destination, account)
    except AwsError as error:
        return Check(row, region, name, expected, f"no stream; the bucket cannot be read: {error_text(error)}", False)
    if logged is None:
        return Check(
            row, region, name, expected, "no stream yet: no call logged (nor any log object in S3)", True, "INFO"
        )
    actual = f"no stream, but s3://{s3_destination['bucketName']}/{logged} shows logged calls: the stream was deleted"
    return Check(row, region, name, expected, actual, False)
