"""Service Control Policy statements that hold the configured scope and the logging guarantee across an Organization.

`python app.py scp` prints them and, with `organization_targets`, the organization stack deploys them
(`core.organization.policies` assembles both from one owner). The scope statements come from the same builders as
the invocation policies (`core.invocation_access.permissions`), so the two cannot disagree.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from core.catalog.scopes import GLOBAL, partition_of
from core.config.scp import ScpConfig
from core.data_retention.modes import DataRetentionMode, at_most
from core.data_retention.operations import DATA_RETENTION_ACTIONS, DATA_RETENTION_MODE_KEY
from core.invocation_access.permissions import (
    UNSPECIFIED_REGION,
    Statement,
    invoke_actions,
    other_profile_patterns,
    sid,
)
from core.invocation_logging.configuration import DELETE_LOGGING_CONFIGURATION, PUT_LOGGING_CONFIGURATION
from core.invocation_logging.guard import UNLOGGED_INFERENCE_OPERATIONS
from core.organization.principals import ExemptPrincipals
from core.organization.project_resources import log_object_statement, tagged_resource_statements

BEDROCK_SERVICE = "bedrock.amazonaws.com"
# Global services a Region-deny must leave alone (their calls name us-east-1 or no Region).
GLOBAL_SERVICES = ("account:*", "cloudfront:*", "iam:*", "organizations:*", "route53:*", "sts:*", "support:*")


def approved_entries(endpoint_scope: str, regions: Iterable[str], partition: str) -> list[str]:
    """The profiles a call may enter through: the scope's system-defined profiles and the application profiles (a
    team's) of the approved Regions only, so a routed request is admitted only when its call began where logging is
    configured."""
    return [
        f"arn:{partition}:bedrock:{region}:*:{entry}"
        for region in regions
        for entry in (f"inference-profile/{endpoint_scope}.*", "application-inference-profile/*")
    ]


def region_deny(endpoint_scope: str, regions: list[str]) -> Statement:
    """Everything outside the approved Regions (those with a logging stack) is denied, except the routed legs of calls
    that entered through a profile of an approved Region.

    Bedrock authorizes a routed call again on the foundation model with `aws:RequestedRegion` set to the destination
    Region (or `unspecified` for the global profile's region-less model ARN) and `bedrock:InferenceProfileArn` set to
    the profile the call entered through, which names its source Region. A profile ARN of an unapproved Region, or
    none at all (every other request), does not match, so calls made from any other Region are denied: they would be
    logged nowhere.
    """
    partition = partition_of(regions[0])
    name = "DenyOutsideApprovedRegionsExceptBedrockGlobalProfiles"
    if endpoint_scope != GLOBAL:
        name = sid("Deny outside approved regions except bedrock", endpoint_scope, "profiles")
    return {
        "Sid": name,
        "Effect": "Deny",
        "NotAction": list(GLOBAL_SERVICES),
        "Resource": "*",
        "Condition": {
            "StringNotEquals": {"aws:RequestedRegion": regions},
            # A negated operator matches a request without the key: every call that did not enter through a profile.
            "ArnNotLike": {"bedrock:InferenceProfileArn": approved_entries(endpoint_scope, regions, partition)},
        },
    }


def scp_statements(endpoint_scope: str, regions: Iterable[str]) -> list[Statement]:
    """The scope's statements: a Region-deny closed to the approved Regions; for a geography, also every other
    geography's and the global routing denied organization-wide."""
    regions = list(regions)
    if endpoint_scope == GLOBAL:
        return [region_deny(endpoint_scope, regions)]
    partition = partition_of(regions[0])
    global_profiles = f"arn:{partition}:bedrock:*:*:inference-profile/{GLOBAL}.*"
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
        region_deny(endpoint_scope, regions),
    ]


# AWS Organizations refuses an SCP over 5,120 characters, and every character counts, whitespace included
# (Organizations user guide, "SCP syntax").
SCP_SIZE_LIMIT = 5120
# What would let someone else create, act with, or act as an exempt role.
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


