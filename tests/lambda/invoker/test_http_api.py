"""The current Messages API over real HTTP, against the Bedrock Runtime stand-in: what Bedrock receives (body, model
ID, headers), what the function refuses before any call, and the errors callers get (checked with the `anthropic`
SDK's own types)."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from claude_invoker.bedrock import ClientPool
from claude_invoker.config import Settings
from claude_invoker.service import CallContext, Outcome, process

from tests.support import anthropic_sdk as sdk
from tests.support.bedrock_runtime import BedrockStandIn, Reply
from tests.support.invoker import MODELS, SUCCESS_BODY, FakeContext, valid_event, without_request_id

pytestmark = pytest.mark.usefixtures("fast_backoff")

HAIKU = MODELS["claude-haiku-4-5"]
OPUS = MODELS["claude-opus-4-7"]
# Headers of Bedrock's request options (botocore 1.44.8 bedrock-runtime model, InvokeModelRequest).
TIER_HEADER = "x-amzn-bedrock-service-tier"
LATENCY_HEADER = "x-amzn-bedrock-performanceconfig-latency"


def call(settings: Settings, event: Any) -> Outcome:
    context = FakeContext()
    return process(
        event,
        settings,
        ClientPool(settings),
        CallContext(context.get_remaining_time_in_millis, context.invoked_function_arn, context.aws_request_id),
    )


@pytest.fixture
def roomy(settings: Settings) -> Settings:
    """A deployment that waits 60 s for Bedrock (the stand-in answers at once): room for a few thousand tokens."""
    return settings._replace(read_timeout_seconds=60, timeout_seconds=80)


def test_the_current_api_reaches_bedrock_unchanged_and_the_answer_is_an_anthropic_message(
    bedrock: BedrockStandIn, roomy: Settings
) -> None:
    schema = {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}
    event = valid_event(
        model="claude-opus-4-7",
        max_tokens=2048,
        system=[{"type": "text", "text": "Answer in JSON.", "cache_control": {"type": "ephemeral"}}],
        thinking={"type": "adaptive", "display": "summarized"},
        output_config={"format": {"type": "json_schema", "schema": schema}, "effort": "xhigh"},
        context_management={"edits": [{"type": "compact_20260112"}]},
        tools=[{"name": "lookup", "input_schema": {"type": "object"}, "strict": True}],
        tool_choice={"type": "auto"},
        metadata={"user_id": "u-1"},
        anthropic_beta=["compact-2026-01-12"],
    )
    outcome = call(roomy, event)
    [sent] = bedrock.requests
    assert sent.model_id == OPUS["profile_id"]
    # Every body field exactly as the caller sent it; the control fields consumed; the version Bedrock requires.
    assert sent.body == {
        "anthropic_version": "bedrock-2023-05-31",
        **{k: v for k, v in event.items() if k != "model"},
    }
    assert without_request_id(outcome.response) == SUCCESS_BODY
    assert sdk.Message.model_validate(outcome.response).usage.output_tokens == 3


@pytest.mark.parametrize(
    ("name", "profile"),
    [
        ("claude-haiku-4-5-20251001", HAIKU["profile_id"]),
        # The name a Sonnet 4.5 response carries in its `model` field, sent back as the next request's model.
        (SUCCESS_BODY["model"], MODELS["claude-sonnet-4-5"]["profile_id"]),
    ],
)
def test_anthropic_dated_model_names_reach_their_profile(
    name: str, profile: str, bedrock: BedrockStandIn, settings: Settings
) -> None:
    assert without_request_id(call(settings, valid_event(model=name)).response) == SUCCESS_BODY
    assert [r.model_id for r in bedrock.requests] == [profile]


@pytest.mark.parametrize(
    ("event", "field"),
    [
        (
            valid_event(model="claude-opus-4-7", max_tokens=2048, thinking={"type": "enabled", "budget_tokens": 1024}),
            "thinking.type",
        ),
        (valid_event(model="claude-sonnet-4-5", thinking={"type": "adaptive"}), "thinking.type"),
        (valid_event(model="claude-haiku-4-5", temperature=0.3, top_p=0.8), "top_p"),
        (valid_event(max_tokens=2048, thinking={"type": "enabled", "budget_tokens": 512}), "thinking.budget_tokens"),
        (valid_event(max_tokens=1500, thinking={"type": "enabled", "budget_tokens": 1500}), "thinking.budget_tokens"),
        (valid_event(model="claude-haiku-4-5", max_tokens=100_000), "max_tokens"),
        # Within the model's limit, beyond what the deployment can wait for.
        (valid_event(model="claude-opus-4-7", max_tokens=100_000), "max_tokens"),
        (valid_event(model="claude-opus-4-7", invoker_operation="count_tokens"), "invoker_operation"),
    ],
)
def test_catalog_and_budget_refusals_make_no_bedrock_call(
    event: dict[str, Any], field: str, bedrock: BedrockStandIn, roomy: Settings
) -> None:
    outcome = call(roomy, event)
    assert outcome.response["error"]["type"] == "invalid_request_error"
    assert outcome.response["error"]["message"].startswith(f"{field}: ")
    assert "request_id" not in outcome.response  # nothing reached Bedrock
    sdk.ErrorResponse.model_validate(outcome.response)
    assert bedrock.requests == []


def test_the_budget_refusal_names_this_deployments_limit(bedrock: BedrockStandIn, settings: Settings) -> None:
    deployed = settings._replace(read_timeout_seconds=880, timeout_seconds=900)
    message = call(deployed, valid_event(model="claude-opus-4-7", max_tokens=128_000)).response["error"]["message"]
    assert "880 s for Bedrock of the function's 900 s timeout" in message
    assert "raise invoker_timeout_seconds (up to 900)" in message and "InvokerRole" in message
    assert bedrock.requests == []


def test_service_tier_and_latency_travel_as_bedrock_headers_never_in_the_body(
    bedrock: BedrockStandIn, settings: Settings
) -> None:
    chosen = call(settings, valid_event(bedrock_service_tier="flex", bedrock_latency="optimized"))
    defaulted = call(settings._replace(service_tier="priority", latency="standard"), valid_event())
    unset = call(settings, valid_event())
    first, second, third = bedrock.requests
    assert (first.headers[TIER_HEADER], first.headers[LATENCY_HEADER]) == ("flex", "optimized")
    assert (second.headers[TIER_HEADER], second.headers[LATENCY_HEADER]) == ("priority", "standard")
    assert TIER_HEADER not in third.headers and LATENCY_HEADER not in third.headers
    for sent in (first, second, third):
        assert not {"bedrock_service_tier", "bedrock_latency", "service_tier"} & set(sent.body)
    # What Bedrock says served the call (it echoes the headers) is what the logs record.
    assert (chosen.served_tier, chosen.served_latency) == ("flex", "optimized")
    assert (defaulted.served_tier, unset.served_tier) == ("priority", None)


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("UnrecognizedClientException", 403),
        ("ExpiredTokenException", 400),
        ("InvalidSignatureException", 403),
        ("IncompleteSignature", 400),
        ("MissingAuthenticationTokenException", 403),
    ],
)
def test_the_functions_own_credential_failures_are_api_errors_for_operators(
    code: str, status: int, bedrock: BedrockStandIn, settings: Settings
) -> None:
    bedrock.error(status, code, "The security token included in the request is invalid.", request_id="req-cred-1")
    response = call(settings, valid_event()).response
    assert response["error"]["type"] == "api_error"  # not the caller's permission_error or invalid_request_error
    assert response["error"]["message"].startswith("Bedrock refused the invoker function's own AWS credentials")
    assert "operators" in response["error"]["message"] and code in response["error"]["message"]
    assert response["request_id"] == "req-cred-1"
    sdk.ErrorResponse.model_validate(response)
    assert len(bedrock.requests) == 1  # not retried


@pytest.mark.parametrize(
    ("status", "code", "times", "expected"),
    [
        (400, "ValidationException", 1, "invalid_request_error"),
        (403, "AccessDeniedException", 1, "permission_error"),
        (429, "ThrottlingException", 3, "rate_limit_error"),
        (500, "InternalServerException", 3, "api_error"),
    ],
)
def test_every_error_that_reached_bedrock_carries_bedrocks_request_id(
    status: int, code: str, times: int, expected: str, bedrock: BedrockStandIn, settings: Settings
) -> None:
    bedrock.replies.extend(
        Reply(status, {"message": "m"}, code, request_id=f"req-{attempt}") for attempt in range(times)
    )
    outcome = call(settings, valid_event())
    assert outcome.response["error"]["type"] == expected
    # The last attempt's ID: the answer the caller gets.
    assert outcome.response["request_id"] == outcome.bedrock_request_id == f"req-{times - 1}"
    assert sdk.ErrorResponse.model_validate(outcome.response).request_id == f"req-{times - 1}"
    assert len(bedrock.requests) == times


def test_a_token_count_is_served_by_count_tokens_on_the_base_model(bedrock: BedrockStandIn, settings: Settings) -> None:
    tool = {"name": "lookup", "input_schema": {"type": "object"}}
    event = {
        "model": "claude-haiku-4-5-20251001",
        "invoker_operation": "count_tokens",
        "system": "Be brief.",
        "messages": [{"role": "user", "content": "How many tokens is this?"}],
        "tools": [tool],
    }
    outcome = call(settings, event)
    assert without_request_id(outcome.response) == {"input_tokens": 38}
    sdk.MessageTokensCount.model_validate(outcome.response)
    [sent] = bedrock.requests
    assert (sent.operation, sent.model_id) == ("count-tokens", HAIKU["model_id"])  # never the profile
    assert sent.body == {
        "anthropic_version": "bedrock-2023-05-31",
        "system": "Be brief.",
        "messages": event["messages"],
        "tools": [tool],
        "max_tokens": 64_000,
    }
    assert outcome.bedrock_request_id


def test_a_count_bedrock_does_not_serve_in_this_region_is_bedrocks_answer(
    bedrock: BedrockStandIn, settings: Settings
) -> None:
    bedrock.error(400, "ValidationException", "The provided model doesn't support counting tokens.", request_id="r-9")
    response = call(settings, valid_event(model="claude-haiku-4-5", invoker_operation="count_tokens")).response
    assert response["error"]["type"] == "invalid_request_error"
    assert HAIKU["model_id"] in response["error"]["message"]
    assert "doesn't support counting tokens" in response["error"]["message"]
    assert response["request_id"] == "r-9"


def test_the_stand_in_refuses_a_count_through_a_profile_or_a_malformed_input() -> None:
    """What makes the count test able to fail: the stand-in records a profile ID or a wrong input as a problem."""
    stand_in = BedrockStandIn()
    stand_in.thread.start()
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    body = base64.b64encode(b'{"messages": []}').decode()
    try:
        for path, payload in (
            (f"/model/{HAIKU['profile_id']}/count-tokens", f'{{"input": {{"invokeModel": {{"body": "{body}"}}}}}}'),
            (f"/model/{HAIKU['model_id']}/count-tokens", '{"input": {"converse": {}}}'),
            (f"/model/{HAIKU['model_id']}/count-tokens", '{"input": {"invokeModel": {"body": "%%%"}}}'),
        ):
            request = urllib.request.Request(f"{stand_in.url}{path}", data=payload.encode(), method="POST")
            with pytest.raises(urllib.error.HTTPError):
                direct.open(request, timeout=5)
    finally:
        stand_in.close()
    assert len(stand_in.problems) == 3
    assert "not the profile" in stand_in.problems[0]
    assert stand_in.requests == []


def test_the_handler_logs_bedrocks_request_id_with_the_error(
    bedrock: BedrockStandIn, load_handler: Callable[..., ModuleType], capsys: pytest.CaptureFixture[str]
) -> None:
    handler = load_handler()
    bedrock.error(400, "ValidationException", "messages.0: bad", request_id="req-logged")
    assert handler.handler(valid_event(), FakeContext())["request_id"] == "req-logged"
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    log = next(line for line in lines if line.get("message") == "Claude invocation failed")
    assert (log["bedrock_request_id"], log["bedrock_error_code"]) == ("req-logged", "ValidationException")


def test_a_compaction_answer_is_read_with_the_sdks_beta_message_not_message(
    bedrock: BedrockStandIn, roomy: Settings
) -> None:
    """What docs/callers/invoking.md tells callers: the answer passes through unchanged, and only the SDK's
    BetaMessage models a compaction block."""
    from anthropic.types.beta import BetaMessage

    compacted = {**SUCCESS_BODY, "content": [{"type": "compaction", "content": "Earlier turns, summarized."}]}
    bedrock.default = Reply(body=compacted)
    answer = call(roomy, valid_event(context_management={"edits": [{"type": "compact_20260112"}]})).response
    assert without_request_id(answer) == compacted
    assert BetaMessage.model_validate(answer).content[0].type == "compaction"
    with pytest.raises(ValueError):
        sdk.Message.model_validate(answer)
