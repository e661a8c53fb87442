"""Every current model under every scope, evaluated by an IAM evaluator this project did not write.

The synthesized invocation policy (all its parts when the statements outgrew one policy) allows each model through
its own profile and in each of its destination Regions, and nothing else: not the model directly, not another
scope's profile, not a destination outside the scope, not a model left out of the list.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest

from core.catalog.lookup import Catalog
from core.catalog.scopes import SCOPES
from stacks.deployment import access_props
from stacks.invocation_access.stack import InvocationAccessStack
from tests.support.cfn_values import CfnValues
from tests.support.iam_evaluator import Principal, allowed
from tests.support.project import SAMPLE_ACCOUNT, config_for, current_models
from tests.support.synth import region_plan, synth_one_stack

INVOKE = "bedrock:InvokeModel"
STREAM = "bedrock:InvokeModelWithResponseStream"
CALLER = f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/caller"
# Per scope: the source Region with the most destinations (those that add themselves), to exercise the largest policy.
SOURCES = {
    "global": "us-east-1",
    "us": "ca-central-1",
    "eu": "eu-central-2",
    "jp": "ap-northeast-1",
    "au": "ap-southeast-6",
}
# A model ID that no catalog entry has: "a model outside the list" for every scope.
NOT_ALLOWED = "anthropic.claude-not-in-the-list-v1:0"


@pytest.fixture(scope="module")
def callers() -> dict[str, tuple[Principal, list[str]]]:
    """Per scope: a principal holding every part of the synthesized policy (with Marketplace subscription, the
    largest configuration), and the model IDs it was built for."""
    found = {}
    for scope, region in SOURCES.items():
        aliases = current_models(scope, region)
        config = config_for(
            endpoint_scope=scope,
            regions=[region],
            models=aliases,
            invoker_default_model=aliases[0],
            access_allow_marketplace_subscription=True,
            allow_gated_models=True,  # Mythos 5.1 is a global model of the catalog
            data_retention_mode="unmanaged",  # Fable and Mythos need retention; access does not depend on it
        )
        built = synth_one_stack(
            config,
            lambda app, config=config, region=region: InvocationAccessStack(
                app,
                "Access",
                props=access_props(config, region_plan(config, region, cdk.Aws.ACCOUNT_ID)),
                env=cdk.Environment(region=region),
            ),
        )
        template = built.template("Access").to_json()
        values = CfnValues(template, region=region)
        documents = [
            values.resolve(r["Properties"]["PolicyDocument"])
            for r in template["Resources"].values()
            if r["Type"] == "AWS::IAM::ManagedPolicy"
        ]
        found[scope] = (Principal(CALLER, documents), [m.model_id for m in config.models.allowed])
    # A split policy is evaluated in tests/core/test_plan_evaluation.py (the current models fit one policy).
    return found


def _profile(scope: str, region: str, model_id: str) -> str:
    return f"arn:aws:bedrock:{region}:{SAMPLE_ACCOUNT}:inference-profile/{scope}.{model_id}"


def _model(region: str, model_id: str) -> str:
    return f"arn:aws:bedrock:{region}::foundation-model/{model_id}"


def _destinations(scope: str, source: str, model_id: str) -> tuple[str, ...]:
    return (source,) if scope == "global" else Catalog().get(model_id).destinations(scope, source)


def _through(profile: str, region: str) -> dict[str, Any]:
    return {"aws:RequestedRegion": region, "bedrock:InferenceProfileArn": profile}


@pytest.mark.parametrize("scope", SOURCES)
def test_every_model_is_allowed_through_its_profile_at_every_step(scope: str, callers: dict[str, Any]) -> None:
    caller, model_ids = callers[scope]
    region = SOURCES[scope]
    assert len(model_ids) == len(current_models(scope, region))
    for model_id in model_ids:
        profile = _profile(scope, region, model_id)
        for action in (INVOKE, STREAM):
            assert allowed(caller, action, profile, {"aws:RequestedRegion": region}), (model_id, action)
            for destination in _destinations(scope, region, model_id):
                assert allowed(caller, action, _model(destination, model_id), _through(profile, destination))
            if scope == "global":
                assert allowed(caller, action, _model("", model_id), _through(profile, "unspecified"))


@pytest.mark.parametrize("scope", SOURCES)
def test_every_model_is_denied_directly_and_through_every_other_routing(scope: str, callers: dict[str, Any]) -> None:
    caller, model_ids = callers[scope]
    region = SOURCES[scope]
    for model_id in model_ids:
        own = _profile(scope, region, model_id)
        for destination in _destinations(scope, region, model_id):
            assert not allowed(caller, INVOKE, _model(destination, model_id), {"aws:RequestedRegion": destination})
        for other in SCOPES:
            if other != scope:
                assert not allowed(caller, INVOKE, _profile(other, region, model_id), {"aws:RequestedRegion": region})
                elsewhere = _profile(other, region, model_id)
                assert not allowed(caller, INVOKE, _model(region, model_id), _through(elsewhere, region))
        # A destination outside the scope, even through the model's own profile.
        assert not allowed(caller, INVOKE, _model("sa-east-1", model_id), _through(own, "sa-east-1"))
        if scope != "global":
            assert not allowed(caller, INVOKE, _model("", model_id), _through(own, "unspecified"))


@pytest.mark.parametrize("scope", SOURCES)
def test_a_model_outside_the_list_is_denied(scope: str, callers: dict[str, Any]) -> None:
    caller, _ = callers[scope]
    region = SOURCES[scope]
    outside = _profile(scope, region, NOT_ALLOWED)
    assert not allowed(caller, INVOKE, outside, {"aws:RequestedRegion": region})
    assert not allowed(caller, INVOKE, _model(region, NOT_ALLOWED), _through(outside, region))


def test_the_shared_condition_admits_model_a_with_profile_b_which_bedrock_never_presents(
    callers: dict[str, Any],
) -> None:
    """What compressing the statements gives up, stated: the routed-model statement accepts any allowed profile for
    any allowed model. A system-defined profile names one model and Bedrock routes it only there (see
    core.invocation_access.permissions.allow_statements), so no call presents model A with profile B; a caller
    cannot choose either."""
    caller, (model_a, model_b, *_) = callers["eu"]
    region = SOURCES["eu"]
    assert allowed(caller, INVOKE, _model(region, model_a), _through(_profile("eu", region, model_b), region))
