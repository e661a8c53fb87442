"""Checks against a real, deployed account. Skipped unless RUN_AWS_TESTS=1.

    RUN_AWS_TESTS=1 AWS_PROFILE=<profile> .venv/bin/pytest -m aws tests/live -p no:xdist

They read the deployed stacks' outputs (default stack names, the Regions of cdk.json or
CDK_CONTEXT_JSON) and need credentials that may describe the stacks, invoke the invoker
function, assume the invoker role and read the logging configuration.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from core.config import load_config
from tests.support.project import PROJECT_CONTEXT

pytestmark = pytest.mark.aws


@pytest.fixture(scope="module")
def live() -> dict[str, Any]:
    import boto3

    overrides = json.loads(os.environ.get("CDK_CONTEXT_JSON", "{}"))
    config = load_config({**PROJECT_CONTEXT, **overrides})
    region = config.regions[0]
    outputs: dict[str, str] = {}
    cloudformation = boto3.client("cloudformation", region_name=region)
    for stack in (f"ClaudeInvocationAccess-{region}", f"ClaudeInvoker-{region}", f"ClaudeInvocationLogging-{region}"):
        described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
        outputs.update({o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])})
    return {"config": config, "region": region, "outputs": outputs, "boto3": boto3}


def test_invoker_answers_with_an_anthropic_message(live: dict[str, Any]) -> None:
    client = live["boto3"].client("lambda", region_name=live["region"])
    response = client.invoke(
        FunctionName=live["outputs"]["FunctionName"],
        Payload=json.dumps({"max_tokens": 32, "messages": [{"role": "user", "content": "Say OK."}]}),
    )
    message = json.loads(response["Payload"].read())
    assert message["type"] == "message", message
    assert message["role"] == "assistant"
    assert message["usage"]["output_tokens"] > 0


def test_logging_configuration_is_in_place(live: dict[str, Any]) -> None:
    bedrock = live["boto3"].client("bedrock", region_name=live["region"])
    config = bedrock.get_model_invocation_logging_configuration()["loggingConfig"]
    assert config["s3Config"]["bucketName"] == live["outputs"]["InvocationLogBucketName"]
    assert config["textDataDeliveryEnabled"] is True


def test_invoker_role_cannot_call_the_model_outside_its_profile(live: dict[str, Any]) -> None:
    boto3 = live["boto3"]
    credentials = boto3.client("sts").assume_role(
        RoleArn=live["outputs"]["InvokerRoleArn"], RoleSessionName="live-test"
    )["Credentials"]
    runtime = boto3.client(
        "bedrock-runtime",
        region_name=live["region"],
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )
    body = json.dumps(
        {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 8, "messages": [{"role": "user", "content": "Hi"}]}
    )
    model_id = live["config"].invoker.default_model.model_id
    with pytest.raises(runtime.exceptions.AccessDeniedException):
        runtime.invoke_model(modelId=model_id, body=body)  # the base model, not through the profile
    profile_id = f"{live['config'].models.endpoint_scope}.{model_id}"
    assert json.loads(runtime.invoke_model(modelId=profile_id, body=body)["body"].read())["type"] == "message"