def setting_statements(
    scp: ScpConfig, principals: ExemptPrincipals, *, data_retention_mode: DataRetentionMode | None = None
) -> list[Statement]:
    """Only the setting writers put or delete what the project manages; with `data_retention_mode`, nobody (the
    deployment included) sets a mode that retains more than it (`bedrock:DataRetentionMode`, documented for
    bedrock:PutAccountDataRetention): the provider's rollback to a stricter mode stays possible."""
    writers = {"ArnNotLike": {"aws:PrincipalArn": list(principals.setting_writers)}}
    statements: list[Statement] = [
        {
            "Sid": "DenyLoggingConfigurationChangesOutsideDeployment",
            "Effect": "Deny",
            "Action": [f"bedrock:{PUT_LOGGING_CONFIGURATION}", f"bedrock:{DELETE_LOGGING_CONFIGURATION}"],
            "Resource": "*",
            "Condition": writers,
        },
        {
            "Sid": "DenyDataRetentionChangesOutsideDeployment",
            "Effect": "Deny",
            "Action": [*DATA_RETENTION_ACTIONS, *scp.data_retention_storage_actions],
            "Resource": "*",
            "Condition": writers,
        },
    ]
    if data_retention_mode is not None:
        statements.append(
            {
                "Sid": "DenyOtherDataRetentionModes",
                "Effect": "Deny",
                "Action": DATA_RETENTION_ACTIONS[0],
                "Resource": "*",
                "Condition": {"StringNotEquals": {DATA_RETENTION_MODE_KEY: list(at_most(data_retention_mode))}},
            }
        )
    return statements


def takeover_statements(scp: ScpConfig, principals: ExemptPrincipals) -> list[Statement]:
    """Nobody but the deployers creates, re-trusts, passes, changes, tags or deletes an exempt role; with
    `scp_deploy_role_principals`, only they may assume the CDK deploy roles (that is, deploy)."""
    statements: list[Statement] = [
        {
            "Sid": "DenyTakingOverExemptRoles",
            "Effect": "Deny",
            "Action": list(ROLE_CHANGE_ACTIONS),
            "Resource": list(principals.protected_roles),
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": list(principals.deployers)}},
        }
    ]
    if scp.deploy_role_principals:
        deploy_roles = [arn for arn in principals.deployers if f"cdk-{scp.cdk_qualifier}-deploy-role-" in arn]
        statements.append(
            {
                "Sid": "DenyDeployingOutsideTheDeploymentPrincipals",
                "Effect": "Deny",
                "Action": "sts:AssumeRole",
                "Resource": deploy_roles,
                "Condition": {"ArnNotLike": {"aws:PrincipalArn": list(scp.deploy_role_principals)}},
            }
        )
    return statements


def unlogged_path_statements(scp: ScpConfig) -> list[Statement]:
    """Every way to call Claude that invocation logging does not record is denied unless allowed: the bedrock-mantle
    endpoint (Bedrock user guide: "Calls made through other endpoints, such as the Responses API on the
    bedrock-mantle endpoint, are not currently captured by invocation logging"), batch jobs, agents, flows and
    knowledge-base generation, and Bedrock API keys (both endpoints' bearer-token actions and creating long-term
    keys: "you must deny both actions", "Permissions for Amazon Bedrock API keys")."""
    statements: list[Statement] = []
    if not scp.allow_unlogged_endpoint:
        statements.append(
            {"Sid": "DenyUnloggedBedrockEndpoint", "Effect": "Deny", "Action": "bedrock-mantle:*", "Resource": "*"}
        )
    unlogged = [f"bedrock:{o}" for o in UNLOGGED_INFERENCE_OPERATIONS if o not in scp.allow_unlogged_inference]
    if unlogged:
        statements.append(
            {"Sid": "DenyInferenceOutsideInvocationLogging", "Effect": "Deny", "Action": unlogged, "Resource": "*"}
        )
    if scp.deny_api_keys:
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


def guard_statements(
    scp: ScpConfig,
    principals: ExemptPrincipals,
    *,
    break_glass_principal: str | None,
    data_retention_mode: DataRetentionMode | None = None,
) -> list[Statement]:
    """Every statement that keeps the logging guarantee, in the order they are printed and packed."""
    return [
        *setting_statements(scp, principals, data_retention_mode=data_retention_mode),
        *takeover_statements(scp, principals),
        *tagged_resource_statements(principals.deployers),
        log_object_statement(break_glass_principal),
        *unlogged_path_statements(scp),
    ]


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
