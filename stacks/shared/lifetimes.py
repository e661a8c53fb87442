"""How long stateful resources live, in CDK terms: CloudWatch Logs retention by days, and removal policies.

The rules (which periods, which policies) are `core.invocation_logging.retention`'s; this maps validated values to
CDK enums.
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3

_BY_DAYS = {
    30: logs.RetentionDays.ONE_MONTH,
    60: logs.RetentionDays.TWO_MONTHS,
    90: logs.RetentionDays.THREE_MONTHS,
    120: logs.RetentionDays.FOUR_MONTHS,
    150: logs.RetentionDays.FIVE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
    400: logs.RetentionDays.THIRTEEN_MONTHS,
    545: logs.RetentionDays.EIGHTEEN_MONTHS,
    731: logs.RetentionDays.TWO_YEARS,
    1096: logs.RetentionDays.THREE_YEARS,
    1827: logs.RetentionDays.FIVE_YEARS,
    2192: logs.RetentionDays.SIX_YEARS,
    2557: logs.RetentionDays.SEVEN_YEARS,
    2922: logs.RetentionDays.EIGHT_YEARS,
    3288: logs.RetentionDays.NINE_YEARS,
    3653: logs.RetentionDays.TEN_YEARS,
}


def retention_period(days: int) -> logs.RetentionDays:
    """The RetentionDays member for a validated `log_retention_days` (see core.config.invocation_logging)."""
    return _BY_DAYS[days]


def removal_policy(value: str) -> RemovalPolicy:
    """The removal policy of a validated `log_removal_policy` (retain or destroy)."""
    return RemovalPolicy.RETAIN if value == "retain" else RemovalPolicy.DESTROY


def expiry_rules(days: int, *, noncurrent_days: int, rule_id: str = "ExpireAfterRetention") -> list[s3.LifecycleRule]:
    """A bucket's lifecycle: current objects expire after `days`, replaced or deleted versions after
    `noncurrent_days`, incomplete uploads after a day, and the delete markers left behind are removed."""
    return [
        s3.LifecycleRule(
            id=rule_id,
            expiration=Duration.days(days),
            noncurrent_version_expiration=Duration.days(noncurrent_days),
            abort_incomplete_multipart_upload_after=Duration.days(1),
        ),
        s3.LifecycleRule(id="RemoveExpiredDeleteMarkers", expired_object_delete_marker=True),
    ]
