"""Configuration section `scp_*`: what `python app.py scp` adds to the scope statements for the organization.

The printed Service Control Policies deny changing or deleting the invocation-logging configuration to every
principal but the deployment roles (`scp_logging_admin_arns`), deny the `bedrock-mantle` endpoint, whose calls
invocation logging does not record, unless `scp_allow_unlogged_endpoint`, and deny Bedrock API keys unless
`scp_deny_api_keys` is false. `core/organization/scp.py` builds them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.config.values import as_bool, as_list, fail
from core.invocation_logging.guard import PROJECT_ROLE_PATH

# The roles of this project that change the logging configuration (the configuration provider, the continuous
# audit's self-repair) carry PROJECT_ROLE_PATH; CloudFormation deploys with the CDK bootstrap's execution role.
DEFAULT_LOGGING_ADMIN_ARNS = (
    f"arn:*:iam::*:role{PROJECT_ROLE_PATH}*",
    "arn:*:iam::*:role/cdk-*-cfn-exec-role-*",
)

DEFAULTS: dict[str, Any] = {
    "scp_logging_admin_arns": list(DEFAULT_LOGGING_ADMIN_ARNS),
    "scp_allow_unlogged_endpoint": False,
    "scp_deny_api_keys": True,
}

# An IAM role ARN pattern (aws:PrincipalArn of a role session is the role's ARN, path included); wildcards allowed.
_ROLE_ARN_PATTERN = re.compile(r"^arn:(\*|aws[a-z-]*):iam::(\*|\d{12}):role/[\w+=,.@*/-]+$")


@dataclass(frozen=True)
class ScpConfig:
    """Which principals keep the right to change the logging configuration, and which Bedrock paths stay open."""

    logging_admin_arns: tuple[str, ...]
    allow_unlogged_endpoint: bool
    deny_api_keys: bool


def parse_scp(raw: Mapping[str, Any]) -> ScpConfig:
    patterns = as_list("scp_logging_admin_arns", raw["scp_logging_admin_arns"])
    for pattern in patterns:
        if not isinstance(pattern, str) or not _ROLE_ARN_PATTERN.match(pattern):
            raise fail(
                "scp_logging_admin_arns",
                pattern,
                f"IAM role ARN patterns such as arn:*:iam::*:role{PROJECT_ROLE_PATH}* (wildcards allowed)",
            )
    if not patterns:
        raise fail(
            "scp_logging_admin_arns",
            raw["scp_logging_admin_arns"],
            "one or more role ARN patterns: with none, not even this project's deployment could apply the "
            "logging configuration",
        )
    return ScpConfig(
        logging_admin_arns=tuple(dict.fromkeys(patterns)),
        allow_unlogged_endpoint=as_bool("scp_allow_unlogged_endpoint", raw["scp_allow_unlogged_endpoint"]),
        deny_api_keys=as_bool("scp_deny_api_keys", raw["scp_deny_api_keys"]),
    )
