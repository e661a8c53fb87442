"""Over real HTTP: botocore talks to a Bedrock Runtime stand-in on 127.0.0.1 (AWS_ENDPOINT_URL_BEDROCK_RUNTIME).

Backoff sleeps are shortened by the `fast_backoff` fixture; attempts, retry decisions and timeouts are botocore's.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from types import ModuleType

import pytest
from claude_invoker.bedrock import ClientPool
from claude_invoker.config import Settings
from claude_invoker.service import CallContext, Outcome, process

from tests.support.bedrock_runtime import BedrockStandIn, Reply
from tests.support.invoker import SONNET_PROFILE, SUCCESS_BODY, FakeContext, valid_event, without_request_id

pytestmark = pytest.mark.usefixtures("fast_backoff")


def _call(settings: Settings, event: dict | None = None, context: FakeContext | None = None) -> Outcome:
    context = context or FakeContext()
    call = CallContext(context.get_remaining_time_in_millis, context.invoked_function_arn, context.aws_request_id)
    return process(event or valid_event(), settings, ClientPool(settings), call)


def test_success_path_body_and_metadata(bedrock: BedrockStandIn, settings: Settings) -> None:
    event = valid_event(
        model="claude-sonnet-4-5",
        anthropic_beta=["interleaved-thinking-2025-05-14"],
        metadata={"user_id": "user-7"},
        system="Be brief.",
    )
    outcome = _call(settings, event)
    assert without_request_id(outcome.response) == SUCCESS_BODY
    [sent] = bedrock.requests
    assert sent.model_id == SONNET_PROFILE
    assert sent.model_id.startswith(f"{settings.endpoint_scope}.")
    assert "%3A" in sent.raw_path  # botocore URL-encodes the ':' of the model ID
    assert sent.body == {
        "anthropic_version": "bedrock-2023-05-31",
        "anthropic_beta": ["interleaved-thinking-2025-05-14"],
        "messages": event["messages"],
        "max_tokens": 64,
        "system": "Be brief.",
        "metadata": {"user_id": "user-7"},
    }
    assert sent.headers["content-type"] == "application/json"
    assert sent.headers["accept"] == "application/json"
    assert sent.headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=testing/")
    attribution = json.loads(sent.headers["x-amzn-bedrock-request-metadata"])
    assert attribution["function_arn"] == "arn:aws:lambda:us-east-1:123456789012:function:claude-invoker:live"
    assert attribution["user_id"] == "user-7"


@pytest.mark.parametrize(
    "event", [valid_event(), valid_event(invoker_operation="count_tokens")], ids=["create", "count"]
)
def test_a_success_carries_bedrocks_request_id(event: dict, bedrock: BedrockStandIn, settings: Settings) -> None:
    """Bedrock's x-amzn-RequestId, as a failure carries it, so a caller can quote it for any call."""
    bedrock.default = Reply(request_id="5e1b7c1a-req-ok")
    bedrock.count_default = Reply(body={"inputTokens": 38}, request_id="5e1b7c1a-req-ok")
    outcome = _call(settings, event)
    assert outcome.response["request_id"] == "5e1b7c1a-req-ok" == outcome.bedrock_request_id


def test_throttled_twice_then_success(bedrock: BedrockStandIn, settings: Settings) -> None:
    bedrock.error(429, "ThrottlingException", "Too many requests", times=2)
    outcome = _call(settings)
    assert without_request_id(outcome.response) == SUCCESS_BODY
    assert len(bedrock.requests) == 3
    assert outcome.retries == 2


def test_persistent_throttling_is_rate_limit_error(bedrock: BedrockStandIn, settings: Settings) -> None:
    bedrock.error(429, "ThrottlingException", "Too many requests", times=10)
    outcome = _call(settings)
    assert outcome.response["error"]["type"] == "rate_limit_error"
    assert "Too many requests" in outcome.response["error"]["message"]
    assert len(bedrock.requests) == settings.max_attempts


def test_internal_error_is_retried_then_api_error(bedrock: BedrockStandIn, settings: Settings) -> None:
    bedrock.error(500, "InternalServerException", "boom", times=10)
    outcome = _call(settings)
    assert outcome.response["error"]["type"] == "api_error"
    assert len(bedrock.requests) == settings.max_attempts


def test_internal_error_once_then_success(bedrock: BedrockStandIn, settings: Settings) -> None:
    bedrock.error(500, "InternalServerException", "boom")
    assert without_request_id(_call(settings).response) == SUCCESS_BODY
    assert len(bedrock.requests) == 2


def test_service_unavailable_is_overloaded_error(bedrock: BedrockStandIn, settings: Settings) -> None:
    bedrock.error(503, "ServiceUnavailableException", "busy", times=10)
    assert _call(settings).response["error"]["type"] == "overloaded_error"


def test_access_denied_is_permission_error_naming_the_profile(bedrock: BedrockStandIn, settings: Settings) -> None:
    bedrock.error(403, "AccessDeniedException", "User is not authorized to perform bedrock:InvokeModel")
    error = _call(settings).response["error"]
    assert error["type"] == "permission_error"
    assert SONNET_PROFILE in error["message"]
    assert "Claude Sonnet 4.5" in error["message"]
    assert len(bedrock.requests) == 1  # not retried


