"""Streaming is not the invoker's: a caller assumes InvokerRole and calls InvokeModelWithResponseStream itself
(docs/callers/streaming.md). Evaluated on the synthesized InvokePolicy of the default configuration: the role may
stream the allowed models through the profile, and nothing else.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Template

from stacks.deployment import access_props
from stacks.invocation_access.stack import InvocationAccessStack
from tests.support.cfn_values import SAMPLE_ACCOUNT, CfnValues
from tests.support.iam_evaluator import Principal, allowed
from tests.support.project import config_for
from tests.support.synth import Synth, region_plan, synth_one_stack
from tests.support.templates import managed_policy_id

REGION = "us-east-1"
STREAM = "bedrock:InvokeModelWithResponseStream"
ROLE = f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/InvokerRole"
ALLOWED = ("anthropic.claude-haiku-5-5", "anthropic.claude-opus-4-8")  # the default `models`


def _profile(model_id: str, scope: str = "global") -> str:
    return f"arn:aws:bedrock:{REGION}:{SAMPLE_ACCOUNT}:inference-profile/{scope}.{model_id}"


def _model(model_id: str, region: str = REGION) -> str:
    return f"arn:aws:bedrock:{region}::foundation-model/{model_id}"


def _invoke_policy(template: dict[str, Any]) -> dict[str, Any]:
    logical_id = managed_policy_id(Template.from_json(template), "InvokePolicy")
    document: dict[str, Any] = CfnValues(template, region=REGION, account=SAMPLE_ACCOUNT).resolve(
        template["Resources"][logical_id]["Properties"]["PolicyDocument"]
    )
    return document


@pytest.fixture(scope="module")
def role(default_synth: Synth) -> Principal:
    return Principal(
        ROLE, [_invoke_policy(default_synth.templates[default_synth.stack_name("ClaudeInvocationAccess-")])]
    )


def _stream_steps(model_id: str) -> list[tuple[str, dict[str, str]]]:
    """What Bedrock authorizes for one streamed call through the global profile (resource, request context)."""
    profile = _profile(model_id)
    return [
        (profile, {"aws:RequestedRegion": REGION}),
        (_model(model_id), {"aws:RequestedRegion": REGION, "bedrock:InferenceProfileArn": profile}),
        (_model(model_id, ""), {"aws:RequestedRegion": "unspecified", "bedrock:InferenceProfileArn": profile}),
    ]


@pytest.mark.parametrize("model_id", ALLOWED)
def test_the_role_may_stream_each_allowed_model_through_the_profile(role: Principal, model_id: str) -> None:
    for resource, context in _stream_steps(model_id):
        assert allowed(role, STREAM, resource, context), resource


def test_the_role_may_stream_nothing_else(role: Principal) -> None:
    model = ALLOWED[0]
    # The model directly, another model, another profile scope.
    assert not allowed(role, STREAM, _model(model), {"aws:RequestedRegion": REGION})
    other = "anthropic.claude-opus-4-7"
    for resource, context in _stream_steps(other):
        assert not allowed(role, STREAM, resource, context), resource
    assert not allowed(role, STREAM, _profile(model, "us"), {"aws:RequestedRegion": REGION})
    # Other Bedrock operations on the same profile, and anything outside Bedrock.
    context = {"aws:RequestedRegion": REGION}
    for action in (
        "bedrock:InvokeModelWithBidirectionalStream",
        "bedrock:StartAsyncInvoke",
        "bedrock:CountTokens",
        "bedrock:ApplyGuardrail",
        "bedrock:GetInferenceProfile",
    ):
        assert not allowed(role, action, _profile(model), context), action
    assert not allowed(role, "lambda:InvokeFunction", f"arn:aws:lambda:{REGION}:{SAMPLE_ACCOUNT}:function:any")


def test_without_access_allow_streaming_the_role_cannot_stream() -> None:
    config = config_for(access_allow_streaming=False)
    synthesized = synth_one_stack(
        config,
        lambda app: InvocationAccessStack(
            app,
            "Access",
            props=access_props(config, region_plan(config, REGION, SAMPLE_ACCOUNT)),
        ),
    )
    no_stream = Principal(ROLE, [_invoke_policy(synthesized.templates["Access"])])
    profile_step, *_ = _stream_steps(ALLOWED[0])
    assert not allowed(no_stream, STREAM, *profile_step)
    assert allowed(no_stream, "bedrock:InvokeModel", *profile_step)
