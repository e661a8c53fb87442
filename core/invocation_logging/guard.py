"""What guards the settings the project manages: the tamper-detection event patterns and messages (changes by anyone,
the project's own deployments marked as such), the metrics alarmed on, and the IAM path of the roles allowed to
change the settings.

Plain data, read by the logging stack (rule, alarms), the continuous audit (which probes rules with a sample event),
the SCP printer and the tests, which match the pattern with a real EventBridge matcher.
"""

from __future__ import annotations

from typing import Any

from core.data_retention.operations import DATA_RETENTION_STORAGE_CHANGES, PUT_ACCOUNT_DATA_RETENTION
from core.invocation_logging.configuration import DELETE_LOGGING_CONFIGURATION, PUT_LOGGING_CONFIGURATION

# The IAM path of every role of this project that may change the logging configuration (the configuration
# provider, the continuous audit when it repairs), so an SCP can exempt them by ARN pattern.
PROJECT_ROLE_PATH = "/claude-on-bedrock/"

# CloudTrail management events of the Bedrock control plane, as EventBridge delivers them to the default bus of
# the Region of the call (Bedrock user guide "Monitor Amazon Bedrock API calls using CloudTrail"; EventBridge
# user guide "Events from AWS services delivered via AWS CloudTrail").
BEDROCK_EVENT_SOURCE = "bedrock.amazonaws.com"

# Claude inference Bedrock serves outside the four operations invocation logging records ("The following operations
# can log model invocations. Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream": Bedrock user guide,
# https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html): batch inference jobs, agents,
# flows and knowledge-base generation. IAM action names (prefix `bedrock:`) per the Service Authorization Reference,
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html; it lists no action of
# its own for RetrieveAndGenerateStream, which the API reference groups with RetrieveAndGenerate.
UNLOGGED_INFERENCE_OPERATIONS = (
    "CreateModelInvocationJob",
    "InvokeAgent",
    "InvokeInlineAgent",
    "InvokeFlow",
    "StartFlowExecution",
    "RetrieveAndGenerate",
)
CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail"
CONFIGURATION_CHANGES = (PUT_LOGGING_CONFIGURATION, DELETE_LOGGING_CONFIGURATION)
# Every call that changes a setting the project manages in the account: the logging configuration, the data
# retention mode, and where retained data is stored (core/data_retention/operations.py).
MANAGED_SETTING_CHANGES = (*CONFIGURATION_CHANGES, PUT_ACCOUNT_DATA_RETENTION, *DATA_RETENTION_STORAGE_CHANGES)

# Bedrock's delivery metrics, published "Across all model IDs" (no dimension) for each delivery attempt (Bedrock
# user guide, "Model invocation logging CloudWatch metrics").
BEDROCK_METRIC_NAMESPACE = "AWS/Bedrock"
DELIVERY_FAILURE_METRICS = (
    "ModelInvocationLogsCloudWatchDeliveryFailure",
    "ModelInvocationLogsS3DeliveryFailure",
    "ModelInvocationLargeDataS3DeliveryFailure",
)

# What the continuous audit publishes: one metric per check (dimensions Check and Region), their sum of failures,
# and whether it put the configuration back.
AUDIT_METRIC_NAMESPACE = "ClaudeOnBedrock/LoggingAudit"
CHECK_METRIC = "CheckPassed"
FAILED_CHECKS_METRIC = "FailedChecks"
REPAIRED_METRIC = "ConfigurationRepaired"


def project_role_prefix(partition: str, account: str) -> str:
    """The start of the ARN of every role of the project's path in `account`: CloudTrail's
    `userIdentity.sessionContext.sessionIssuer.arn` of their sessions (a role's ARN includes its path)."""
    return f"arn:{partition}:iam::{account}:role{PROJECT_ROLE_PATH}"


