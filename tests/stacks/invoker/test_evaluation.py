"""The invoker's policies, evaluated by an IAM evaluator this project did not write (tests/support/iam_evaluator.py).

- The function may count tokens on exactly the foundation models CountTokens serves, in its own Region, and on
  nothing else; it still invokes through the profile only and never streams.
- A consumer of asynchronous answers may read the results queue and the stored answers, and decrypt them through
  SQS and S3 only.
- A caller holding InvokeFunctionPolicy may invoke the function and its asynchronous alias, nothing else.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import logical_ids as ids
from tests.support.cfn_values import SAMPLE_ACCOUNT, CfnValues
from tests.support.iam_evaluator import Principal, allowed
from tests.support.synth import Synth
from tests.support.templates import managed_policy_id

REGION = "us-east-1"
HAIKU_45 = "anthropic.claude-haiku-4-5-20251001-v1:0"  # served by CountTokens (catalog)
SONNET_46 = "anthropic.claude-sonnet-4-6"  # served by CountTokens on bedrock-runtime (its AWS card)
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"  # not allowed in that configuration
ROLE = f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/holder"


def _model(model_id: str, region: str = REGION) -> str:
    return f"arn:aws:bedrock:{region}::foundation-model/{model_id}"


def _profile(model_id: str) -> str:
    return f"arn:aws:bedrock:{REGION}:{SAMPLE_ACCOUNT}:inference-profile/global.{model_id}"


@pytest.fixture(scope="module")
def values(logging_options_synth: Synth) -> CfnValues:
    """The default scope and Region with Sonnet 4.6 and Haiku 4.5 (tests/conftest.py LOGGING_OPTIONS_CONTEXT)."""
    return CfnValues(logging_options_synth.template("ClaudeInvoker-").to_json(), region=REGION)


def _policy(values: CfnValues, part: str) -> dict[str, Any]:
    resources = values.template["Resources"]
    logical_id = next(i for i in resources if part in i and resources[i]["Type"] == "AWS::IAM::ManagedPolicy")
    document: dict[str, Any] = values.resolve(resources[logical_id]["Properties"]["PolicyDocument"])
    return document


def test_the_function_counts_tokens_on_served_base_models_in_its_region_only(values: CfnValues) -> None:
    function = Principal(ROLE, [_policy(values, "InvokerFunctionPolicy")])
    count = "bedrock:CountTokens"
    assert allowed(function, count, _model(HAIKU_45), {"aws:RequestedRegion": REGION})
    assert allowed(function, count, _model(SONNET_46), {"aws:RequestedRegion": REGION})
    for resource in (
        _model(OPUS_41),  # not an allowed model
        _model(HAIKU_45, "us-west-2"),  # another Region
        f"arn:aws:bedrock:::foundation-model/{HAIKU_45}",  # the region-less ARN of global routing
        _profile(HAIKU_45),  # CountTokens takes no profile
    ):
        assert not allowed(function, count, resource, {"aws:RequestedRegion": REGION}), resource
    # Counting adds nothing to invoking: through the profile still, never directly, never streaming.
    assert allowed(function, "bedrock:InvokeModel", _profile(HAIKU_45), {"aws:RequestedRegion": REGION})
    assert not allowed(function, "bedrock:InvokeModel", _model(HAIKU_45), {"aws:RequestedRegion": REGION})
    context = {"aws:RequestedRegion": REGION, "bedrock:InferenceProfileArn": _profile(HAIKU_45)}
    assert not allowed(function, "bedrock:InvokeModelWithResponseStream", _model(HAIKU_45), context)


def test_a_consumer_reads_the_answers_and_decrypts_them_through_sqs_and_s3_only(values: CfnValues) -> None:
    consumer = Principal(ROLE, [_policy(values, "ReadAsyncResultsPolicy")])
    queue = values.arn(ids.ASYNC_RESULTS_QUEUE)
    bucket = values.arn(ids.ASYNC_RESULTS_BUCKET)
    key = values.arn(ids.INVOKER_KEY)
    for action in ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"):
        assert allowed(consumer, action, queue)
    assert allowed(consumer, "s3:GetObject", f"{bucket}/results/2026/11/25/0f1e2d3c.json")
    for via in ("sqs", "s3"):
        assert allowed(consumer, "kms:Decrypt", key, {"kms:ViaService": f"{via}.{REGION}.amazonaws.com"})
    # Nothing else: no writing answers, no other object, no other queue, no decrypting outside SQS and S3.
    assert not allowed(consumer, "sqs:SendMessage", queue)
    assert not allowed(consumer, "sqs:ReceiveMessage", values.arn(ids.DEAD_LETTER_QUEUE))
    assert not allowed(consumer, "s3:GetObject", f"{bucket}/other/secret.json")
    assert not allowed(consumer, "s3:PutObject", f"{bucket}/results/x.json")
    assert not allowed(consumer, "kms:Decrypt", key, {"kms:ViaService": f"lambda.{REGION}.amazonaws.com"})
    assert not allowed(consumer, "kms:Decrypt", key)


def test_the_invoke_policy_reaches_the_function_and_its_asynchronous_alias_only(values: CfnValues) -> None:
    caller = Principal(ROLE, [_policy(values, "InvokeFunctionPolicy")])
    function = values.arn(ids.INVOKER_FUNCTION)
    alias = values.resolve({"Ref": ids.ASYNC_ALIAS})
    assert alias == f"{function}:async"
    assert allowed(caller, "lambda:InvokeFunction", function)
    assert allowed(caller, "lambda:InvokeFunction", alias)
    assert not allowed(caller, "lambda:InvokeFunction", f"{function}:live")
    assert not allowed(caller, "lambda:InvokeFunction", f"{function}-other")
    assert not allowed(caller, "lambda:UpdateFunctionCode", function)


def test_the_policies_are_read_from_the_synthesized_template(default_synth: Synth) -> None:
    """The helpers above find the three synthesized policies (a renamed policy fails here, not silently)."""
    template = default_synth.template("ClaudeInvoker-")
    for part in ("InvokerFunctionPolicy", "ReadAsyncResultsPolicy", "InvokeFunctionPolicy"):
        assert managed_policy_id(template, part)
