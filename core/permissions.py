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

from core.catalog import ResolvedProfile
from core.models import ClaudeModel
from core.scopes import GEOGRAPHIES, GLOBAL, partition_of

INVOKE = "bedrock:InvokeModel"
INVOKE_STREAM = "bedrock:InvokeModelWithResponseStream"
COUNT_TOKENS = "bedrock:CountTokens"
# The value of aws:RequestedRegion when a global profile routes to the region-less model ARN.
UNSPECIFIED_REGION = "unspecified"
# IAM's size limit for a customer-managed policy document, in characters without whitespace.
MANAGED_POLICY_LIMIT = 6144

Statement = dict[str, Any]


def invoke_actions(allow_streaming: bool) -> list[str]:
    return [INVOKE, INVOKE_STREAM] if allow_streaming else [INVOKE]


def sid(*parts: str) -> str:
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
                    "Sid": sid("Global profile", name),
                    "Effect": "Allow",
                    "Action": actions,
                    "Resource": [p.profile_arn],
                    "Condition": {"StringEquals": in_region},
                },
                {
                    "Sid": sid("Global source region model", name),
                    "Effect": "Allow",
                    "Action": actions,
                    "Resource": list(p.foundation_model_arns),
                    "Condition": {"StringEquals": {**in_region, **profile_condition}},
                },
                {
                    "Sid": sid("Global routed model", name),
                    "Effect": "Allow",
                    "Action": actions,
                    "Resource": [p.regionless_foundation_model_arn],
                    "Condition": {"StringEquals": {"aws:RequestedRegion": UNSPECIFIED_REGION, **profile_condition}},
                },
            ]
        else:
            statements += [
                {
                    "Sid": sid(p.scope, "profile", name),
                    "Effect": "Allow",
                    "Action": actions,
                    "Resource": [p.profile_arn],
                },
                {
                    "Sid": sid(p.scope, "routed model", name),
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
            "Sid": sid("Deny routing outside", scope),
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


def count_tokens_statements(profiles: Iterable[ResolvedProfile]) -> list[Statement]:
    """Bedrock CountTokens on the models the catalog says it serves, and nothing else.

    CountTokens takes a foundation model ID, not an inference profile (its `modelId` is a
    FoundationModelVersionIdentifier in the bedrock-runtime service model), and is called in the source
    Region: the resource is the foundation model there. That IAM authorizes it on the foundation-model
    resource is how public policies grant it; the Service Authorization Reference row could not be read
    (unconfirmed). It costs nothing and returns only a count.
    """
    arns = [
        f"arn:{partition_of(p.source_region)}:bedrock:{p.source_region}::foundation-model/{p.model.model_id}"
        for p in profiles
        if p.model.count_tokens
    ]
    if not arns:
        return []
    return [{"Sid": "CountTokensOfAllowedModels", "Effect": "Allow", "Action": [COUNT_TOKENS], "Resource": arns}]
