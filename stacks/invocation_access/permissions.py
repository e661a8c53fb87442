"""IAM statements for invoking Claude through an inference profile, exactly as Bedrock authorizes them.

Plain functions over the catalog, free of CDK, so the same statements feed the
construct, the Service Control Policy printer and the tests.

Bedrock authorizes a call made through an inference profile twice: once on the
profile ARN in the source Region, once on the foundation model in the Region the
request is routed to. Conditioning the foundation-model grant on
`bedrock:InferenceProfileArn` means the model cannot be called directly.
The Converse and ConverseStream APIs are authorized by these same two actions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from stacks.catalog import GEOGRAPHIES, GLOBAL, ClaudeModel, ResolvedProfile, partition_of

INVOKE = "bedrock:InvokeModel"
INVOKE_STREAM = "bedrock:InvokeModelWithResponseStream"
# The value of aws:RequestedRegion when a global profile routes to the region-less model ARN.
UNSPECIFIED_REGION = "unspecified"
# IAM's size limit for a customer-managed policy document, in characters without whitespace.
MANAGED_POLICY_LIMIT = 6144

Statement = dict[str, Any]


def invoke_actions(allow_streaming: bool) -> list[str]:
    return [INVOKE, INVOKE_STREAM] if allow_streaming else [INVOKE]


def _sid(*parts: str) -> str:
    return "".join(word.capitalize() for part in parts for word in re.split(r"[^A-Za-z0-9]+", part) if word)


def policy_size(statements: list[Statement]) -> int:
    """Characters IAM counts against a managed policy's 6,144 limit (whitespace excluded)."""
    return len(json.dumps({"Version": "2012-10-17", "Statement": statements}, separators=(",", ":")))


def allow_statements(profiles: Iterable[ResolvedProfile], actions: list[str]) -> list[Statement]:
    """The Allow statements for each resolved (model, scope, source Region)."""
    statements: list[Statement] = []
    for p in profiles:
        name = p.model.alias
        profile_condition = {"bedrock:InferenceProfileArn": p.profile_arn}
        if p.scope == GLOBAL:
            in_region = {"aws:RequestedRegion": p.source_region}
            statements += [
                {
                    "Sid": _sid("Global profile", name),
                    "Effect": "Allow",
                    "Action": actions,
                    "Resource": [p.profile_arn],
                    "Condition": {"StringEquals": in_region},
                },
                {
                    "Sid": _sid("Global source region model", name),
                    "Effect": "Allow",
                    "Action": actions,
                    "Resource": list(p.foundation_model_arns),
                    "Condition": {"StringEquals": {**in_region, **profile_condition}},
                },
                {
                    "Sid": _sid("Global routed model", name),
                    "Effect": "Allow",
                    "Action": actions,
                    "Resource": [p.regionless_foundation_model_arn],
                    "Condition": {"StringEquals": {"aws:RequestedRegion": UNSPECIFIED_REGION, **profile_condition}},
                },
            ]
        else:
            statements += [
                {
                    "Sid": _sid(p.scope, "profile", name),
                    "Effect": "Allow",
                    "Action": actions,
                    "Resource": [p.profile_arn],
                },
                {
                    "Sid": _sid(p.scope, "routed model", name),
                    "Effect": "Allow",
                    "Action": actions,
                    "Resource": list(p.foundation_model_arns),
                    "Condition": {"StringEquals": profile_condition},
                },
            ]
    return statements


def other_profile_patterns(scope: str, partition: str) -> list[str]:
    """Inference-profile ARN patterns of every scope other than `scope`."""
    return [
        f"arn:{partition}:bedrock:*:*:inference-profile/{other}.*" for other in (GLOBAL, *GEOGRAPHIES) if other != scope
    ]


def residency_deny_statements(scope: str, partition: str, actions: list[str]) -> list[Statement]:
    """With a geographic scope: deny every other routing, whatever other policies allow.

    An explicit Deny wins over any Allow, so a caller holding this policy cannot
    send data outside the chosen geography even if another policy grants more.
    """
    if scope == GLOBAL:
        return []
    return [
        {
            "Sid": _sid("Deny routing outside", scope),
            "Effect": "Deny",
            "Action": actions,
            "Resource": [
                *other_profile_patterns(scope, partition),
                f"arn:{partition}:bedrock:::foundation-model/*",
            ],
        }
    ]


def marketplace_statements(models: Iterable[ClaudeModel]) -> list[Statement]:
    """First use of an Anthropic model in an account subscribes to it through AWS Marketplace.

    These actions have no resource-level permissions (AWS documents Resource "*"). Subscribe
    accepts the `aws-marketplace:ProductId` condition key: when the catalog knows the product
    of every allowed model, the subscription is limited to those products.
    """
    product_ids = [m.marketplace_product_id for m in models]
    subscribe: Statement = {
        "Sid": "MarketplaceSubscribeToAllowedModels",
        "Effect": "Allow",
        "Action": ["aws-marketplace:Subscribe"],
        "Resource": ["*"],
    }
    if all(product_ids):
        subscribe["Condition"] = {"ForAnyValue:StringEquals": {"aws-marketplace:ProductId": sorted(set(product_ids))}}
    return [
        {
            "Sid": "MarketplaceViewSubscriptions",
            "Effect": "Allow",
            "Action": ["aws-marketplace:ViewSubscriptions"],
            "Resource": ["*"],
        },
        subscribe,
    ]


def scp_statements(scope: str, regions: Iterable[str]) -> list[Statement]:
    """Service Control Policy statements for an AWS Organizations administrator.

    - global scope: a Region-deny SCP blocks the global profile, because Bedrock checks
      the region-less model ARN with aws:RequestedRegion `unspecified`. The statement
      below is a Region-deny that lets only calls made through a global profile pass.
    - geographic scope: forbid global routing and every other geography organization-wide.
    """
    regions = list(regions)
    partition = partition_of(regions[0])
    global_profiles = f"arn:{partition}:bedrock:*:*:inference-profile/{GLOBAL}.*"
    if scope == GLOBAL:
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
            "Sid": _sid("Deny bedrock routing outside", scope),
            "Effect": "Deny",
            "Action": actions,
            "Resource": [
                *other_profile_patterns(scope, partition),
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
