"""The invoker function's test environment: its configuration, a valid event, a success body, a Lambda context.

Plain Python (no boto3, no CDK): the benchmarks import it too (bench/_common.py).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# The function's code root: `handler` and the `claude_invoker` package (not a package of this repository).
CODE_ROOT = Path(__file__).resolve().parents[2] / "lambda" / "invoker"

SCOPE = "global"
# As the construct writes them (core/invoker/environment.py), with the catalog's facts of these three models.
MODELS: dict[str, dict[str, Any]] = {
    "claude-sonnet-4-5": {
        "name": "Claude Sonnet 4.5",
        "model_id": "anthropic.claude-sonnet-4-5-20250929-v1:0",
        "profile_id": "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "context_window": 200000,
        "api_names": ["claude-sonnet-4-5-20250929", "claude-sonnet-4-5"],
        "max_output_tokens": 64000,
        "thinking_modes": ["enabled"],
        "sampling": "temperature_or_top_p",
        "count_tokens": True,
    },
    "claude-opus-4-7": {
        "name": "Claude Opus 4.7",
        "model_id": "anthropic.claude-opus-4-7",
        "profile_id": "global.anthropic.claude-opus-4-7",
        "context_window": 1000000,
        "api_names": ["claude-opus-4-7"],
        "max_output_tokens": 128000,
        "thinking_modes": ["adaptive"],
        "sampling": "fixed",
        "count_tokens": False,
        "thinking_off": True,
        "api_versions": ["bedrock-2023-05-31", "2026-10-21"],
    },
    "claude-haiku-4-5": {
        "name": "Claude Haiku 4.5",
        "model_id": "anthropic.claude-haiku-4-5-20251001-v1:0",
        "profile_id": "global.anthropic.claude-haiku-4-5-20251001-v1:0",
        "context_window": 200000,
        "api_names": ["claude-haiku-4-5-20251001", "claude-haiku-4-5"],
        "max_output_tokens": 64000,
        "thinking_modes": ["enabled"],
        "sampling": "temperature_or_top_p",
        "count_tokens": True,
    },
}
# The results bucket of asynchronous answers, as the tests' S3 endpoint holds it.
RESULTS_BUCKET = "claude-invoker-results"
SONNET_PROFILE = MODELS["claude-sonnet-4-5"]["profile_id"]

BASE_ENV = {
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_EC2_METADATA_DISABLED": "true",
    "INVOKER_METRICS_NAMESPACE": "ClaudeInvokerTest",
    "INVOKER_SERVICE_NAME": "claude-invoker-test",
    "CLAUDE_MODELS": json.dumps(MODELS),
    "CLAUDE_DEFAULT_MODEL": "claude-sonnet-4-5",
    "CLAUDE_ENDPOINT_SCOPE": SCOPE,
    # Small timeouts keep the suite fast; the HTTP tests rely on them.
    "BEDROCK_READ_TIMEOUT_SECONDS": "2",
    "BEDROCK_CONNECT_TIMEOUT_SECONDS": "1",
    "BEDROCK_MAX_ATTEMPTS": "3",
}

# The invocation's request ID in the fake context and in the runtime's logging (tests/support/lambda_runtime.py).
REQUEST_ID = "0f1e2d3c-aaaa-bbbb-cccc-000000000001"

SUCCESS_BODY: dict[str, Any] = {
    "id": "msg_bdrk_01ABCDEF",
    "type": "message",
    "role": "assistant",
    "model": "claude-sonnet-4-5-20250929",
    "content": [{"type": "text", "text": "Hello!"}],
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {"input_tokens": 12, "output_tokens": 3},
}


def valid_event(**overrides: Any) -> dict[str, Any]:
    event: dict[str, Any] = {"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 64}
    event.update(overrides)
    return event


class FakeContext:
    """A Lambda context whose remaining time really runs down."""

    def __init__(self, remaining_ms: int = 60_000) -> None:
        self._deadline = time.monotonic() + remaining_ms / 1000
        self.function_name = "claude-invoker"
        self.function_version = "$LATEST"
        self.invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:claude-invoker:live"
        self.memory_limit_in_mb = 512
        self.aws_request_id = REQUEST_ID
        self.log_group_name = "/aws/lambda/claude-invoker"
        self.log_stream_name = "2026/11/25/[$LATEST]abc"
        self.client_context = None
        self.identity = None

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def function_settings(env: Mapping[str, str]) -> Any:
    """The function's own validation (`claude_invoker.config.load_settings`) applied to `env`."""
    sys.path.insert(0, str(CODE_ROOT))
    try:
        from claude_invoker.config import load_settings
    finally:
        sys.path.remove(str(CODE_ROOT))
    return load_settings(env)


def answered(body: dict[str, Any], request_id: str) -> dict[str, Any]:
    """What the function answers for Bedrock's `body`: the body plus Bedrock's request ID as `request_id`."""
    return {**body, "request_id": request_id}


def without_request_id(answer: dict[str, Any]) -> dict[str, Any]:
    """`answer` less the `request_id` the function adds (Bedrock's, a fresh UUID from the stand-in)."""
    return {key: value for key, value in answer.items() if key != "request_id"}


# A caller of the function URL, as Lambda's IAM authorizer context names a role session (Lambda developer guide,
# "Invoking Lambda function URLs", request payload: requestContext.authorizer.iam).
CALLER_ACCOUNT = "444455556666"
CALLER_ROLE_ARN = f"arn:aws:iam::{CALLER_ACCOUNT}:role/analysts"
CALLER_SESSION_ARN = f"arn:aws:sts::{CALLER_ACCOUNT}:assumed-role/analysts/build-42"
CALLER_ORG_ID = "o-a1b2c3d4e5"
URL_ALIAS = "url"
URL_FUNCTION_ARN = f"arn:aws:lambda:us-east-1:123456789012:function:claude-invoker:{URL_ALIAS}"


def function_url_event(
    body: object,
    *,
    caller_arn: str = CALLER_SESSION_ARN,
    account: str = CALLER_ACCOUNT,
    org_id: str | None = CALLER_ORG_ID,
    path: str = "/v1/messages",
    method: str = "POST",
    base64_body: bool = False,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A function URL event (payload format 2.0) with AWS_IAM auth, shaped as AWS's example of the request payload:
    the body a JSON string (base64 when `base64_body`), the principal in requestContext.authorizer.iam."""
    import base64

    text = body if isinstance(body, str) else json.dumps(body)
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {
            "content-type": "application/json",
            "host": "abcdefg.lambda-url.us-east-1.on.aws",
            **(headers or {}),
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abcdefg",
            "authentication": None,
            "authorizer": {
                "iam": {
                    "accessKey": "ASIAEXAMPLE",
                    "accountId": account,
                    "callerId": "AROAEXAMPLE:build-42",
                    "cognitoIdentity": None,
                    "principalOrgId": org_id,
                    "userArn": caller_arn,
                    "userId": "AROAEXAMPLE:build-42",
                }
            },
            "domainName": "abcdefg.lambda-url.us-east-1.on.aws",
            "domainPrefix": "abcdefg",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "python-requests",
            },
            "requestId": "f1e2d3c4-url-request",
            "routeKey": "$default",
            "stage": "$default",
            "time": "25/Nov/2026:18:16:05 +0000",
            "timeEpoch": 1795623365000,
        },
        "body": base64.b64encode(text.encode()).decode() if base64_body else text,
        "isBase64Encoded": base64_body,
    }
