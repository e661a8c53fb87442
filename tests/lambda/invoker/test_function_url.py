"""Authenticated callers: requests through the function URL, through the real handler, Bedrock answered over HTTP by
the stand-in.

The caller's principal (Lambda's IAM authorizer context) reaches Bedrock's request metadata, the log line and the
metrics; the answer is an HTTP response whose status is the one Anthropic's API gives each error type (written out
here from Anthropic's "Errors" page, https://docs.claude.com/en/api/errors, and, for timeout_error, the anthropic
SDK's GatewayTimeoutError: 504). A plain invocation is recorded as unauthenticated, and an event shaped like a
function URL request but sent by plain invocation is refused: its principal is never believed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from tests.support import anthropic_sdk as sdk
from tests.support.bedrock_runtime import BedrockStandIn, Reply
from tests.support.invoker import (
    CALLER_ACCOUNT,
    CALLER_ORG_ID,
    CALLER_SESSION_ARN,
    REQUEST_ID,
    SUCCESS_BODY,
    URL_ALIAS,
    URL_FUNCTION_ARN,
    FakeContext,
    function_url_event,
    valid_event,
)
from tests.support.lambda_runtime import runtime_response_bytes

# Anthropic's HTTP status of each error type.
ANTHROPIC_STATUS = {
    "invalid_request_error": 400,
    "permission_error": 403,
    "not_found_error": 404,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}


def _url_context() -> FakeContext:
    context = FakeContext()
    context.invoked_function_arn = URL_FUNCTION_ARN
    return context


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


@pytest.fixture
def handler(load_handler: Callable[..., ModuleType], bedrock: BedrockStandIn) -> ModuleType:
    """The handler with a function URL, importing after the stand-in is Bedrock's endpoint (its client is made at
    import)."""
    return load_handler(INVOKER_URL_ALIAS=URL_ALIAS)


def _http(handler: ModuleType, event: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The handler's HTTP response (checked to be what the runtime can write) and its parsed JSON body."""
    response: dict[str, Any] = handler.handler(event, _url_context())
    runtime_response_bytes(response)
    assert set(response) == {"statusCode", "headers", "body", "isBase64Encoded"}
    assert response["isBase64Encoded"] is False
    assert response["headers"]["content-type"] == "application/json"
    assert response["headers"]["request-id"] == REQUEST_ID  # the invocation's, as Anthropic names the header
    return response, json.loads(response["body"])