def _setting_changes(issuer: list[Any] | dict[str, Any]) -> dict[str, Any]:
    return {
        "source": ["aws.bedrock"],
        "detail-type": [CLOUDTRAIL_DETAIL_TYPE],
        "detail": {
            "eventSource": [BEDROCK_EVENT_SOURCE],
            "eventName": list(MANAGED_SETTING_CHANGES),
            "userIdentity": issuer,
        },
    }


def tamper_event_pattern(project_roles: str) -> dict[str, Any]:
    """A managed setting put or deleted by anyone whose session is not one of a role under `project_roles`.

    `anything-but` matches only a field that is present, so a caller without a session issuer (an IAM user, the
    root user) is caught by the second alternative instead of slipping through.
    """
    return _setting_changes(
        # `$or` over leaf fields, as the EventBridge user guide shows it ("Complex example with $or matching").
        {
            "$or": [
                {"sessionContext": {"sessionIssuer": {"arn": [{"anything-but": {"prefix": project_roles}}]}}},
                {"sessionContext": {"sessionIssuer": {"arn": [{"exists": False}]}}},
            ]
        }
    )


def deployment_event_pattern(project_roles: str) -> dict[str, Any]:
    """A managed setting put or deleted by a role of the project's path: a deployment (or the audit repairing),
    notified as such rather than dropped, so a forged deployment is heard too."""
    return _setting_changes({"sessionContext": {"sessionIssuer": {"arn": [{"prefix": project_roles}]}}})


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
    "role": "$.detail.userIdentity.sessionContext.sessionIssuer.arn",
    "time": "$.detail.eventTime",
    "sourceIp": "$.detail.sourceIPAddress",
    "userAgent": "$.detail.userAgent",
    "error": "$.detail.errorCode",
    "request": "$.detail.requestParameters",
}
_CALL = [
    "API call: <event> in <region> of account <account>",
    "Who: <who> (<identityType>), role <role>",
    "When: <time>",
    "From: <sourceIp>, user agent <userAgent>",
    "Error code (empty when the call succeeded): <error>",
    "Request: <request>",
    "Check: aws bedrock get-model-invocation-logging-configuration --region <region>; "
    "aws bedrock get-account-data-retention --region <region>",
]
TAMPER_MESSAGE = "\n".join(
    [
        "A setting this project manages (Amazon Bedrock model invocation logging or data retention) was changed "
        "outside this project's deployment.",
        *_CALL,
    ]
)
DEPLOYMENT_MESSAGE = "\n".join(
    [
        "A setting this project manages (Amazon Bedrock model invocation logging or data retention) was changed by "
        f"a role of this project's path ({PROJECT_ROLE_PATH}): expected during a deployment of its stacks, or when "
        "the continuous audit repairs the configuration; at any other time, find out who made that role act.",
        *_CALL,
    ]
)


def sample_cloudtrail_event(
    event_name: str,
    *,
    account: str,
    region: str,
    caller_arn: str,
    issuer_arn: str | None = None,
    event_source: str = BEDROCK_EVENT_SOURCE,
    request: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An EventBridge event of a successful call by `caller_arn`, shaped as CloudTrail records it.

    The audit probes rules with it (TestEventPattern); the tests match patterns against it. A Put of the logging
    configuration carries its request; a Delete has no request parameters (the API takes none). `issuer_arn`
    names the role of an assumed-role session with its path (its ARN without path otherwise); `request` is the
    event's requestParameters for calls to other services.
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
                    "arn": issuer_arn or f"arn:{partition}:iam::{account}:role/{role}",
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
        "eventSource": event_source,
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
    if request is not None:
        detail["requestParameters"] = request
    elif event_name == PUT_LOGGING_CONFIGURATION:
        detail["requestParameters"] = {"loggingConfig": {"textDataDeliveryEnabled": False}}
    return {
        "version": "0",
        "id": "7bf73129-1428-4cd3-a780-95db273d1602",
        "detail-type": CLOUDTRAIL_DETAIL_TYPE,
        "source": f"aws.{event_source.split('.')[0]}",
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
