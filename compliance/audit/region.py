"""Every check of one Region, in order: the logging configuration and what it names (the log group and its stream,
the delivery role, the bucket, the keys), then what guards it."""

from __future__ import annotations

from compliance.audit.checks import Check
from compliance.audit.cloudtrail import check_management_events
from compliance.audit.data_retention import check_data_retention
from compliance.audit.delivery_role import check_delivery_role
from compliance.audit.detection import check_delivery_alarms, check_subscriptions, check_tamper_rule
from compliance.audit.expectations import Expectations
from compliance.audit.log_bucket import check_bucket
from compliance.audit.log_bucket_policy import check_bucket_policy_denies
from compliance.audit.log_group import check_log_group, check_log_stream
from compliance.audit.log_key import bucket_key, check_log_keys, replication_role
from compliance.audit.logging_configuration import (
    LOGGING_RESOURCE,
    check_configuration_matches,
    check_delivery_flags,
    check_destinations,
    log_buckets,
)
from compliance.aws import AwsError, Session, client, error_text


def audit_logging(expected: Expectations, session: Session, region: str, account: str) -> list[Check]:
    """The configuration and the bucket, log group, role and keys it names; one FAIL row when there is none."""
    name, wanted = "bedrock.logging.configured", "configured"
    try:
        response = client(session, "bedrock", region).get_model_invocation_logging_configuration()
    except AwsError as error:
        return [Check(name, region, LOGGING_RESOURCE, wanted, f"cannot read: {error_text(error)}", False)]
    logging_config = response.get("loggingConfig") or {}
    if not logging_config:
        actual = "not configured: Bedrock records no invocations in this Region (nothing further to audit)"
        return [Check(name, region, LOGGING_RESOURCE, wanted, actual, False)]

    checks = [Check(name, region, LOGGING_RESOURCE, wanted, "configured", True)]
    if expected.configuration is not None:
        checks.append(check_configuration_matches(logging_config, expected.configuration, region))
    checks += check_destinations(logging_config, region)
    checks += check_delivery_flags(logging_config, expected.data, region)
    cloudwatch = logging_config.get("cloudWatchConfig") or {}
    s3 = client(session, "s3", region)
    keys: list[str] = []
    if cloudwatch.get("logGroupName"):
        logs = client(session, "logs", region)
        rows, group = check_log_group(logs, cloudwatch["logGroupName"], expected.retention_days, region)
        checks += rows
        if group is not None:
            s3_destination = logging_config.get("s3Config") or {}
            checks.append(check_log_stream(logs, s3, group["logGroupName"], s3_destination, account, region))
            keys += [str(group["kmsKeyId"])] if group.get("kmsKeyId") else []
    if cloudwatch.get("roleArn"):
        checks += check_delivery_role(client(session, "iam", region), cloudwatch["roleArn"], region)
    roles: list[str] = []
    for bucket, prefixes in log_buckets(logging_config).items():
        checks += check_bucket(s3, bucket, prefixes, expected.retention_days, region)
        checks += check_bucket_policy_denies(s3, bucket, prefixes, region)
        keys += [key for key in [bucket_key(s3, bucket)] if key]
        roles += [role for role in [replication_role(s3, bucket)] if role]
    return checks + check_log_keys(client(session, "kms", region), keys, region, account, roles)


def audit_guards(expected: Expectations, session: Session, region: str, account: str) -> list[Check]:
    """What tells someone when logging changes or fails: the rule, the alarms, who hears them, and CloudTrail."""
    sns = client(session, "sns", region)
    rule, rule_topics = check_tamper_rule(client(session, "events", region), region, account)
    alarms, alarm_topics = check_delivery_alarms(client(session, "cloudwatch", region), region)
    return [
        rule,
        *alarms,
        *check_subscriptions(sns, dict.fromkeys([*rule_topics, *alarm_topics]), region, account),
        check_management_events(lambda where: client(session, "cloudtrail", where), region),
    ]


def audit_retention(expected: Expectations, session: Session, region: str) -> list[Check]:
    """The data retention mode and storage, when the expectations name them."""
    if expected.retention_mode is None:
        return []
    bedrock = client(session, "bedrock", region)
    return check_data_retention(bedrock, expected.retention_mode, expected.retention_storage or "unmanaged", region)


def audit_region(expected: Expectations, session: Session, region: str, account: str) -> list[Check]:
    """Every check of one Region for the account the session belongs to."""
    return (
        audit_logging(expected, session, region, account)
        + audit_retention(expected, session, region)
        + audit_guards(expected, session, region, account)
    )
