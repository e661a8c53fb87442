"""Service Control Policy statements that hold the configured scope and the logging guarantee across an Organization.

Printed by `python app.py scp` for an Organizations administrator to attach; the same statement builders as the
invocation policies (`core.invocation_access.permissions`), so the two cannot disagree.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from core.catalog.scopes import GLOBAL, partition_of
from core.invocation_access.permissions import (
    UNSPECIFIED_REGION,
    Statement,
    invoke_actions,
    other_profile_patterns,
    sid,
)
from core.invocation_logging.configuration import DELETE_LOGGING_CONFIGURATION, PUT_LOGGING_CONFIGURATION
from core.invocation_logging.guard import PROJECT_ROLE_PATH

BEDROCK_SERVICE = "bedrock.amazonaws.com"


def scp_statements(endpoint_scope: str, regions: Iterable[str]) -> list[Statement]:
    """Service Control Policy statements for an AWS Organizations administrator.

    - global scope: a Region-deny SCP blocks the global profile, because Bedrock checks
      the region-less model ARN with aws:RequestedRegion `unspecified`. The statement
      below is a Region-deny that lets only calls made through a global profile pass.
    - geographic scope: forbid global routing and every other geography organization-wide.
    """
    regions = list(regions)
    partition = partition_of(regions[0])
    global_profiles = f"arn:{partition}:bedrock:*:*:inference-profile/{GLOBAL}.*"
    if endpoint_scope == GLOBAL:
        return [
            {
                "Sid": "DenyOutsideApprovedRegionsExceptBedrockGlobalProfiles",
                "Effect": "Deny",
                "NotAction": [
                    "account:*",
                    "cloudfront:*",
                    "iam:*",
                    "organizations:*",
                    "route53:*",
                    "sts:*",
                    "support:*",
                ],
                "Resource": "*",
                "Condition": {
                    "StringNotEquals": {"aws:RequestedRegion": regions},
                    # Absent on every other request, so the exemption applies to global-profile calls only.
                    "ArnNotLike": {"bedrock:InferenceProfileArn": global_profiles},
                },
            }
        ]
    actions = invoke_actions(True)
    return [
        {
            "Sid": sid("Deny bedrock routing outside", endpoint_scope),
            "Effect": "Deny",
            "Action": actions,
            "Resource": [
                *other_profile_patterns(endpoint_scope, partition),
                f"arn:{partition}:bedrock:::foundation-model/*",
            ],
        },
        {
            "Sid": "DenyBedrockGlobalRouting",
            "Effect": "Deny",
            "Action": actions,
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:RequestedRegion": UNSPECIFIED_REGION},
                "ArnLike": {"bedrock:InferenceProfileArn": global_profiles},
            },
        },
    ]


# AWS Organizations refuses an SCP over 5,120 characters, and every character counts, whitespace included
# (Organizations user guide, "SCP syntax").
SCP_SIZE_LIMIT = 5120
# The role actions that would let someone else act with, or as, a role of the logging-admin path.
ROLE_CHANGE_ACTIONS = (
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PassRole",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
)


def guard_statements(
    *, logging_admin_arns: Iterable[str], allow_unlogged_endpoint: bool, deny_api_keys: bool
) -> list[Statement]:
    """Statements that keep invocation logging on, and every Claude call on the logged endpoint, organization-wide.

    - Only the deployment roles (`logging_admin_arns`) may put or delete the logging configuration, and only they
      may create, change or pass the roles of the project's path (which are among them).
    - `bedrock-mantle` serves the Messages API outside invocation logging (Bedrock user guide, "Monitor the
      bedrock-mantle endpoint" lists CloudWatch metrics and CloudTrail only): denied unless allowed.
    - Bedrock API keys: both endpoints' bearer-token actions and creating long-term keys (Bedrock user guide,
      "Permissions for Amazon Bedrock API keys": "you must deny both actions").
    """
    admins = list(logging_admin_arns)
    statements: list[Statement] = [
        {
            "Sid": "DenyLoggingConfigurationChangesOutsideDeployment",
            "Effect": "Deny",
            "Action": [f"bedrock:{PUT_LOGGING_CONFIGURATION}", f"bedrock:{DELETE_LOGGING_CONFIGURATION}"],
            "Resource": "*",
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": admins}},
        },
        {
            "Sid": "DenyChangesToLoggingAdminRoles",
            "Effect": "Deny",
            "Action": list(ROLE_CHANGE_ACTIONS),
            "Resource": f"arn:*:iam::*:role{PROJECT_ROLE_PATH}*",
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": admins}},
        },
    ]
    if not allow_unlogged_endpoint:
        statements.append(
            {"Sid": "DenyUnloggedBedrockEndpoint", "Effect": "Deny", "Action": "bedrock-mantle:*", "Resource": "*"}
        )
    if deny_api_keys:
        statements += [
            {
                "Sid": "DenyBedrockApiKeys",
                "Effect": "Deny",
                "Action": ["bedrock:CallWithBearerToken", "bedrock-mantle:CallWithBearerToken"],
                "Resource": "*",
            },
            {
                "Sid": "DenyCreatingBedrockApiKeys",
                "Effect": "Deny",
                "Action": "iam:CreateServiceSpecificCredential",
                "Resource": "*",
                "Condition": {"StringEquals": {"iam:ServiceSpecificCredentialServiceName": BEDROCK_SERVICE}},
            },
        ]
    return statements


def policy_text(policy: Statement) -> str:
    """A policy as `python app.py scp` prints it, and as AWS Organizations counts it."""
    return json.dumps(policy, indent=2)


def scp_policies(statements: Iterable[Statement]) -> list[Statement]:
    """The statements in as few policies as fit, in order, each within SCP_SIZE_LIMIT as printed."""
    policies: list[Statement] = []
    for statement in statements:
        if policies and len(policy_text(_policy([*policies[-1]["Statement"], statement]))) <= SCP_SIZE_LIMIT:
            policies[-1]["Statement"].append(statement)
            continue
        policy = _policy([statement])
        if len(policy_text(policy)) > SCP_SIZE_LIMIT:
            raise ValueError(f"SCP statement {statement.get('Sid')} alone exceeds {SCP_SIZE_LIMIT} characters")
        policies.append(policy)
    return policies


def _policy(statements: list[Statement]) -> Statement:
    return {"Version": "2012-10-17", "Statement": statements}
