"""Configuration section `scp_*`: what the organization's Service Control Policies exempt and allow.

`core/organization/` builds the policies: only the project's roles may change the settings it manages, only the
deployment roles may create or change those roles and the project's tagged resources, calls outside invocation
logging are denied, and so are Bedrock API keys. These keys add exact deployment roles, name the CDK bootstrap
qualifier, allow chosen unlogged paths, and name what AWS does not document yet (the retention-storage actions).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.config.values import as_bool, as_list, fail
from core.invocation_logging.guard import UNLOGGED_INFERENCE_OPERATIONS

# The qualifier `cdk bootstrap` uses unless told otherwise (the `Qualifier` parameter's default in the bootstrap
# template of the pinned CDK CLI, node_modules/aws-cdk/lib/api/bootstrap/bootstrap-template.yaml).
DEFAULT_CDK_QUALIFIER = "hnb659fds"

DEFAULTS: dict[str, Any] = {
    "scp_logging_admin_arns": [],
    "scp_cdk_qualifier": DEFAULT_CDK_QUALIFIER,
    "scp_deploy_role_principals": [],
    "scp_allow_unlogged_endpoint": False,
    "scp_allow_unlogged_inference": [],
    "scp_deny_api_keys": True,
    "scp_data_retention_storage_actions": [],
}

# An IAM role ARN with an exact path and name (`aws:PrincipalArn` of a role session is the role's ARN, path
# included); the partition and the account may be `*` (the same role in every account of the organization).
_ROLE_ARN = re.compile(r"^arn:(\*|aws[a-z-]*):iam::(\*|\d{12}):role/[\w+=,.@/-]+$")
_ROLE_ARN_PATTERN = re.compile(r"^arn:(\*|aws[a-z-]*):iam::(\*|\d{12}):role/[\w+=,.@*?/-]+$")
# The bootstrap's role names (`cdk-<qualifier>-image-publishing-role-<account>-<region>`) must stay within IAM's 64
# characters (a comment of the CDK bootstrap template), which leaves 10 characters for the qualifier.
_QUALIFIER = re.compile(r"^[A-Za-z0-9]{1,10}$")
_BEDROCK_ACTION = re.compile(r"^bedrock:[A-Za-z]+$")
MIGRATION = "docs/platform/access.md#who-the-scps-exempt"


@dataclass(frozen=True)
class ScpConfig:
    """Who the SCPs exempt beyond the project's own roles and the CDK deployment roles, and what stays open."""

    # Further deployment roles, by exact ARN (a pipeline's role, the principal that bootstraps new Regions).
    logging_admin_arns: tuple[str, ...]
    # The CDK bootstrap qualifier: it names the execution and deploy roles CloudFormation deploys with.
    cdk_qualifier: str
    # Who may assume the CDK deploy roles, that is deploy the project (empty: whoever their trust policy allows).
    deploy_role_principals: tuple[str, ...]
    allow_unlogged_endpoint: bool
    # Operations of UNLOGGED_INFERENCE_OPERATIONS left allowed.
    allow_unlogged_inference: tuple[str, ...]
    deny_api_keys: bool
    # IAM actions that change data retention storage, once AWS documents them (none documented yet).
    data_retention_storage_actions: tuple[str, ...]


def parse_scp(raw: Mapping[str, Any]) -> ScpConfig:
    qualifier = raw["scp_cdk_qualifier"]
    if not isinstance(qualifier, str) or not _QUALIFIER.match(qualifier):
        raise fail("scp_cdk_qualifier", qualifier, "the qualifier of `cdk bootstrap`: 1-10 letters or digits")
    inference = as_list("scp_allow_unlogged_inference", raw["scp_allow_unlogged_inference"])
    for operation in inference:
        if operation not in UNLOGGED_INFERENCE_OPERATIONS:
            raise fail("scp_allow_unlogged_inference", operation, ", ".join(UNLOGGED_INFERENCE_OPERATIONS))
    storage = as_list("scp_data_retention_storage_actions", raw["scp_data_retention_storage_actions"])
    for action in storage:
        if not isinstance(action, str) or not _BEDROCK_ACTION.match(action):
            raise fail(
                "scp_data_retention_storage_actions",
                action,
                "IAM actions of Amazon Bedrock without wildcards, as the Service Authorization Reference names them",
            )
    return ScpConfig(
        logging_admin_arns=_exact_roles("scp_logging_admin_arns", raw["scp_logging_admin_arns"]),
        cdk_qualifier=qualifier,
        deploy_role_principals=_exact_roles("scp_deploy_role_principals", raw["scp_deploy_role_principals"]),
        allow_unlogged_endpoint=as_bool("scp_allow_unlogged_endpoint", raw["scp_allow_unlogged_endpoint"]),
        allow_unlogged_inference=tuple(dict.fromkeys(inference)),
        deny_api_keys=as_bool("scp_deny_api_keys", raw["scp_deny_api_keys"]),
        data_retention_storage_actions=tuple(dict.fromkeys(storage)),
    )


def _exact_roles(key: str, value: Any) -> tuple[str, ...]:
    """Role ARNs without a wildcard in the path or name: a pattern there is matched by a role an administrator
    creates, and an exemption by pattern is one they can borrow."""
    roles = as_list(key, value)
    for role in roles:
        if isinstance(role, str) and _ROLE_ARN_PATTERN.match(role) and not _ROLE_ARN.match(role):
            raise fail(
                key,
                role,
                "exact role ARNs (no * or ? after role/): a pattern is matched by a role an administrator can create "
                "(iam:CreateRole); the project's roles and the CDK deployment roles are exempt without this key, "
                f"see {MIGRATION}",
            )
        if not isinstance(role, str) or not _ROLE_ARN.match(role):
            raise fail(key, role, "IAM role ARNs such as arn:aws:iam::111122223333:role/Deployer")
    return tuple(dict.fromkeys(roles))
