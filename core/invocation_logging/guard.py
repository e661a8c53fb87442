"""What guards invocation logging: the tamper-detection event pattern and message, the metrics alarmed on, and the
IAM path of the roles allowed to change the configuration.

Plain data, read by the logging stack (rule, alarms), the continuous audit (which probes rules with a sample event),
the SCP printer and the tests, which match the pattern with a real EventBridge matcher.
"""

from __future__ import annotations

from typing import Any

from core.invocation_logging.configuration import DELETE_LOGGING_CONFIGURATION, PUT_LOGGING_CONFIGURATION

# The IAM path of every role of this project that may change the logging configuration (the configuration
# provider, the continuous audit when it repairs), so an SCP can exempt them by ARN pattern.
PROJECT_ROLE_PATH = "/claude-on-bedrock/"

# CloudTrail management events of the Bedrock control plane, as EventBridge delivers them to the default bus of
# the Region of the call (Bedrock user guide "Monitor Amazon Bedrock API calls using CloudTrail"; EventBridge
# user guide "Events from AWS services delivered via AWS CloudTrail").
BEDROCK_EVENT_SOURCE = "bedrock.amazonaws.com"
CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail"
CONFIGURATION_CHANGES = (PUT_LOGGING_CONFIGURATION, DELETE_LOGGING_CONFIGURATION)

# Bedrock's delivery metrics, published "Across all model IDs" (no dimension) for each delivery attempt (Bedrock
# user guide, "Model invocation logging CloudWatch metrics").
BEDROCK_METRIC_NAMESPACE = "AWS/Bedrock"
DELIVERY_FAILURE_METRICS = (
    "ModelInvocationLogsCloudWatchDeliveryFailure",
    "ModelInvocationLogsS3DeliveryFailure",
    "ModelInvocationLargeDataS3DeliveryFailure",
)

# What the continuous audit publishes: one metric per check (dimensions Check and Region), the checks that found
# drift, apart from those it could not read (a refused or failed call: not known either way), and whether it put
# the configuration back.
AUDIT_METRIC_NAMESPACE = "ClaudeOnBedrock/LoggingAudit"
CHECK_METRIC = "CheckPassed"
FAILED_CHECKS_METRIC = "FailedChecks"
UNREADABLE_CHECKS_METRIC = "UnreadableChecks"
REPAIRED_METRIC = "ConfigurationRepaired"


def session_arn_prefix(partition: str, account: str, role_name: str) -> str:
    """The start of `userIdentity.arn` in CloudTrail for every session of role `role_name` (any session name)."""
    return f"arn:{partition}:sts::{account}:assumed-role/{role_name}/"


def tamper_event_pattern(exempt_session_prefix: str) -> dict[str, Any]:
    """Put/DeleteModelInvocationLoggingConfiguration by anyone but the sessions starting with the prefix.

    `anything-but` matches only a field that is present, so a caller without `userIdentity.arn` is caught by the
    second alternative instead of slipping through.
    """
    return {
        "source": ["aws.bedrock"],
        "detail-type": [CLOUDTRAIL_DETAIL_TYPE],
        "detail": {
            "eventSource": [BEDROCK_EVENT_SOURCE],
            "eventName": list(CONFIGURATION_CHANGES),
            # `$or` over leaf fields, as the EventBridge user guide shows it ("Complex example with $or matching").
            "userIdentity": {
                "$or": [
                    {"arn": [{"anything-but": {"prefix": exempt_session_prefix}}]},
                    {"arn": [{"exists": False}]},
                ]
            },
        },
    }


# What the notification tells: who, when, from where and what changed. A plain-text template (not JSON): the
# user agent and the request come from the caller, and EventBridge does not escape inserted values, so a JSON
# template could be broken by a quote in them and the notification lost. A path missing from the event (a Delete
# has no requestParameters) leaves its placeholder empty (EventBridge user guide, "Input transformation").
TAMPER_INPUT_PATHS = {
    "event": "$.detail.eventName",
    "region": "$.detail.awsRegion",
    "account": "$.account",
    "who": "$.detail.userIdentity.arn",
    "identityType": "$.detail.userIdentity.type",
    "time": "$.detail.eventTime",
    "sourceIp": "$.detail.sourceIPAddress",
    "userAgent": "$.detail.userAgent",
    "error": "$.detail.errorCode",
    "request": "$.detail.requestParameters",
}
TAMPER_MESSAGE = "\n".join(
    [
        "Amazon Bedrock model invocation logging was changed outside this project's deployment.",
        "API call: <event> in <region> of account <account>",
        "Who: <who> (<identityType>)",
        "When: <time>",
        "From: <sourceIp>, user agent <userAgent>",
        "Error code (empty when the call succeeded): <error>",
        "Request: <request>",
        "Check: aws bedrock get-model-invocation-logging-configuration --region <region>",
    ]
)


