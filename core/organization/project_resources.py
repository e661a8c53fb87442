"""The project's resources as the organization's policies find them: by the tag every stack carries, and the log
objects by their keys.

Every stack of the app and the member baseline is tagged `project=claude-on-bedrock` (`Tags.of(stack)`), and the CDK
writes the tag on each resource of the template that takes tags. A Deny on `aws:ResourceTag/project` reaches a
resource only for the actions whose authorization offers that key; the lists below keep the actions that blind or
destroy a guard and that do (Service Authorization Reference, "Condition keys" of each action, e.g.
https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html, read through
the copy the iam-floyd project generates from it, lib/generated/policy-statements/, 2026-08-22). S3 evaluates bucket
tags for access only with ABAC enabled on the bucket ("When ABAC is disabled for the general purpose buckets, you can
only use tags for cost tracking purposes", AWS::S3::Bucket AbacStatus), which the log buckets enable. `iam:PassRole`
is left out: the provider passes the tagged delivery role to Bedrock, and the project's path is guarded by name
(`core.organization.scp`).

Resource control policies apply to S3, AWS KMS, CloudWatch Logs and EventBridge among the services here, not to
Lambda, SNS, CloudWatch alarms or IAM (AWS Organizations user guide, "Resource control policies",
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
"""

from __future__ import annotations

from collections.abc import Iterable

from core.invocation_access.permissions import Statement
from core.invocation_logging.configuration import LOG_PREFIXES
from core.invocation_logging.guarded_resources import ROLE_CHANGES

PROJECT_TAG_KEY = "project"
PROJECT_TAG_VALUE = "claude-on-bedrock"
PROJECT_TAG_CONDITION = {f"aws:ResourceTag/{PROJECT_TAG_KEY}": PROJECT_TAG_VALUE}

# Per service: what would turn a guard off, weaken it or destroy what it keeps, among actions that accept
# aws:ResourceTag. Tagging actions are in, so the tag cannot be taken off first.
STORAGE_ACTIONS = {
    "s3": (
        "DeleteBucket",
        "DeleteBucketPolicy",
        "PutBucketPolicy",
        "PutLifecycleConfiguration",
        "PutBucketVersioning",
        "PutBucketObjectLockConfiguration",
        "PutReplicationConfiguration",
        "PutEncryptionConfiguration",
        "PutBucketLogging",
        "PutBucketAcl",
        "PutBucketOwnershipControls",
        "PutBucketPublicAccessBlock",
        "PutBucketAbac",
        "PutBucketTagging",
        "TagResource",
        "UntagResource",
    ),
    "kms": (
        "DisableKey",
        "ScheduleKeyDeletion",
        "PutKeyPolicy",
        "DisableKeyRotation",
        "TagResource",
        "UntagResource",
    ),
    "logs": (
        "DeleteLogGroup",
        "DeleteLogStream",
        "PutRetentionPolicy",
        "DeleteRetentionPolicy",
        "DisassociateKmsKey",
        "TagLogGroup",
        "UntagLogGroup",
        "TagResource",
        "UntagResource",
    ),
}
DETECTOR_ACTIONS = {
    "events": ("DeleteRule", "DisableRule", "PutRule", "PutTargets", "RemoveTargets", "TagResource", "UntagResource"),
    "cloudwatch": ("DeleteAlarms", "DisableAlarmActions", "PutMetricAlarm", "TagResource", "UntagResource"),
    "sns": ("DeleteTopic", "SetTopicAttributes", "RemovePermission", "TagResource", "UntagResource"),
    "lambda": (
        "UpdateFunctionCode",
        "UpdateFunctionConfiguration",
        "PublishVersion",
        "CreateAlias",
        "UpdateAlias",
        "DeleteAlias",
        "DeleteFunction",
        "AddPermission",
        "RemovePermission",
        "PutFunctionConcurrency",
        "CreateFunctionUrlConfig",
        "UpdateFunctionUrlConfig",
        "TagResource",
        "UntagResource",
    ),
    # The role changes the guard rules hear (IAM's actions and CloudTrail's event names are the same), and tagging.
    "iam": (*ROLE_CHANGES, "TagRole", "UntagRole"),
}
# The services of these lists that resource control policies apply to.
RCP_SERVICES = ("s3", "kms", "logs", "events")
# Deleting a log object, a version of it, or one under governance-mode Object Lock (S3 authorizes the bypass
# header as s3:BypassGovernanceRetention).
LOG_OBJECT_DELETE_ACTIONS = ("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention")


