"""The per-Region plan: the callers' statements and the invoker function's, computed once from the same profiles."""

from __future__ import annotations

from typing import Any

import pytest

from core.catalog import Catalog
from core.config import ConfigError
from core.plan import SAMPLE_ACCOUNT, PolicyTooLarge, RegionPlan, check_fits, plan_region
from tests.support.project import config_for

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
        scope=config.models.scope,
        region=region,
        account=SAMPLE_ACCOUNT,
        allow_streaming=config.access.allow_streaming,
        allow_marketplace_subscription=config.access.allow_marketplace_subscription,
    )


def actions(statement: dict[str, Any]) -> list[str]:
    return list(statement["Action"])


def test_the_plan_resolves_every_allowed_model_in_order() -> None:
    default = plan()
    assert (default.region, default.scope) == ("us-east-1", "global")
    assert [p.profile_id for p in default.profiles] == [
        "global.anthropic.claude-sonnet-4-6",
        "global.anthropic.claude-haiku-4-5-20251001-v1:0",
    ]
    assert {p.source_region for p in default.profiles} == {"us-east-1"}


def invoking(statements: tuple[dict[str, Any], ...]) -> list[dict[str, Any]]:
    return [s for s in statements if COUNT_TOKENS not in actions(s)]


def test_callers_may_stream_the_function_only_invokes_and_counts() -> None:
    default = plan()
    assert {tuple(actions(s)) for s in default.access_statements} == {(INVOKE, INVOKE_STREAM)}
    assert {tuple(actions(s)) for s in default.function_statements} == {(INVOKE,), (COUNT_TOKENS,)}
    # The same invocation statements otherwise: the function can never invoke more than a caller.
    strip = [{k: v for k, v in s.items() if k != "Action"} for s in default.access_statements]
    assert [{k: v for k, v in s.items() if k != "Action"} for s in invoking(default.function_statements)] == strip


def test_without_streaming_callers_hold_exactly_the_functions_invocation_statements() -> None:
    no_stream = plan(access_allow_streaming=False)
    assert list(no_stream.access_statements) == invoking(no_stream.function_statements)


def test_the_function_counts_tokens_on_the_base_models_the_catalog_says_bedrock_serves() -> None:
    """Haiku 4.5 is served by CountTokens, Sonnet 4.6 (launched cross-Region only) is not: one ARN, in the source
    Region, never a profile and never a wildcard."""
    (count,) = [s for s in plan().function_statements if COUNT_TOKENS in actions(s)]
    assert count == {
        "Sid": "CountTokensOfAllowedModels",
        "Effect": "Allow",
        "Action": [COUNT_TOKENS],
        "Resource": ["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0"],
    }
    assert not [s for s in plan(models=["claude-sonnet-4-6"]).function_statements if COUNT_TOKENS in actions(s)]


def test_the_function_never_gets_marketplace_actions_even_when_callers_may_subscribe() -> None:
    subscribing = plan(access_allow_marketplace_subscription=True)
    access_marketplace = [s for s in subscribing.access_statements if actions(s)[0].startswith("aws-marketplace:")]
    assert [s["Sid"] for s in access_marketplace] == [
        "MarketplaceViewSubscriptions",
        "MarketplaceSubscribeToAllowedModels",
    ]
    function_actions = {action for s in subscribing.function_statements for action in actions(s)}
    assert function_actions == {INVOKE, COUNT_TOKENS}
    # Marketplace on or off changes nothing for the function.
    assert subscribing.function_statements == plan().function_statements


def test_a_geographic_plan_denies_other_routing_to_callers_and_function_alike() -> None:
    eu = plan("eu-west-1", endpoint_scope="eu", models=["claude-sonnet-4-6"])
    for statements in (eu.access_statements, eu.function_statements):
        (deny,) = [s for s in statements if s["Effect"] == "Deny"]
        assert deny["Sid"] == "DenyRoutingOutsideEu"
        assert "arn:aws:bedrock:*:*:inference-profile/global.*" in deny["Resource"]
    (function_deny,) = [s for s in eu.function_statements if s["Effect"] == "Deny"]
    # The function's deny covers its one action; the callers' covers streaming too.
    assert function_deny["Action"] == [INVOKE]


def test_too_many_models_for_one_managed_policy_is_refused() -> None:
    # Built from the catalog: the configuration would refuse these models before a plan is made.
    too_large = plan_region(
        models=[Catalog().get(alias) for alias in SIX_MODELS],
        scope="eu",
        region="eu-west-2",
        account=SAMPLE_ACCOUNT,
        allow_streaming=True,
        allow_marketplace_subscription=False,
    )
    with pytest.raises(PolicyTooLarge) as error:
        check_fits(too_large)
    message = str(error.value)
    assert message.startswith("models: 6 models under 'eu' from eu-west-2 need a ")
    assert message.endswith(
        "-character policy; allowed: at most 6144 characters per managed policy, so allow fewer models"
    )
    size = int(message.split(" need a ", 1)[1].split("-character", 1)[0])
    assert size > 6144
    # The default plan fits.
    check_fits(plan())


def test_configuration_refuses_a_plan_that_does_not_fit_in_one_line() -> None:
    with pytest.raises(ConfigError, match=r"^models: 6 models under 'eu' from eu-west-2 need a \d+-character policy"):
        config_for(
            endpoint_scope="eu", regions=["eu-west-2"], models=SIX_MODELS, invoker_default_model="claude-opus-4-7"
        )
    # Fewer models fit.
    config_for(
        endpoint_scope="eu", regions=["eu-west-2"], models=SIX_MODELS[:2], invoker_default_model="claude-opus-4-7"
    )
