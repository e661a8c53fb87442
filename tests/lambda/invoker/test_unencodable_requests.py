"""Events the function could once not answer: lone UTF-16 surrogates, deep nesting, `stream: false`.

Every answer is checked as the Python 3.14 runtime writes it (its own marshaller, `ensure_ascii=False`, then UTF-8:
tests/support/lambda_runtime.py); through the asynchronous alias, a small refusal stays in the queue record.
"""

from __future__ import annotations

from typing import Any

import pytest
from claude_invoker.bedrock import ClientPool
from claude_invoker.config import Settings
from claude_invoker.results import ResultStore
from claude_invoker.service import CallContext, process

from tests.support.bedrock_runtime import BedrockStandIn
from tests.support.invoker import FakeContext, valid_event
from tests.support.lambda_runtime import runtime_response_bytes

ASYNC_ARN = "arn:aws:lambda:us-east-1:123456789012:function:claude-invoker:async"
SYNC_ARN = "arn:aws:lambda:us-east-1:123456789012:function:claude-invoker"
LONE = "\ud800"  # half of a surrogate pair, as a JSON event may carry it ("\ud800")
# The reproduction, and the same lone surrogate in every other field a refusal quotes.
ECHOED = {
    "model": valid_event(model=LONE),
    "unknown key": {**valid_event(), f"x{LONE}": 1},
    "metadata key": valid_event(metadata={LONE: "u"}),
    "profile prefix": valid_event(model=f"{LONE}.anthropic.claude-sonnet-4-5-20250929-v1:0"),
}


class NoStore(ResultStore):
    """A results store that records what it was asked to keep, and keeps nothing."""

    def __init__(self) -> None:
        super().__init__("unused", 1, factory=lambda: None)  # type: ignore[arg-type,return-value]
        self.asked: list[dict[str, Any]] = []

    def keep(self, answer: dict[str, Any], request_id: str | None) -> dict[str, Any]:
        self.asked.append(answer)
        raise RuntimeError("not stored")


def _answer(settings: Settings, event: Any, arn: str = SYNC_ARN) -> dict[str, Any]:
    context = FakeContext()
    call = CallContext(context.get_remaining_time_in_millis, arn, context.aws_request_id)
    asynchronous = settings._replace(results_bucket="unused", async_alias="async")
    store = NoStore()
    response: dict[str, Any] = process(event, asynchronous, ClientPool(settings), call, store).response
    assert store.asked == [], "a small answer was taken for one too large for the results queue"
    return response


def _nested(depth: int) -> dict[str, Any]:
    inner: dict[str, Any] = {}
    value = inner
    for _ in range(depth - 1):
        value["a"] = {}
        value = value["a"]
    return inner


@pytest.mark.parametrize("arn", [SYNC_ARN, ASYNC_ARN], ids=["sync", "async"])
@pytest.mark.parametrize("event", ECHOED.values(), ids=ECHOED.keys())
def test_a_refusal_quoting_a_lone_surrogate_encodes_as_utf8(
    event: dict[str, Any], arn: str, bedrock: BedrockStandIn, settings: Settings
) -> None:
    answer = _answer(settings, event, arn)
    assert answer["error"]["type"] == "invalid_request_error", answer
    assert "\\ud800" in answer["error"]["message"]  # quoted, escaped
    runtime_response_bytes(answer)  # raises what the runtime would fail on
    assert bedrock.requests == []


@pytest.mark.parametrize("arn", [SYNC_ARN, ASYNC_ARN], ids=["sync", "async"])
def test_text_with_a_lone_surrogate_is_refused_as_invalid_unicode_naming_where(
    arn: str, bedrock: BedrockStandIn, settings: Settings
) -> None:
    event = valid_event(messages=[{"role": "user", "content": [{"type": "text", "text": "hi \ud83d"}]}])
    answer = _answer(settings, event, arn)
    message = answer["error"]["message"]
    assert message.startswith("messages[0].content[0].text: holds a lone UTF-16 surrogate (\\ud83d)"), message
    assert "NaN" not in message
    runtime_response_bytes(answer)
    assert bedrock.requests == []


@pytest.mark.parametrize("arn", [SYNC_ARN, ASYNC_ARN], ids=["sync", "async"])
def test_nesting_990_deep_is_refused_with_the_limit(arn: str, bedrock: BedrockStandIn, settings: Settings) -> None:
    event = valid_event(messages=[{"role": "user", "content": [{"type": "text", "text": "x", "extra": _nested(990)}]}])
    answer = _answer(settings, event, arn)
    assert answer["error"]["message"] == (
        "messages: nested deeper than 256 levels of arrays and objects, the most the function accepts"
    )
    runtime_response_bytes(answer)
    assert bedrock.requests == []


def test_nesting_up_to_the_limit_reaches_bedrock(bedrock: BedrockStandIn, settings: Settings) -> None:
    # The event (level 1), messages (2), the message (3), content (4), the block (5), then extra: 256 in all.
    block = {"type": "text", "text": "x", "extra": _nested(256 - 5)}
    assert _answer(settings, valid_event(messages=[{"role": "user", "content": [block]}]))["type"] == "message"
    block["extra"] = _nested(256 - 4)
    refused = _answer(settings, valid_event(messages=[{"role": "user", "content": [block]}]))
    assert refused["error"]["type"] == "invalid_request_error"
    assert len(bedrock.requests) == 1


def test_stream_false_is_accepted_and_not_forwarded(bedrock: BedrockStandIn, settings: Settings) -> None:
    assert _answer(settings, valid_event(stream=False))["type"] == "message"
    assert "stream" not in bedrock.requests[0].body


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "stream: unknown field; the function returns the whole response"),
        (0, "stream: must be false or left out; the function returns the whole response"),
        ("false", "stream: must be false or left out"),
    ],
)
def test_stream_true_keeps_its_hint(value: object, message: str, bedrock: BedrockStandIn, settings: Settings) -> None:
    answer = _answer(settings, valid_event(stream=value))
    assert answer["error"]["message"].startswith(message), answer
    assert "InvokerRole" in answer["error"]["message"]
    assert bedrock.requests == []


def test_a_bedrock_answer_holding_a_lone_surrogate_still_reaches_the_caller(
    bedrock: BedrockStandIn, settings: Settings
) -> None:
    """Not expected of Bedrock; if it happens, the caller gets the answer with U+FFFD, not a function error."""
    from tests.support.bedrock_runtime import Reply
    from tests.support.invoker import SUCCESS_BODY

    bedrock.default = Reply(body={**SUCCESS_BODY, "content": [{"type": "text", "text": "ok \ud83d"}]})
    answer = _answer(settings, valid_event())
    assert answer["content"][0]["text"] == "ok \ufffd"
    runtime_response_bytes(answer)
