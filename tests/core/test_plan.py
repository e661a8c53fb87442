"""The per-Region plan: the callers' statements and the invoker function's, computed once from the same profiles."""

from __future__ import annotations

from typing import Any

import pytest

from core.catalog.lookup import Catalog
from core.catalog.models import ClaudeModel, Profile
from core.invocation_access.plan import (
    FUNCTION_OWN_STATEMENTS_RESERVE,
    SAMPLE_ACCOUNT,
    RegionPlan,
    plan_region,
)
from core.invocation_access.policy_packing import MANAGED_POLICY_LIMIT, MAX_MANAGED_POLICIES_PER_ROLE, policy_size
from tests.support.project import catalog_matrix, config_for, current_models

INVOKE = "bedrock:InvokeModel"
INVOKE_STREAM = "bedrock:InvokeModelWithResponseStream"
COUNT_TOKENS = "bedrock:CountTokens"
SIX_MODELS = [
    "claude-opus-4-7",
    "claude-sonnet-4-6",
    "claude-opus-4-6",
    "claude-opus-4-5",
    "claude-sonnet-4-5",
    "claude-haiku-4-5",
]


def plan(region: str = "us-east-1", **context: Any) -> RegionPlan:
    config = config_for(regions=[region], **context)
    return plan_region(
        models=config.models.allowed,
        endpoint_scope=config.models.endpoint_scope,
        region=region,
        account=SAMPLE_ACCOUNT,
        allow_streaming=config.access.allow_streaming,
        allow_marketplace_subscription=config.access.allow_marketplace_subscription,
    )


# Two models Bedrock's CountTokens serves on bedrock-runtime (their cards list it); the defaults are not served.
COUNTED = {"models": ["claude-sonnet-4-6", "claude-haiku-4-5"], "invoker_default_model": "claude-sonnet-4-6"}


def actions(statement: dict[str, Any]) -> list[str]:
    return list(statement["Action"])


def test_the_plan_resolves_every_allowed_model_in_order() -> None:
    default = plan()
    assert (default.region, default.endpoint_scope) == ("us-east-1", "global")
    assert [p.profile_id for p in default.profiles] == [
        "global.anthropic.claude-haiku-5-5",
        "global.anthropic.claude-opus-4-8",
    ]
    assert {p.source_region for p in default.profiles} == {"us-east-1"}


def invoking(statements: tuple[dict[str, Any], ...]) -> list[dict[str, Any]]:
    return [s for s in statements if COUNT_TOKENS not in actions(s)]


def test_callers_may_stream_the_function_only_invokes_and_counts() -> None:
    default = plan(**COUNTED)
    assert {tuple(actions(s)) for s in default.access_statements} == {(INVOKE, INVOKE_STREAM)}
    assert {tuple(actions(s)) for s in default.function_statements} == {(INVOKE,), (COUNT_TOKENS,)}
    # The same invocation statements otherwise: the function can never invoke more than a caller.
    strip = [{k: v for k, v in s.items() if k != "Action"} for s in default.access_statements]
    assert [{k: v for k, v in s.items() if k != "Action"} for s in invoking(default.function_statements)] == strip


def test_without_streaming_callers_hold_exactly_the_functions_invocation_statements() -> None:
    no_stream = plan(access_allow_streaming=False, **COUNTED)
    assert list(no_stream.access_statements) == invoking(no_stream.function_statements)


def test_the_function_counts_tokens_on_the_base_models_the_catalog_says_bedrock_serves() -> None:
    """Sonnet 4.6 and Haiku 4.5 are served by CountTokens on bedrock-runtime (their cards), Opus 4.7 is not: one
    ARN per served model, in the source Region, never a profile and never a wildcard."""
    (count,) = [s for s in plan(**COUNTED).function_statements if COUNT_TOKENS in actions(s)]
    assert count == {
        "Sid": "CountTokensOfAllowedModels",
        "Effect": "Allow",
        "Action": [COUNT_TOKENS],
        "Resource": [
            "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6",
            "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
        ],
    }
    opus = plan(models=["claude-opus-4-7"], invoker_default_model="claude-opus-4-7")
    assert not [s for s in opus.function_statements if COUNT_TOKENS in actions(s)]
    # Nor the defaults: Haiku 5.5's and Opus 4.8's cards list CountTokens on bedrock-mantle only.
    assert not [s for s in plan().function_statements if COUNT_TOKENS in actions(s)]


def test_the_function_never_gets_marketplace_actions_even_when_callers_may_subscribe() -> None:
    subscribing = plan(access_allow_marketplace_subscription=True, **COUNTED)
    access_marketplace = [s for s in subscribing.access_statements if actions(s)[0].startswith("aws-marketplace:")]
    assert [s["Sid"] for s in access_marketplace] == [
        "MarketplaceViewSubscriptions",
        "MarketplaceSubscribeToAllowedModels",
    ]
    function_actions = {action for s in subscribing.function_statements for action in actions(s)}
    assert function_actions == {INVOKE, COUNT_TOKENS}
    # Marketplace on or off changes nothing for the function.
    assert subscribing.function_statements == plan(**COUNTED).function_statements


