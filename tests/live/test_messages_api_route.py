"""What no AWS page states about the Messages API on bedrock-runtime, settled in one run against a deployed account.
Skipped unless RUN_AWS_TESTS=1:

    RUN_AWS_TESTS=1 AWS_PROFILE=<profile> .venv/bin/pytest -m aws tests/live/test_messages_api_route.py -p no:xdist

1. `POST /anthropic/v1/messages` is allowed under InvokePolicy (which grants bedrock:InvokeModel and
   InvokeModelWithResponseStream, nothing else: core/catalog/apis.py marks the route `confirmed=False`), through the
   configured profile, and denied for another scope's profile of the same model.
2. Which `operation` the call's invocation log record carries (core.catalog.apis.MESSAGES_API_LOGGED_OPERATION,
   None until this test has run once: it then fails naming the value to record there).

Credentials: those that may describe the stacks, assume InvokerRole and read the invocation log group.
"""

from __future__ import annotations

import json
import os
import runpy
import time
import urllib.error
from typing import Any

import pytest

from core.catalog.apis import MESSAGES_API_LOGGED_OPERATION
from core.catalog.scopes import SCOPES
from core.config import load_config
from tests.support.project import PROJECT_CONTEXT, ROOT

pytestmark = pytest.mark.aws

EXAMPLE = runpy.run_path(str(ROOT / "docs" / "callers" / "examples" / "messages_api_sigv4.py"))
# Invocation logs arrive within minutes ("Model invocation logging"); the test waits this long for its record.
LOG_WAIT_SECONDS = 600


@pytest.fixture(scope="module")
def deployed() -> dict[str, Any]:
    import boto3

    config = load_config({**PROJECT_CONTEXT, **json.loads(os.environ.get("CDK_CONTEXT_JSON", "{}"))})
    region = config.regions[0]
    outputs: dict[str, str] = {}
    cloudformation = boto3.client("cloudformation", region_name=region)
    for stack in (f"ClaudeInvocationAccess-{region}", f"ClaudeInvocationLogging-{region}"):
        described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
        outputs.update({o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])})
    role = boto3.client("sts").assume_role(RoleArn=outputs["InvokerRoleArn"], RoleSessionName="messages-api-route")
    credentials = role["Credentials"]
    from botocore.credentials import ReadOnlyCredentials

    frozen = ReadOnlyCredentials(
        credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"]
    )
    return {"config": config, "region": region, "outputs": outputs, "credentials": frozen, "boto3": boto3}


def _send(deployed: dict[str, Any], profile_id: str) -> dict[str, Any]:
    body = {"model": profile_id, "max_tokens": 16, "messages": [{"role": "user", "content": "Say OK."}]}
    message: dict[str, Any] = EXAMPLE["create_message"](deployed["region"], body, credentials=deployed["credentials"])
    return message


def test_the_route_is_allowed_under_invoke_policy_and_only_through_the_configured_scope(
    deployed: dict[str, Any],
) -> None:
    config = deployed["config"]
    model = config.invoker.default_model
    own = f"{config.models.endpoint_scope}.{model.model_id}"
    assert _send(deployed, own)["type"] == "message"
    for other in (s for s in SCOPES if s != config.models.endpoint_scope and model.offered_in(s)):
        with pytest.raises(urllib.error.HTTPError) as denied:
            _send(deployed, f"{other}.{model.model_id}")
        assert denied.value.code == 403, other


def test_the_invocation_log_record_names_the_operation(deployed: dict[str, Any]) -> None:
    config = deployed["config"]
    model = config.invoker.default_model
    started = int(time.time() * 1000)
    message = _send(deployed, f"{config.models.endpoint_scope}.{model.model_id}")
    logs = deployed["boto3"].client("logs", region_name=deployed["region"])
    group = deployed["outputs"]["InvocationLogGroupName"]
    deadline = time.time() + LOG_WAIT_SECONDS
    record = None
    while record is None and time.time() < deadline:
        events = logs.filter_log_events(logGroupName=group, startTime=started, filterPattern='"Say OK."')["events"]
        records = [json.loads(event["message"]) for event in events]
        record = next(
            (r for r in records if r.get("output", {}).get("outputBodyJson", {}).get("id") == message["id"]), None
        )
        if record is None:
            time.sleep(15)
    assert record is not None, f"no invocation log record of {message['id']} in {group} within {LOG_WAIT_SECONDS} s"
    operation = record["operation"]
    if MESSAGES_API_LOGGED_OPERATION is None:
        pytest.fail(f"the Messages API call is logged with operation {operation!r}: record it in core/catalog/apis.py")
    assert operation == MESSAGES_API_LOGGED_OPERATION