def _actions(by_service: dict[str, tuple[str, ...]], services: Iterable[str] | None = None) -> list[str]:
    return [
        f"{service}:{action}"
        for service, names in by_service.items()
        if services is None or service in services
        for action in names
    ]


def tagged_resource_statements(deployers: Iterable[str]) -> list[Statement]:
    """SCP statements: nobody but the deployers blinds or destroys a resource tagged as the project's."""
    condition = {"StringEquals": PROJECT_TAG_CONDITION, "ArnNotLike": {"aws:PrincipalArn": list(deployers)}}
    return [
        {
            "Sid": "DenyChangesToProjectStorageOutsideDeployment",
            "Effect": "Deny",
            "Action": _actions(STORAGE_ACTIONS),
            "Resource": "*",
            "Condition": condition,
        },
        {
            "Sid": "DenyChangesToProjectDetectorsOutsideDeployment",
            "Effect": "Deny",
            "Action": _actions(DETECTOR_ACTIONS),
            "Resource": "*",
            "Condition": condition,
        },
    ]


def log_object_arns() -> list[str]:
    """Every log object Bedrock writes under the project's prefixes, in any bucket (a replica keeps the keys)."""
    return [f"arn:*:s3:::*/{prefix}/AWSLogs/*" for prefix in LOG_PREFIXES]


def log_object_statement(break_glass_principal: str | None) -> Statement:
    """SCP statement: nobody but the break-glass principal (if any) deletes a log object or bypasses its lock."""
    statement: Statement = {
        "Sid": "DenyLogObjectDeletion",
        "Effect": "Deny",
        "Action": list(LOG_OBJECT_DELETE_ACTIONS),
        "Resource": log_object_arns(),
    }
    if break_glass_principal:
        statement["Condition"] = {"ArnNotEquals": {"aws:PrincipalArn": break_glass_principal}}
    return statement


def rcp_statements(deployers: Iterable[str], organization_id: str | None) -> list[Statement]:
    """Resource control policy statements for the project's buckets, keys, log groups and rules.

    - Nobody but the deployers blinds or destroys them, whatever account the principal is in (an SCP binds only the
      principals of the accounts it is attached to; an RCP binds every principal acting on the resource).
    - With `organization_id`: no principal outside the organization uses the project's keys or buckets, whatever
      their policies say (a key policy naming an outside reader included). AWS services acting as themselves
      (Bedrock writing logs, CloudWatch Logs encrypting) are not principals of an account: the statement leaves
      them out with `aws:PrincipalIsAWSService`, as AWS's data perimeter examples do.
    """
    service_calls = {"BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}
    statements: list[Statement] = [
        {
            "Sid": "DenyChangesToProjectResourcesOutsideDeployment",
            "Effect": "Deny",
            "Principal": "*",
            "Action": _actions({**STORAGE_ACTIONS, **DETECTOR_ACTIONS}, RCP_SERVICES),
            "Resource": "*",
            "Condition": {
                "StringEquals": PROJECT_TAG_CONDITION,
                "ArnNotLike": {"aws:PrincipalArn": list(deployers)},
                **service_calls,
            },
        }
    ]
    if organization_id:
        statements.append(
            {
                "Sid": "DenyProjectKeysAndBucketsOutsideOrganization",
                "Effect": "Deny",
                "Principal": "*",
                "Action": ["kms:*", "s3:*"],
                "Resource": "*",
                "Condition": {
                    "StringEquals": PROJECT_TAG_CONDITION,
                    "StringNotEqualsIfExists": {"aws:PrincipalOrgID": organization_id},
                    **service_calls,
                },
            }
        )
    return statements