def test_a_geographic_plan_denies_other_routing_to_callers_and_function_alike() -> None:
    eu = plan("eu-west-1", endpoint_scope="eu", **COUNTED)
    for statements in (eu.access_statements, eu.function_statements):
        (deny,) = [s for s in statements if s["Effect"] == "Deny"]
        assert deny["Sid"] == "DenyRoutingOutsideEu"
        assert "arn:aws:bedrock:*:*:inference-profile/global.*" in deny["Resource"]
    (function_deny,) = [s for s in eu.function_statements if s["Effect"] == "Deny"]
    # The function's deny covers its one action; the callers' covers streaming too.
    assert function_deny["Action"] == [INVOKE]


@pytest.mark.parametrize(
    ("endpoint_scope", "region", "models"),
    catalog_matrix(),
    ids=lambda v: v if isinstance(v, str) else f"{len(v)}-models",
)
def test_every_current_model_fits_under_every_scope_from_every_source_region(
    endpoint_scope: str, region: str, models: list[str]
) -> None:
    # The largest configuration: every model of the (scope, Region), with Marketplace subscription.
    every = plan(
        region,
        endpoint_scope=endpoint_scope,
        models=models,
        invoker_default_model=models[0],
        access_allow_marketplace_subscription=True,
        allow_gated_models=True,  # Mythos 5.1 is a global model of some Regions
    )
    for policies in (every.access_policies(), every.function_policies()):
        assert 1 <= len(policies) <= MAX_MANAGED_POLICIES_PER_ROLE
        assert all(policy_size(p) <= MANAGED_POLICY_LIMIT for p in policies)
    assert [p.model for p in every.profiles] == [Catalog().get(m) for m in models]


def test_six_eu_models_once_refused_now_synthesize_in_one_policy() -> None:
    every = plan("eu-west-2", endpoint_scope="eu", models=SIX_MODELS, invoker_default_model="claude-opus-4-7")
    (policy,) = every.access_policies()
    assert list(policy) == list(every.access_statements)
    assert policy_size(policy) <= MANAGED_POLICY_LIMIT


CA_CENTRAL_1 = {"us": {"ca-central-1": ["ca-central-1", "us-east-1", "us-east-2", "us-west-2"]}}


def test_a_split_keeps_every_statement_and_every_resource_once() -> None:
    # Every current model of ca-central-1 and five more of the same routing: more than one policy holds.
    extra = [
        {"alias": f"extra-{n}", "model_id": f"anthropic.claude-extra-{n}-v1:0", "profiles": CA_CENTRAL_1}
        for n in range(5)
    ]
    us = current_models("us", "ca-central-1") + [e["alias"] for e in extra]
    every = plan(
        "ca-central-1",
        endpoint_scope="us",
        models=us,
        extra_models=extra,
        invoker_default_model=us[0],
        access_allow_marketplace_subscription=True,
    )
    policies = every.access_policies()
    assert len(policies) == 2
    merged: dict[str, list[str]] = {}
    for policy in policies:
        for statement in policy:
            merged.setdefault(statement["Sid"].split("Part")[0], []).extend(statement["Resource"])
    assert merged == {s["Sid"]: list(s["Resource"]) for s in every.access_statements}
    # The function's own policy keeps room for its own statements.
    first, *_ = every.function_policies()
    assert policy_size(first) <= MANAGED_POLICY_LIMIT - FUNCTION_OWN_STATEMENTS_RESERVE


def test_sizes_count_the_account_as_twelve_digits_whatever_synthesis_writes() -> None:
    us = current_models("us", "ca-central-1")
    token = "${Token[AWS.AccountId.1234]}"
    tokens = plan_region(
        models=[Catalog().get(m) for m in us],
        endpoint_scope="us",
        region="ca-central-1",
        account=token,
        allow_streaming=True,
        allow_marketplace_subscription=False,
    )
    sample = plan("ca-central-1", endpoint_scope="us", models=us, invoker_default_model=us[0])
    assert [len(p) for p in tokens.access_policies()] == [len(p) for p in sample.access_policies()]
    assert token in str(tokens.access_policies())


JP = Profile("jp", (("ap-northeast-1", ("ap-northeast-1", "ap-northeast-3")),))


def test_many_models_are_granted_in_groups_when_that_takes_fewer_policies() -> None:
    # Sixty models under jp: one list of sixty profiles, repeated in every part of a split statement, would need
    # far more policies than groups of models that each name only their own profiles.
    sixty = tuple(ClaudeModel(f"x{n}", f"Model {n}", f"anthropic.claude-x-{n:02d}", (JP,)) for n in range(60))
    plan = plan_region(
        models=sixty,
        endpoint_scope="jp",
        region="ap-northeast-1",
        account=SAMPLE_ACCOUNT,
        allow_streaming=True,
        allow_marketplace_subscription=False,
    )
    sids = [s["Sid"] for s in plan.access_statements]
    assert {"JpProfilesGroup1", "JpRoutedModelsGroup1", "JpRoutedModelsGroup2"} <= set(sids)
    assert len(plan.access_policies()) <= MAX_MANAGED_POLICIES_PER_ROLE
    # Each group's routed models are conditioned on exactly that group's profiles.
    for statement in plan.access_statements:
        if statement["Sid"].startswith("JpRoutedModelsGroup"):
            models = {arn.rsplit("/", 1)[1] for arn in statement["Resource"]}
            profiles = {
                arn.rsplit("/jp.", 1)[1]
                for arn in statement["Condition"]["StringEquals"]["bedrock:InferenceProfileArn"]
            }
            assert models == profiles
