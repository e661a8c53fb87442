"""Read-only audit of a live account: is Bedrock invocation logging still what the configuration asks for?

    python app.py audit        (uses the caller's AWS credentials; needs only compliance/audit_policy.json)

For each configured Region the audit reads the model invocation logging configuration and follows it to the
S3 bucket, the CloudWatch Logs group and the delivery role it names, then compares what it finds with
`AppConfig`. Every finding is one `Check` row; an AWS error (AccessDenied, a missing resource) is a FAIL row
with the error code and message, never a traceback. Nothing is written, created or changed.

Rules decided here (the README's "Audit a deployed account" section repeats them):
- Delivery flags must equal `log_data` exactly: a configured kind on, every other kind off (more data logged
  than configured, e.g. images, is drift too).
- Log group retention must be at least `log_retention_days`. A group without retention never expires: it keeps
  logs longer than asked, so it passes, and the row says so.
- The log bucket needs an enabled lifecycle rule that expires current objects under each log prefix after at
  least `log_retention_days`. No lifecycle at all fails ("lifecycle removed: retention not enforced"), as does
  any enabled rule that expires logs earlier or on a fixed date.
- Encryption: the log group has a KMS key; the bucket's default encryption is SSE-KMS with a customer managed
  key. Public access: all four bucket-level Public Access Block settings on, and S3 does not rate the bucket
  policy public. Versioning: Enabled.
- The delivery role exists and its trust policy allows bedrock.amazonaws.com and no other principal.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO
from urllib.parse import unquote

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from stacks.config import DELIVERY_FLAGS, AppConfig

BEDROCK = "bedrock.amazonaws.com"
# `log_data` kind -> field of Bedrock's LoggingConfig. Same table as stacks/invocation_logging/construct.py,
# repeated so that the audit does not import aws_cdk (and jsii) to read a live account.
PUBLIC_ACCESS_BLOCK_SETTINGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")
AWS_MANAGED_S3_KEY = "alias/aws/s3"
LOGGING_RESOURCE = "model invocation logging"
HEADER = ("CHECK", "REGION", "RESOURCE", "EXPECTED", "ACTUAL", "RESULT")
# Read-only calls: a few standard retries for throttling, and no hanging on an unreachable endpoint.
CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=10, read_timeout=30)

AwsError = (ClientError, BotoCoreError)


@dataclass(frozen=True)
class Check:
    """One row of the audit: what was expected of one resource, what was found, and whether they agree."""

    name: str
    region: str
    resource: str
    expected: str
    actual: str
    passed: bool

    @property
    def result(self) -> str:
        return "PASS" if self.passed else "FAIL"


def error_text(error: Exception) -> str:
    """`Code: message` of an AWS error, for the ACTUAL column."""
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        code = details.get("Code") or "Error"
        message = details.get("Message") or ""
        return f"{code}: {message}" if message else code
    return f"{type(error).__name__}: {error}"


def error_code(error: Exception) -> str:
    return str(error.response.get("Error", {}).get("Code", "")) if isinstance(error, ClientError) else ""


def _client(session: Any, service: str, region: str) -> Any:
    return session.client(service, region_name=region, config=CLIENT_CONFIG)


# --- Bedrock model invocation logging ------------------------------------------------------------------------


def check_destinations(logging: Mapping[str, Any], region: str) -> list[Check]:
    """The configuration names a bucket and prefix, a log group and role, and a bucket for large payloads."""
    s3 = logging.get("s3Config") or {}
    cloudwatch = logging.get("cloudWatchConfig") or {}
    large = cloudwatch.get("largeDataDeliveryS3Config") or {}

    def row(name: str, expected: str, values: Mapping[str, Any], keys: tuple[str, ...]) -> Check:
        missing = [key for key in keys if not values.get(key)]
        actual = ", ".join(f"{key}={values[key]}" for key in keys if values.get(key))
        if missing:
            actual = f"missing {', '.join(missing)}" + (f" ({actual})" if actual else "")
        return Check(name, region, LOGGING_RESOURCE, expected, actual, not missing)

    return [
        row("bedrock.logging.s3", "s3Config with bucketName and keyPrefix", s3, ("bucketName", "keyPrefix")),
        row(
            "bedrock.logging.cloudwatch",
            "cloudWatchConfig with logGroupName and roleArn",
            cloudwatch,
            ("logGroupName", "roleArn"),
        ),
        row(
            "bedrock.logging.large_data",
            "largeDataDeliveryS3Config with bucketName and keyPrefix",
            large,
            ("bucketName", "keyPrefix"),
        ),
    ]


def check_delivery_flags(logging: Mapping[str, Any], log_data: Iterable[str], region: str) -> list[Check]:
    """One row per data kind: on exactly when `log_data` lists it."""
    wanted = set(log_data)
    checks = []
    for kind, flag in DELIVERY_FLAGS.items():
        expected = kind in wanted
        actual = bool(logging.get(flag, False))
        checks.append(
            Check(
                f"bedrock.logging.data.{kind}",
                region,
                LOGGING_RESOURCE,
                f"{flag}={str(expected).lower()}",
                f"{flag}={str(actual).lower()}",
                actual == expected,
            )
        )
    return checks


# --- CloudWatch Logs -----------------------------------------------------------------------------------------


def find_log_group(logs: Any, name: str) -> dict[str, Any] | None:
    for page in logs.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=name):
        for group in page.get("logGroups", []):
            if group.get("logGroupName") == name:
                return dict(group)
    return None


def check_log_group(logs: Any, name: str, retention_days: int, region: str) -> list[Check]:
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


# --- IAM delivery role ---------------------------------------------------------------------------------------


def trusted_principals(document: Mapping[str, Any] | str) -> list[str]:
    """`Kind:value` of every principal an Allow statement of a trust policy lets in ('*' and NotPrincipal too)."""
    parsed = json.loads(unquote(document)) if isinstance(document, str) else document
    statements = parsed.get("Statement", [])
    found: set[str] = set()
    for statement in statements if isinstance(statements, list) else [statements]:
        if statement.get("Effect") != "Allow":
            continue
        if "NotPrincipal" in statement:
            found.add("NotPrincipal (everyone else)")
        principal = statement.get("Principal", {})
        if principal == "*":
            found.add("*")
            continue
        for kind, values in principal.items():
            for value in values if isinstance(values, list) else [values]:
                found.add(f"{kind}:{value}")
    return sorted(found)


def check_delivery_role(iam: Any, role_arn: str, region: str) -> list[Check]:
    name = role_arn.rsplit("/", 1)[-1]
    try:
        role = iam.get_role(RoleName=name)["Role"]
    except AwsError as error:
        actual = "not found" if error_code(error) == "NoSuchEntity" else f"cannot read: {error_text(error)}"
        return [Check("iam.role.exists", region, role_arn, "delivery role exists", actual, False)]
    principals = trusted_principals(role.get("AssumeRolePolicyDocument") or {})
    return [
        Check(
            "iam.role.trust",
            region,
            role_arn,
            f"trusts only Service:{BEDROCK}",
            ", ".join(principals) or "no Allow statement",
            principals == [f"Service:{BEDROCK}"],
        )
    ]


# --- S3 log bucket -------------------------------------------------------------------------------------------


def _rule_filter(rule: Mapping[str, Any]) -> tuple[str, bool]:
    """(key prefix, narrowed by tags or object size) of a lifecycle rule, old and new filter syntax."""
    if "Filter" not in rule:
        return str(rule.get("Prefix") or ""), False
    rule_filter = rule.get("Filter") or {}
    if "And" in rule_filter:
        both = rule_filter["And"] or {}
        narrowed = bool(both.get("Tags")) or "ObjectSizeGreaterThan" in both or "ObjectSizeLessThan" in both
        return str(both.get("Prefix") or ""), narrowed
    narrowed = any(key in rule_filter for key in ("Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan"))
    return str(rule_filter.get("Prefix") or ""), narrowed


def lifecycle_finding(rules: Iterable[Mapping[str, Any]], prefixes: Iterable[str], days: int) -> tuple[bool, str]:
    """Whether enabled lifecycle rules keep current log objects under `prefixes` at least `days`, then expire them.

    A log prefix is covered by a rule whose prefix it starts with and that has no tag or size filter; a rule
    also touches the logs when its own prefix lies inside a log prefix (it expires part of them).
    """
    log_prefixes = sorted({f"{prefix.strip('/')}/" if prefix.strip("/") else "" for prefix in prefixes})
    early: list[str] = []
    kept: dict[str, list[int]] = {prefix: [] for prefix in log_prefixes}
    for rule in rules:
        expiration = rule.get("Expiration") or {}
        if rule.get("Status") != "Enabled" or not ("Days" in expiration or "Date" in expiration):
            continue
        rule_prefix, narrowed = _rule_filter(rule)
        touched = [p for p in log_prefixes if p.startswith(rule_prefix) or rule_prefix.startswith(p)]
        label = f"rule {rule.get('ID') or '(no id)'}"
        if not touched:
            continue
        if "Date" in expiration:
            early.append(f"{label} expires logs on a fixed date ({expiration['Date']}), not after {days} days")
        elif int(expiration["Days"]) < days:
            early.append(f"{label} expires logs after {expiration['Days']} days: deleted before {days} days")
        else:
            for prefix in touched:
                if not narrowed and prefix.startswith(rule_prefix):
                    kept[prefix].append(int(expiration["Days"]))
    if early:
        return False, "; ".join(early)
    uncovered = [prefix or "(whole bucket)" for prefix, found in kept.items() if not found]
    if uncovered:
        return False, f"no enabled rule expires current objects under {', '.join(uncovered)}: retention not enforced"
    return True, "current objects expire after " + ", ".join(
        f"{min(found)} days under {prefix or '(whole bucket)'}" for prefix, found in kept.items()
    )


def check_bucket(s3: Any, bucket: str, prefixes: Iterable[str], retention_days: int, region: str) -> list[Check]:
    """Versioning, lifecycle, default encryption and public access of one log bucket."""
    resource = f"s3://{bucket}"

    def failed(name: str, expected: str, error: Exception) -> Check:
        return Check(name, region, resource, expected, f"cannot read: {error_text(error)}", False)

    checks: list[Check] = []

    expected = "Status=Enabled"
    try:
        status = s3.get_bucket_versioning(Bucket=bucket).get("Status")
    except AwsError as error:
        if error_code(error) == "NoSuchBucket":
            return [Check("s3.bucket.exists", region, resource, "log bucket exists", "not found", False)]
        checks.append(failed("s3.bucket.versioning", expected, error))
    else:
        actual = f"Status={status}" if status else "versioning never enabled"
        checks.append(Check("s3.bucket.versioning", region, resource, expected, actual, status == "Enabled"))

    expected = f"enabled rule expires current objects after >= {retention_days} days"
    try:
        rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket).get("Rules", [])
    except AwsError as error:
        if error_code(error) == "NoSuchLifecycleConfiguration":
            checks.append(
                Check(
                    "s3.bucket.lifecycle",
                    region,
                    resource,
                    expected,
                    "lifecycle removed: retention not enforced",
                    False,
                )
            )
        else:
            checks.append(failed("s3.bucket.lifecycle", expected, error))
    else:
        passed, actual = lifecycle_finding(rules, prefixes, retention_days)
        checks.append(Check("s3.bucket.lifecycle", region, resource, expected, actual, passed))

    expected = "SSE-KMS with a customer managed key"
    try:
        encryption = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
    except AwsError as error:
        if error_code(error) == "ServerSideEncryptionConfigurationNotFoundError":
            checks.append(Check("s3.bucket.encryption", region, resource, expected, "no default encryption", False))
        else:
            checks.append(failed("s3.bucket.encryption", expected, error))
    else:
        rules = encryption.get("Rules") or [{}]
        default = rules[0].get("ApplyServerSideEncryptionByDefault") or {}
        algorithm = default.get("SSEAlgorithm", "none")
        key = default.get("KMSMasterKeyID")
        customer_key = bool(key) and not str(key).endswith(AWS_MANAGED_S3_KEY)
        if algorithm not in KMS_ALGORITHMS:
            actual = f"{algorithm} (not KMS)"
        else:
            actual = f"{algorithm} with {key}" if customer_key else f"{algorithm} with the AWS managed key aws/s3"
        passed = algorithm in KMS_ALGORITHMS and customer_key
        checks.append(Check("s3.bucket.encryption", region, resource, expected, actual, passed))

    expected = "all four settings true"
    try:
        block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    except AwsError as error:
        if error_code(error) == "NoSuchPublicAccessBlockConfiguration":
            actual = "no Public Access Block on the bucket"
            checks.append(Check("s3.bucket.public_access_block", region, resource, expected, actual, False))
        else:
            checks.append(failed("s3.bucket.public_access_block", expected, error))
    else:
        off = [setting for setting in PUBLIC_ACCESS_BLOCK_SETTINGS if not block.get(setting)]
        actual = f"off: {', '.join(off)}" if off else "all four true"
        checks.append(Check("s3.bucket.public_access_block", region, resource, expected, actual, not off))

    expected = "IsPublic=false"
    try:
        public = bool(s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"].get("IsPublic"))
    except AwsError as error:
        if error_code(error) == "NoSuchBucketPolicy":
            checks.append(Check("s3.bucket.policy_public", region, resource, expected, "no bucket policy", True))
        else:
            checks.append(failed("s3.bucket.policy_public", expected, error))
    else:
        actual = "IsPublic=true: the bucket policy grants public access" if public else "IsPublic=false"
        checks.append(Check("s3.bucket.policy_public", region, resource, expected, actual, not public))
    return checks


def log_buckets(logging: Mapping[str, Any]) -> dict[str, list[str]]:
    """Bucket name -> key prefixes Bedrock writes to it (invocation logs, large payloads)."""
    cloudwatch = logging.get("cloudWatchConfig") or {}
    buckets: dict[str, list[str]] = {}
    for destination in (logging.get("s3Config") or {}, cloudwatch.get("largeDataDeliveryS3Config") or {}):
        if destination.get("bucketName"):
            buckets.setdefault(destination["bucketName"], []).append(str(destination.get("keyPrefix") or ""))
    return buckets


# --- Putting it together -------------------------------------------------------------------------------------


def audit_region(config: AppConfig, session: Any, region: str) -> list[Check]:
    """Every check of one Region; without a logging configuration there is nothing to follow, so one FAIL row."""
    name, expected = "bedrock.logging.configured", "configured"
    try:
        response = _client(session, "bedrock", region).get_model_invocation_logging_configuration()
    except AwsError as error:
        return [Check(name, region, LOGGING_RESOURCE, expected, f"cannot read: {error_text(error)}", False)]
    logging = response.get("loggingConfig") or {}
    if not logging:
        actual = "not configured: Bedrock records no invocations in this Region (nothing further to audit)"
        return [Check(name, region, LOGGING_RESOURCE, expected, actual, False)]

    checks = [Check(name, region, LOGGING_RESOURCE, expected, "configured", True)]
    checks += check_destinations(logging, region)
    checks += check_delivery_flags(logging, config.log_data, region)
    cloudwatch = logging.get("cloudWatchConfig") or {}
    if cloudwatch.get("logGroupName"):
        logs = _client(session, "logs", region)
        checks += check_log_group(logs, cloudwatch["logGroupName"], config.log_retention_days, region)
    if cloudwatch.get("roleArn"):
        checks += check_delivery_role(_client(session, "iam", region), cloudwatch["roleArn"], region)
    s3 = _client(session, "s3", region)
    for bucket, prefixes in log_buckets(logging).items():
        checks += check_bucket(s3, bucket, prefixes, config.log_retention_days, region)
    return checks


def check_account(config: AppConfig, session: Any) -> Check | None:
    """With `account` configured, the credentials must belong to it (sts:GetCallerIdentity needs no permission)."""
    if not config.account:
        return None
    region = config.regions[0]
    expected = f"account {config.account}"
    try:
        actual = str(_client(session, "sts", region).get_caller_identity()["Account"])
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
