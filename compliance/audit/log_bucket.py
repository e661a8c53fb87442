"""Checks of an S3 bucket the configuration names: versioning, lifecycle, encryption and public access."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from compliance.audit.checks import Check
from compliance.aws import AwsError, Client, error_code, error_text

PUBLIC_ACCESS_BLOCK_SETTINGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")
AWS_MANAGED_S3_KEY = "alias/aws/s3"


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


def check_bucket(s3: Client, bucket: str, prefixes: Iterable[str], retention_days: int, region: str) -> list[Check]:
    """Versioning, lifecycle, default encryption and public access of one log bucket."""
    bucket_uri = f"s3://{bucket}"

    def failed(name: str, expected: str, error: Exception) -> Check:
        return Check(name, region, bucket_uri, expected, f"cannot read: {error_text(error)}", False)

    checks: list[Check] = []

    expected = "Status=Enabled"
    try:
        status = s3.get_bucket_versioning(Bucket=bucket).get("Status")
    except AwsError as error:
        if error_code(error) == "NoSuchBucket":
            return [Check("s3.bucket.exists", region, bucket_uri, "log bucket exists", "not found", False)]
        checks.append(failed("s3.bucket.versioning", expected, error))
    else:
        actual = f"Status={status}" if status else "versioning never enabled"
        checks.append(Check("s3.bucket.versioning", region, bucket_uri, expected, actual, status == "Enabled"))

    expected = f"enabled rule expires current objects after >= {retention_days} days"
    try:
        rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket).get("Rules", [])
    except AwsError as error:
        if error_code(error) == "NoSuchLifecycleConfiguration":
            checks.append(
                Check(
                    "s3.bucket.lifecycle",
                    region,
                    bucket_uri,
                    expected,
                    "lifecycle removed: retention not enforced",
                    False,
                )
            )
        else:
            checks.append(failed("s3.bucket.lifecycle", expected, error))
    else:
        passed, actual = lifecycle_finding(rules, prefixes, retention_days)
        checks.append(Check("s3.bucket.lifecycle", region, bucket_uri, expected, actual, passed))

    expected = "SSE-KMS with a customer managed key"
    try:
        encryption = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
    except AwsError as error:
        if error_code(error) == "ServerSideEncryptionConfigurationNotFoundError":
            checks.append(Check("s3.bucket.encryption", region, bucket_uri, expected, "no default encryption", False))
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
        checks.append(Check("s3.bucket.encryption", region, bucket_uri, expected, actual, passed))

    expected = "all four settings true"
    try:
        block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    except AwsError as error:
        if error_code(error) == "NoSuchPublicAccessBlockConfiguration":
            actual = "no Public Access Block on the bucket"
            checks.append(Check("s3.bucket.public_access_block", region, bucket_uri, expected, actual, False))
        else:
            checks.append(failed("s3.bucket.public_access_block", expected, error))
    else:
        off = [setting for setting in PUBLIC_ACCESS_BLOCK_SETTINGS if not block.get(setting)]
        actual = f"off: {', '.join(off)}" if off else "all four true"
        checks.append(Check("s3.bucket.public_access_block", region, bucket_uri, expected, actual, not off))

    expected = "IsPublic=false"
    try:
        public = bool(s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"].get("IsPublic"))
    except AwsError as error:
        if error_code(error) == "NoSuchBucketPolicy":
            checks.append(Check("s3.bucket.policy_public", region, bucket_uri, expected, "no bucket policy", True))
        else:
            checks.append(failed("s3.bucket.policy_public", expected, error))
    else:
        actual = "IsPublic=true: the bucket policy grants public access" if public else "IsPublic=false"
        checks.append(Check("s3.bucket.policy_public", region, bucket_uri, expected, actual, not public))
    return checks