@pytest.mark.parametrize("base64_body", [False, True], ids=["text", "base64"])
def test_bedrock_receives_the_authenticated_caller_and_the_answer_is_an_http_response(
    base64_body: bool, handler: ModuleType, bedrock: BedrockStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    bedrock.default = Reply(request_id="bedrock-req-1")
    event = function_url_event(valid_event(metadata={"user_id": "u-9"}), base64_body=base64_body)
    response, body = _http(handler, event)
    assert response["statusCode"] == 200
    assert response["headers"]["bedrock-request-id"] == "bedrock-req-1"
    assert body == {**SUCCESS_BODY, "request_id": "bedrock-req-1"}
    sdk.Message.model_validate(body)
    [sent] = bedrock.requests
    assert "requestContext" not in sent.body and "messages" in sent.body  # only the Messages request reaches Bedrock
    metadata = json.loads(sent.headers["x-amzn-bedrock-request-metadata"])
    assert {key: metadata[key] for key in ("attribution", "caller_arn", "caller_account", "caller_org_id")} == {
        "attribution": "authenticated",
        "caller_arn": CALLER_SESSION_ARN,
        "caller_account": CALLER_ACCOUNT,
        "caller_org_id": CALLER_ORG_ID,
    }
    assert metadata["user_id"] == "u-9"  # still the caller's own assertion beside it
    lines = _lines(capsys.readouterr().out)
    (log,) = [line for line in lines if line.get("message") == "Claude invocation succeeded"]
    assert (log["attribution"], log["caller_arn"], log["caller_account"]) == (
        "authenticated",
        CALLER_SESSION_ARN,
        CALLER_ACCOUNT,
    )
    (emf,) = [line for line in lines if "_aws" in line]
    # One series per role, whatever its session: the session name is left out of the dimension.
    assert emf["Caller"] == f"arn:aws:sts::{CALLER_ACCOUNT}:assumed-role/analysts"
    assert ["Caller", "service"] in emf["_aws"]["CloudWatchMetrics"][0]["Dimensions"]


def test_count_tokens_has_its_own_path(handler: ModuleType, bedrock: BedrockStandIn) -> None:
    event = function_url_event({"messages": [{"role": "user", "content": "hi"}]}, path="/v1/messages/count_tokens")
    response, body = _http(handler, event)
    assert response["statusCode"] == 200
    assert body["input_tokens"] == 38
    sdk.MessageTokensCount.model_validate(body)
    assert bedrock.requests[0].operation == "count-tokens"


def test_the_anthropic_beta_header_is_read_as_anthropic_beta(handler: ModuleType, bedrock: BedrockStandIn) -> None:
    event = function_url_event(valid_event(), headers={"anthropic-beta": "interleaved-thinking-2025-05-14"})
    assert _http(handler, event)[0]["statusCode"] == 200
    assert bedrock.requests[0].body["anthropic_beta"] == ["interleaved-thinking-2025-05-14"]


@pytest.mark.parametrize(
    ("bedrock_status", "code", "error_type"),
    [
        (400, "ValidationException", "invalid_request_error"),
        (403, "AccessDeniedException", "permission_error"),
        (404, "ResourceNotFoundException", "not_found_error"),
        (429, "ThrottlingException", "rate_limit_error"),
        (503, "ServiceUnavailableException", "overloaded_error"),
        (500, "InternalServerException", "api_error"),
        (408, "ModelTimeoutException", "timeout_error"),
    ],
)
def test_error_status_codes_are_anthropics_for_the_error_type(
    bedrock_status: int,
    code: str,
    error_type: str,
    handler: ModuleType,
    bedrock: BedrockStandIn,
    fast_backoff: None,
) -> None:
    bedrock.error(bedrock_status, code, "nope", times=3, request_id="bedrock-req-err")
    response, body = _http(handler, function_url_event(valid_event()))
    assert body["error"]["type"] == error_type
    assert response["statusCode"] == ANTHROPIC_STATUS[error_type]
    assert response["headers"]["bedrock-request-id"] == "bedrock-req-err" == body["request_id"]
    assert "x-should-retry" not in response["headers"]
    sdk.ErrorResponse.model_validate(body)


def test_an_error_only_the_operators_can_cure_tells_the_sdk_not_to_retry(
    handler: ModuleType, bedrock: BedrockStandIn
) -> None:
    bedrock.error(400, "ServiceQuotaExceededException", "quota")
    response, body = _http(handler, function_url_event(valid_event()))
    assert (response["statusCode"], body["error"]["details"]) == (500, {"error_code": "service_quota_exceeded"})
    assert response["headers"]["x-should-retry"] == "false"  # the anthropic SDK obeys it before the status


@pytest.mark.parametrize(
    ("event", "status", "starts"),
    [
        (function_url_event(valid_event(max_tokens=0)), 400, "max_tokens:"),
        (function_url_event(valid_event(), path="/v1/complete"), 404, "path:"),
        (function_url_event(valid_event(), method="GET"), 400, "method:"),
        (function_url_event("{not json"), 400, "body: not valid JSON"),
        (function_url_event("[1, 2]"), 400, "body: must be a JSON object"),
        (function_url_event(valid_event(model="\ud800")), 400, "model: unknown model '\\ud800'"),
        (valid_event(), 400, "request: the URL alias answers only its function URL"),
    ],
    ids=["refused", "path", "method", "json", "array", "surrogate", "not-http"],
)
def test_requests_refused_before_any_call_have_their_status(
    event: dict[str, Any], status: int, starts: str, handler: ModuleType, bedrock: BedrockStandIn
) -> None:
    response, body = _http(handler, event)
    assert response["statusCode"] == status
    assert body["error"]["message"].startswith(starts), body
    assert "bedrock-request-id" not in response["headers"]
    assert bedrock.requests == []


def test_a_plain_invocation_is_recorded_as_unauthenticated(
    handler: ModuleType, bedrock: BedrockStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = handler.handler(valid_event(), FakeContext())  # the function itself, not the URL alias
    assert answer["type"] == "message"
    metadata = json.loads(bedrock.requests[0].headers["x-amzn-bedrock-request-metadata"])
    assert metadata["attribution"] == "unauthenticated"
    assert not {"caller_arn", "caller_account", "caller_org_id", "team"} & set(metadata)
    lines = _lines(capsys.readouterr().out)
    (log,) = [line for line in lines if line.get("message") == "Claude invocation succeeded"]
    assert log["attribution"] == "unauthenticated" and "caller_arn" not in log
    (emf,) = [line for line in lines if "_aws" in line]
    assert emf["Caller"] == "unauthenticated"


def test_a_function_url_event_sent_by_plain_invocation_is_refused_and_its_principal_ignored(
    handler: ModuleType, bedrock: BedrockStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    """Anyone allowed lambda:InvokeFunction could send an event naming another principal: outside the URL alias,
    requestContext is an unknown field of a Messages request."""
    forged = function_url_event(valid_event(), caller_arn="arn:aws:sts::999999999999:assumed-role/admin/x")
    answer = handler.handler(forged, FakeContext())
    assert answer["type"] == "error" and answer["error"]["type"] == "invalid_request_error"
    assert bedrock.requests == []
    out = capsys.readouterr().out
    assert "999999999999" not in out