def sample_cloudtrail_event(event_name: str, *, account: str, region: str, caller_arn: str) -> dict[str, Any]:
    """An EventBridge event of a successful call by `caller_arn`, shaped as CloudTrail records it.

    The audit probes rules with it (TestEventPattern); the tests match patterns against it. A Put carries the
    request; a Delete has no request parameters (the API takes none).
    """
    identity: dict[str, Any]
    if ":assumed-role/" in caller_arn:
        role = caller_arn.split(":assumed-role/", 1)[1].split("/", 1)[0]
        partition = caller_arn.split(":")[1]
        identity = {
            "type": "AssumedRole",
            "arn": caller_arn,
            "accountId": account,
            "sessionContext": {
                "sessionIssuer": {
                    "type": "Role",
                    "arn": f"arn:{partition}:iam::{account}:role/{role}",
                    "userName": role,
                }
            },
        }
    elif caller_arn.endswith(":root"):
        identity = {"type": "Root", "arn": caller_arn, "accountId": account}
    else:
        identity = {"type": "IAMUser", "arn": caller_arn, "accountId": account}
    detail: dict[str, Any] = {
        "eventVersion": "1.09",
        "userIdentity": identity,
        "eventTime": "2026-11-25T10:00:00Z",
        "eventSource": BEDROCK_EVENT_SOURCE,
        "eventName": event_name,
        "awsRegion": region,
        "sourceIPAddress": "203.0.113.10",
        "userAgent": "aws-cli/2.27.0",
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "readOnly": False,
        "recipientAccountId": account,
        "eventCategory": "Management",
    }
    if event_name == PUT_LOGGING_CONFIGURATION:
        detail["requestParameters"] = {"loggingConfig": {"textDataDeliveryEnabled": False}}
    return {
        "version": "0",
        "id": "7bf73129-1428-4cd3-a780-95db273d1602",
        "detail-type": CLOUDTRAIL_DETAIL_TYPE,
        "source": "aws.bedrock",
        "account": account,
        "time": "2026-11-25T10:00:00Z",
        "region": region,
        "resources": [],
        "detail": detail,
    }


# The log bucket policy's denies (stacks/invocation_logging/storage.py adds them; the audit looks for them).
# Writing: S3 authorizes PutObject, CopyObject and multipart uploads as s3:PutObject, and a replication rule of
# another bucket would write with s3:Replicate*; only Bedrock, acting as its service principal, writes logs.
LOG_WRITE_ACTIONS = ("s3:PutObject", "s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags")
# Deleting: a delete marker (DeleteObject), a version (DeleteObjectVersion), or a version under governance-mode
# Object Lock (BypassGovernanceRetention). Lifecycle expiry is not an API call of a principal: S3 performs it on
# internal endpoints (S3 user guide, "How S3 Lifecycle interacts with other bucket configurations").
LOG_DELETE_ACTIONS = ("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention")
BEDROCK_SERVICE_PRINCIPAL = "bedrock.amazonaws.com"


def log_bucket_deny_statements(bucket_arn: str, *, break_glass_principal: str | None) -> list[dict[str, Any]]:
    """Nobody but Bedrock writes log objects; nobody but the break-glass principal (if any) deletes them.

    `aws:PrincipalServiceName` is present only when a service principal calls directly, as Bedrock does when it
    delivers logs; for every IAM principal it is absent, and `StringNotEquals` on an absent key matches, so the Deny
    applies (IAM user guide, "AWS global condition context keys" and "Condition operators").
    """
    deletes: dict[str, Any] = {
        "Sid": "DenyLogDeletion",
        "Effect": "Deny",
        "Principal": "*",
        "Action": list(LOG_DELETE_ACTIONS),
        "Resource": f"{bucket_arn}/*",
    }
    if break_glass_principal:
        deletes["Condition"] = {"ArnNotEquals": {"aws:PrincipalArn": break_glass_principal}}
    return [
        {
            "Sid": "DenyLogWritesExceptBedrock",
            "Effect": "Deny",
            "Principal": "*",
            "Action": list(LOG_WRITE_ACTIONS),
            "Resource": f"{bucket_arn}/*",
            "Condition": {"StringNotEquals": {"aws:PrincipalServiceName": BEDROCK_SERVICE_PRINCIPAL}},
        },
        deletes,
    ]
