"""The whole audit: every check of every configured Region, printed as one table."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any, TextIO

import boto3
from botocore.exceptions import BotoCoreError

from compliance.audit.checks import AwsError, Check, client, error_text
from compliance.audit.delivery_role import check_delivery_role
from compliance.audit.log_bucket import check_bucket
from compliance.audit.log_group import check_log_group
from compliance.audit.logging_configuration import (
    LOGGING_RESOURCE,
    check_delivery_flags,
    check_destinations,
    log_buckets,
)
from core.config import AppConfig

HEADER = ("CHECK", "REGION", "RESOURCE", "EXPECTED", "ACTUAL", "RESULT")


def audit_region(config: AppConfig, session: Any, region: str) -> list[Check]:
    """Every check of one Region; without a logging configuration there is nothing to follow, so one FAIL row."""
    name, expected = "bedrock.logging.configured", "configured"
    try:
        response = client(session, "bedrock", region).get_model_invocation_logging_configuration()
    except AwsError as error:
        return [Check(name, region, LOGGING_RESOURCE, expected, f"cannot read: {error_text(error)}", False)]
    logging = response.get("loggingConfig") or {}
    if not logging:
        actual = "not configured: Bedrock records no invocations in this Region (nothing further to audit)"
        return [Check(name, region, LOGGING_RESOURCE, expected, actual, False)]

    checks = [Check(name, region, LOGGING_RESOURCE, expected, "configured", True)]
    checks += check_destinations(logging, region)
    checks += check_delivery_flags(logging, config.logging.data, region)
    cloudwatch = logging.get("cloudWatchConfig") or {}
    if cloudwatch.get("logGroupName"):
        logs = client(session, "logs", region)
        checks += check_log_group(logs, cloudwatch["logGroupName"], config.logging.retention_days, region)
    if cloudwatch.get("roleArn"):
        checks += check_delivery_role(client(session, "iam", region), cloudwatch["roleArn"], region)
    s3 = client(session, "s3", region)
    for bucket, prefixes in log_buckets(logging).items():
        checks += check_bucket(s3, bucket, prefixes, config.logging.retention_days, region)
    return checks


def check_account(config: AppConfig, session: Any) -> Check | None:
    """With `account` configured, the credentials must belong to it (sts:GetCallerIdentity needs no permission)."""
    if not config.account:
        return None
    region = config.regions[0]
    expected = f"account {config.account}"
    try:
        actual = str(client(session, "sts", region).get_caller_identity()["Account"])
    except AwsError as error:
        return Check("sts.account", region, "caller identity", expected, f"cannot read: {error_text(error)}", False)
    passed = actual == config.account
    note = "" if passed else " (credentials of another account: nothing audited)"
    return Check("sts.account", region, "caller identity", expected, f"account {actual}{note}", passed)


def run_audit(config: AppConfig, session: Any) -> list[Check]:
    """All checks for every configured Region, read with `session` (a boto3.Session)."""
    account = check_account(config, session)
    if account is not None and not account.passed:
        return [account]
    checks = [account] if account is not None else []
    for region in config.regions:
        checks += audit_region(config, session, region)
    return checks


def render_table(checks: Iterable[Check]) -> str:
    rows = [HEADER, *((c.name, c.region, c.resource, c.expected, c.actual, c.result) for c in checks)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines) + "\n"


def main(config: AppConfig, session: Any = None, out: TextIO = sys.stdout) -> int:
    """Print the table of checks; 0 when every check passes, 1 on any drift or unreadable resource."""
    if session is None:
        try:
            session = boto3.Session()
        except BotoCoreError as error:  # e.g. AWS_PROFILE names a profile that does not exist
            out.write(f"Cannot start an AWS session: {error_text(error)}\n")
            return 1
    checks = run_audit(config, session)
    out.write(render_table(checks))
    failed = sum(not check.passed for check in checks)
    out.write(f"\n{len(checks)} checks, {failed} failed: {'drift found' if failed else 'no drift'}\n")
    return 1 if failed else 0
