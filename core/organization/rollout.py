"""Facts of the organization rollout: the StackSet's name and limits, the member roles' names and paths, and the
statements the central archive's owner adds so that every member account may replicate its logs there.

Read by the organization stacks, `python app.py archive-policy`, `python app.py scp`, the organization audit and the
tests. Sources: the AWS::CloudFormation::StackSet resource schema (TemplateBody, TemplateURL), the CloudFormation
API reference (DeploymentTargets), the S3 user guide (replication permissions) and the IAM user guide (global
condition keys); docs/platform/organization.md cites them.
"""

from __future__ import annotations

import json
from typing import Any

from core.config.invocation_logging import LogReplica
from core.invocation_access.permissions import Statement
from core.invocation_logging.configuration import (
    OWNER_OVERRIDE_ACTION,
    REPLICA_KEY_ACTIONS,
    REPLICATE_ACTIONS,
    replica_object_arns,
)

# The StackSet (its name is fixed at creation: PermissionModel and StackSetName are createOnly) and the member
# stack it deploys, as synthesized before it becomes the StackSet's template.
STACK_SET_NAME = "claude-on-bedrock-member-baseline"
MEMBER_STACK_NAME = "ClaudeMemberBaseline"
ORGANIZATION_STACK_NAME = "ClaudeOrganization"

# "The template body ... a maximum length of 51,200 bytes"; "The URL must point to a template (max size: 460,800
# bytes) that is located in an Amazon S3 bucket" (AWS::CloudFormation::StackSet resource schema).
TEMPLATE_BODY_LIMIT = 51_200
TEMPLATE_URL_LIMIT = 460_800

# Service-managed StackSets run in each member account as a role named `stacksets-exec-<hash>`: the printed SCPs
# must let it create the project's roles there when the rollout is configured.
STACKSETS_EXECUTION_ROLE_PATTERN = "arn:*:iam::*:role/stacksets-exec-*"
STACKSETS_SERVICE_PRINCIPAL = "member.org.stacksets.cloudformation.amazonaws.com"

# Every member's S3 replication role carries this IAM path, so the archive's policies can name all of them, those of
# accounts that join later included, by one ARN pattern. Not the project's logging-admin path: the SCPs exempt that
# one from their denies, and replication has no business with the logging configuration.
REPLICATION_ROLE_PATH = "/claude-log-replication/"

# The organization audit's role session name (CloudTrail of each member shows it).
AUDIT_SESSION_NAME = "claude-logging-audit"


def replication_role_pattern(partition: str) -> str:
    """The ARN of every member account's replication role, in any account (`aws:PrincipalArn` of its sessions)."""
    return f"arn:{partition}:iam::*:role{REPLICATION_ROLE_PATH}*"


def archive_policies(archive: LogReplica, *, organization_id: str) -> dict[str, Any]:
    """The bucket policy and key policy statements the archive's owner adds, as two policy documents.

    Both allow exactly what a member's replication role asks for in its own policy (stacks/invocation_logging/
    replication.py reads the same actions), to principals that are replication roles of this project (their path)
    AND belong to this organization (`aws:PrincipalOrgID`, which IAM sets from the caller's account): an account
    that joins the organization works without editing them, and an account outside it never does, whatever it
    names its roles. No s3:ReplicateDelete: deletions are never replicated.
    """
    partition = archive.bucket_arn.split(":")[1]
    region = archive.region
    in_organization = {
        "StringEquals": {"aws:PrincipalOrgID": organization_id},
        "ArnLike": {"aws:PrincipalArn": replication_role_pattern(partition)},
    }
    objects = replica_object_arns(archive.bucket_arn)
    bucket_statement: Statement = {
        "Sid": "AllowOrganizationMembersToReplicateInvocationLogs",
        "Effect": "Allow",
        "Principal": {"AWS": "*"},
        "Action": [*REPLICATE_ACTIONS, OWNER_OVERRIDE_ACTION],
        "Resource": objects,
        "Condition": in_organization,
    }
    key_statement: Statement = {
        "Sid": "AllowOrganizationMembersToEncryptReplicasThroughS3",
        "Effect": "Allow",
        "Principal": {"AWS": "*"},
        "Action": list(REPLICA_KEY_ACTIONS),
        "Resource": "*",
        "Condition": {
            "StringEquals": {**in_organization["StringEquals"], "kms:ViaService": f"s3.{region}.amazonaws.com"},
            "ArnLike": in_organization["ArnLike"],
            "StringLike": {"kms:EncryptionContext:aws:s3:arn": [archive.bucket_arn, *objects]},
        },
    }
    return {
        "BucketPolicy": {"Version": "2012-10-17", "Statement": [bucket_statement]},
        "KeyPolicy": {"Version": "2012-10-17", "Statement": [key_statement]},
    }


def archive_policy_text(archive: LogReplica, *, organization_id: str) -> str:
    """What `python app.py archive-policy` prints: valid JSON, both documents."""
    return json.dumps(archive_policies(archive, organization_id=organization_id), indent=2)