def test_validation_exception_is_invalid_request_error(bedrock: BedrockStandIn, settings: Settings) -> None:
    bedrock.error(400, "ValidationException", "messages.0.content: Field required")
    error = _call(settings).response["error"]
    assert error == {"type": "invalid_request_error", "message": error["message"]}
    assert "messages.0.content: Field required" in error["message"]
    assert len(bedrock.requests) == 1


def test_stalled_server_ends_in_timeout_before_the_deadline(bedrock: BedrockStandIn, settings: Settings) -> None:
    # Read timeout 2 s configured; 3 s left in the invocation: the attempt gets 1 s and no retry is started.
    bedrock.replies.append(Reply(delay=10))
    context = FakeContext(remaining_ms=3_000)
    started = time.monotonic()
    outcome = _call(settings, context=context)
    elapsed = time.monotonic() - started
    assert outcome.response["error"]["type"] == "timeout_error"
    assert context.get_remaining_time_in_millis() > 0
    assert elapsed < 2.0
    assert len(bedrock.requests) == 1


def test_long_read_timeout_is_cut_to_the_invocation(bedrock: BedrockStandIn, settings: Settings) -> None:
    # The production default (270 s) with 2.6 s left: a 0.5 s read timeout client is used.
    bedrock.default = Reply(delay=10)
    context = FakeContext(remaining_ms=2_600)
    outcome = _call(settings._replace(read_timeout_seconds=270), context=context)
    assert outcome.response["error"]["type"] == "timeout_error"
    assert context.get_remaining_time_in_millis() > 0


def test_retries_stop_when_the_invocation_would_run_out(bedrock: BedrockStandIn, settings: Settings) -> None:
    # Enough time for one attempt, not for backoff plus another: the last Bedrock error is returned.
    bedrock.error(429, "ThrottlingException", "Too many requests", times=10)
    outcome = _call(settings, context=FakeContext(remaining_ms=4_200))
    assert outcome.response["error"]["type"] == "rate_limit_error"
    assert len(bedrock.requests) == 1


def test_no_time_left_makes_no_call(bedrock: BedrockStandIn, settings: Settings) -> None:
    outcome = _call(settings, context=FakeContext(remaining_ms=1_000))
    assert outcome.response["error"]["type"] == "timeout_error"
    assert bedrock.requests == []


def test_handler_end_to_end(
    bedrock: BedrockStandIn, load_handler: Callable[..., ModuleType], capsys: pytest.CaptureFixture[str]
) -> None:
    assert os.environ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] == bedrock.url
    handler = load_handler()
    bedrock.error(429, "ThrottlingException", "slow down")
    result = handler.handler(valid_event(model="anthropic.claude-opus-4-7"), FakeContext())
    assert without_request_id(result) == SUCCESS_BODY
    assert [r.model_id for r in bedrock.requests] == ["global.anthropic.claude-opus-4-7"] * 2
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    emf = next(line for line in lines if "_aws" in line)
    assert emf["InputTokens"] in (12, [12])
    assert emf["OutputTokens"] in (3, [3])
    assert emf["Model"] == "claude-opus-4-7"
    assert emf["Scope"] == "global"
    log = next(line for line in lines if line.get("message") == "Claude invocation succeeded")
    assert log["retries"] == 1
    assert log["requestId"] == "0f1e2d3c-aaaa-bbbb-cccc-000000000001"  # written by the runtime's formatter


def test_the_stand_in_fails_loudly_on_a_request_bedrock_would_refuse() -> None:
    """What the fixture asserts empty after each test: a wrong body or route is recorded, not only answered."""
    stand_in = BedrockStandIn()
    stand_in.thread.start()
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1, never through a proxy
    try:
        for path, body in (("/model/m/invoke", b'{"max_tokens": NaN}'), ("/model/m/converse", b"{}")):
            request = urllib.request.Request(f"{stand_in.url}{path}", data=body, method="POST")
            with pytest.raises(urllib.error.HTTPError) as refused:
                direct.open(request, timeout=5)
            assert refused.value.code in (400, 404)
    finally:
        stand_in.close()
    assert len(stand_in.problems) == 2
    assert "NaN is not strict JSON" in stand_in.problems[0]
    assert "not an InvokeModel or CountTokens route" in stand_in.problems[1]
    assert stand_in.requests == []


def test_a_reset_stand_in_keeps_nothing_of_an_earlier_test(bedrock: BedrockStandIn, settings: Settings) -> None:
    """What lets one stand-in serve a whole module (the `bedrock` fixture resets it for each test): whatever a test
    left (requests, queued replies, other defaults, problems, delays released) is gone."""
    bedrock.error(429, "ThrottlingException", "slow down", times=5)
    bedrock.default = Reply(status=500, error_type="InternalServerException")
    bedrock.count_default = Reply(body={"inputTokens": 1})
    _call(settings)
    bedrock.problems.append("left by an earlier test")
    bedrock.release()
    bedrock.reset()
    assert (bedrock.requests, bedrock.replies, bedrock.problems) == ([], [], [])
    assert (bedrock.default, bedrock.count_default) == (Reply(), Reply(body={"inputTokens": 38}))
    assert not bedrock.stop.is_set()
    assert without_request_id(_call(settings).response) == SUCCESS_BODY
    assert len(bedrock.requests) == 1
