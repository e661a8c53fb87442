"""The synthesized `InvokePolicy` of every scope, evaluated by an IAM evaluator this project did not write.

For each scope, a principal holding only the synthesized policy (tokens resolved to a sample account) asks for
what Bedrock authorizes on a call through the profile: allowed. The model called directly, another model, and
every other routing: denied. With a geography, the residency Deny also beats an administrator's Allow.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest

from stacks.deployment import access_props
from stacks.invocation_access.stack import InvocationAccessStack
from tests.support.cfn_values import CfnValues
from tests.support.iam_evaluator import Principal, allowed
from tests.support.project import SAMPLE_ACCOUNT, config_for
from tests.support.synth import Synth, region_plan, synth_one_stack
from tests.support.templates import managed_policy_id

INVOKE = "bedrock:InvokeModel"
STREAM = "bedrock:InvokeModelWithResponseStream"
CALLER = f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/caller"
ADMIN = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
OTHER_MODEL = "anthropic.claude-opus-4-5-20251101-v1:0"  # in the catalog, never allowed below

# scope -> (source Region, allowed model alias, its model ID)
CASES: dict[str, tuple[str, str, str]] = {
    "global": ("us-east-1", "claude-sonnet-4-6", "anthropic.claude-sonnet-4-6"),
    "us": ("us-west-1", "claude-sonnet-4-6", "anthropic.claude-sonnet-4-6"),
    "eu": ("eu-central-2", "claude-sonnet-4-6", "anthropic.claude-sonnet-4-6"),
    "jp": ("ap-northeast-1", "claude-sonnet-4-6", "anthropic.claude-sonnet-4-6"),
    # No current catalog model has an apac profile (its last ones are past end of life): one added by configuration.
    "apac": ("ap-southeast-1", "claude-apac", "anthropic.claude-apac-v1:0"),
    "au": ("ap-southeast-2", "claude-sonnet-4-6", "anthropic.claude-sonnet-4-6"),
}
APAC8 = [
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-4",
]
APAC_MODEL = {
    "alias": "claude-apac",
    "model_id": "anthropic.claude-apac-v1:0",
    "profiles": {"apac": {"ap-southeast-1": APAC8}},
}
# Where Bedrock routes each case, as the Sonnet 4.6 card's tables print it (written here, not read from the catalog).
DESTINATIONS: dict[str, tuple[str, ...]] = {
    "global": ("us-east-1",),
    "us": ("us-east-1", "us-east-2", "us-west-1", "us-west-2"),
    "eu": ("eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3"),
    "jp": ("ap-northeast-1", "ap-northeast-3"),
    "apac": tuple(APAC8),
    "au": ("ap-southeast-2", "ap-southeast-4"),
}


def _synth(scope: str) -> Synth:
    region, alias, _ = CASES[scope]
    config = config_for(
        endpoint_scope=scope, regions=[region], models=[alias], invoker_default_model=alias, extra_models=[APAC_MODEL]
    )
    return synth_one_stack(
        config,
        lambda app: InvocationAccessStack(
            app,
            "Access",
            props=access_props(config, region_plan(config, region, cdk.Aws.ACCOUNT_ID)),
            env=cdk.Environment(region=region),
        ),
    )


@pytest.fixture(scope="module")
def policies() -> dict[str, dict[str, Any]]:
    """The synthesized InvokePolicy document of each scope, resolved in the sample account."""
    found = {}
    for scope, (region, _, _) in CASES.items():
        template = _synth(scope).template("Access")
        document = template.to_json()["Resources"][managed_policy_id(template, "InvokePolicy")]["Properties"]
        found[scope] = CfnValues(template.to_json(), region=region).resolve(document["PolicyDocument"])
    return found


def _profile_arn(scope: str, region: str, model_id: str) -> str:
    return f"arn:aws:bedrock:{region}:{SAMPLE_ACCOUNT}:inference-profile/{scope}.{model_id}"


def _model_arn(region: str, model_id: str) -> str:
    return f"arn:aws:bedrock:{region}::foundation-model/{model_id}"


def _destinations(scope: str, source: str) -> tuple[str, ...]:
    assert source == CASES[scope][0]
    return DESTINATIONS[scope]


@pytest.mark.parametrize("scope", CASES)
def test_a_call_through_the_profile_is_allowed_at_every_step(scope: str, policies: dict[str, Any]) -> None:
    region, _, model = CASES[scope]
    caller = Principal(CALLER, [policies[scope]])
    profile = _profile_arn(scope, region, model)
    for action in (INVOKE, STREAM):
        assert allowed(caller, action, profile, {"aws:RequestedRegion": region})
        for destination in _destinations(scope, region):
            context = {"aws:RequestedRegion": destination, "bedrock:InferenceProfileArn": profile}
            assert allowed(caller, action, _model_arn(destination, model), context), destination
        if scope == "global":
            context = {"aws:RequestedRegion": "unspecified", "bedrock:InferenceProfileArn": profile}
            assert allowed(caller, action, _model_arn("", model), context)


@pytest.mark.parametrize("scope", CASES)
def test_the_model_called_directly_is_denied(scope: str, policies: dict[str, Any]) -> None:
    region, _, model = CASES[scope]
    caller = Principal(CALLER, [policies[scope]])
    for destination in _destinations(scope, region):
        assert not allowed(caller, INVOKE, _model_arn(destination, model), {"aws:RequestedRegion": destination})


@pytest.mark.parametrize("scope", CASES)
def test_another_model_is_denied_through_any_profile(scope: str, policies: dict[str, Any]) -> None:
    region, _, _ = CASES[scope]
    caller = Principal(CALLER, [policies[scope]])
    other_profile = _profile_arn(scope, region, OTHER_MODEL)
    assert not allowed(caller, INVOKE, other_profile, {"aws:RequestedRegion": region})
    context = {"aws:RequestedRegion": region, "bedrock:InferenceProfileArn": other_profile}
    assert not allowed(caller, INVOKE, _model_arn(region, OTHER_MODEL), context)


@pytest.mark.parametrize("scope", CASES)
def test_every_other_routing_is_denied(scope: str, policies: dict[str, Any]) -> None:
    region, _, model = CASES[scope]
    caller = Principal(CALLER, [policies[scope]])
    for other in CASES:
        if other != scope:
            profile = _profile_arn(other, region, model)
            assert not allowed(caller, INVOKE, profile, {"aws:RequestedRegion": region}), other
    # A destination outside the scope, even through our own profile.
    outside = "sa-east-1"
    own = _profile_arn(scope, region, model)
    context = {"aws:RequestedRegion": outside, "bedrock:InferenceProfileArn": own}
    assert not allowed(caller, INVOKE, _model_arn(outside, model), context)
    if scope != "global":
        regionless = {"aws:RequestedRegion": "unspecified", "bedrock:InferenceProfileArn": own}
        assert not allowed(caller, INVOKE, _model_arn("", model), regionless)


@pytest.mark.parametrize("scope", [s for s in CASES if s != "global"])
def test_the_residency_deny_beats_an_administrators_allow(scope: str, policies: dict[str, Any]) -> None:
    region, _, model = CASES[scope]
    admin = Principal(CALLER, [policies[scope], ADMIN])
    global_profile = _profile_arn("global", region, model)
    assert not allowed(admin, INVOKE, global_profile, {"aws:RequestedRegion": region})
    context = {"aws:RequestedRegion": "unspecified", "bedrock:InferenceProfileArn": global_profile}
    assert not allowed(admin, INVOKE, _model_arn("", model), context)
    # ...while the policy's own path still works for the administrator.
    assert allowed(admin, INVOKE, _profile_arn(scope, region, model), {"aws:RequestedRegion": region})


def test_the_evaluator_is_not_a_yes_machine(policies: dict[str, Any]) -> None:
    """Without the policy nothing is allowed; with an administrator policy everything is."""
    nobody = Principal(CALLER, [])
    anyone = Principal(CALLER, [ADMIN])
    profile = _profile_arn("global", "us-east-1", "anthropic.claude-sonnet-4-6")
    assert not allowed(nobody, INVOKE, profile, {"aws:RequestedRegion": "us-east-1"})
    assert allowed(anyone, INVOKE, profile, {"aws:RequestedRegion": "us-east-1"})
