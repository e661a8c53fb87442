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

import re
from collections.abc import Iterable, Sequence

from core.catalog.lookup import ResolvedProfile
from core.catalog.models import ClaudeModel
from core.catalog.scopes import GEOGRAPHIES, GLOBAL, partition_of
from core.invocation_access.policy_packing import MANAGED_POLICY_LIMIT, Statement, policy_size

__all__ = [
    "INVOKE",
    "INVOKE_STREAM",
    "MANAGED_POLICY_LIMIT",
    "UNSPECIFIED_REGION",
    "Statement",
    "allow_statements",
    "count_tokens_statements",
    "invoke_actions",
    "marketplace_statements",
    "other_profile_patterns",
    "policy_size",
    "residency_deny_statements",
    "sid",
]

INVOKE = "bedrock:InvokeModel"
INVOKE_STREAM = "bedrock:InvokeModelWithResponseStream"
COUNT_TOKENS = "bedrock:CountTokens"
# The value of aws:RequestedRegion when a global profile routes to the region-less model ARN.
UNSPECIFIED_REGION = "unspecified"


def invoke_actions(allow_streaming: bool) -> list[str]:
    return [INVOKE, INVOKE_STREAM] if allow_streaming else [INVOKE]


def sid(*parts: str) -> str:
    return "".join(word.capitalize() for part in parts for word in re.split(r"[^A-Za-z0-9]+", part) if word)


def allow_statements(
    profiles: Sequence[ResolvedProfile],
    actions: list[str],
    entry_arns: Sequence[str] = (),
    group_size: int | None = None,
) -> list[Statement]:
    """The Allow statements for the resolved (model, scope, source Region) profiles: one per kind of resource.

    `entry_arns` are further profiles callers enter through, one per profile (a team's application inference
    profiles): allowed beside the system-defined profiles and accepted as `bedrock:InferenceProfileArn` of a
    routed model. With `group_size`, consecutive groups of that many models get their own statements (Sids ending
    in Group1, Group2...), each naming only its own models' profiles (see
    `core.invocation_access.policy_packing.fewest_policies`).

    One statement holds every profile ARN and one every routed foundation-model ARN, conditioned on the list of
    allowed profiles. This admits exactly what one pair of statements per model admits. A caller cannot use
    profile B to reach model A: a system-defined profile `<scope>.<model>` contains one model, the one its ID
    names, so Bedrock routes a call made through B only to B's model and authorizes that model's ARN with
    `bedrock:InferenceProfileArn` = B. The pair (model A, profile B) is never presented, and the condition key
    is set by Bedrock, not by the caller. An application inference profile copied from B likewise routes only
    to B's model.
    """
    if entry_arns and len(entry_arns) != len(profiles):
        raise ValueError("allow_statements: one entry ARN per profile")
    if group_size is not None and group_size < len(profiles):
        return [
            {**statement, "Sid": f"{statement['Sid']}Group{number}"}
            for number, start in enumerate(range(0, len(profiles), group_size), start=1)
            for statement in allow_statements(
                profiles[start : start + group_size], actions, entry_arns[start : start + group_size]
            )
        ]
    if not profiles:
        return []
    endpoint_scope, region = profiles[0].endpoint_scope, profiles[0].source_region
    if any((p.endpoint_scope, p.source_region) != (endpoint_scope, region) for p in profiles):
        raise ValueError("allow_statements: every profile must have the same scope and source Region")
    entries = [p.profile_arn for p in profiles] + list(entry_arns)
    routed = [arn for p in profiles for arn in p.foundation_model_arns]
    profile_condition = {"bedrock:InferenceProfileArn": entries}
    if endpoint_scope == GLOBAL:
        in_region = {"aws:RequestedRegion": region}
        return [
            {
                "Sid": "GlobalProfiles",
                "Effect": "Allow",
                "Action": actions,
                "Resource": entries,
                "Condition": {"StringEquals": in_region},
            },
            {
                "Sid": "GlobalSourceRegionModels",
                "Effect": "Allow",
                "Action": actions,
                "Resource": routed,
                "Condition": {"StringEquals": {**in_region, **profile_condition}},
            },
            {
                "Sid": "GlobalRoutedModels",
                "Effect": "Allow",
                "Action": actions,
                "Resource": [str(p.regionless_foundation_model_arn) for p in profiles],
                "Condition": {"StringEquals": {"aws:RequestedRegion": UNSPECIFIED_REGION, **profile_condition}},
            },
        ]
    return [
        {"Sid": sid(endpoint_scope, "profiles"), "Effect": "Allow", "Action": actions, "Resource": entries},
        {
            "Sid": sid(endpoint_scope, "routed models"),
            "Effect": "Allow",
            "Action": actions,
            "Resource": routed,
            "Condition": {"StringEquals": profile_condition},
        },
    ]


def other_profile_patterns(endpoint_scope: str, partition: str) -> list[str]:
    """Inference-profile ARN patterns of every scope other than `scope`."""
    return [
        f"arn:{partition}:bedrock:*:*:inference-profile/{other}.*"
        for other in (GLOBAL, *GEOGRAPHIES)
        if other != endpoint_scope
    ]


def residency_deny_statements(endpoint_scope: str, partition: str, actions: list[str]) -> list[Statement]:
    """With a geographic scope: deny every other routing, whatever other policies allow.

    An explicit Deny wins over any Allow, so a caller holding this policy cannot
    send data outside the chosen geography even if another policy grants more.
    """
    if endpoint_scope == GLOBAL:
        return []
    return [
        {
            "Sid": sid("Deny routing outside", endpoint_scope),
            "Effect": "Deny",
            "Action": actions,
            "Resource": [
                *other_profile_patterns(endpoint_scope, partition),
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
