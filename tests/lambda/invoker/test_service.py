"""`process`: one invocation from event to response, never raising; what reaches Bedrock and what comes back."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from botocore.response import StreamingBody
from botocore.stub import ANY, Stubber
from claude_invoker import service
from claude_invoker.bedrock import ClientPool
from claude_invoker.config import Settings
from claude_invoker.service import CallContext, process

from tests.support.bedrock_runtime import strict_json_object
from tests.support.invoker import SONNET_PROFILE, SUCCESS_BODY, valid_event, without_request_id


class Recording:
    """A client that records each call and answers with `body`; it parses nothing."""

    def __init__(self, body: bytes = json.dumps(SUCCESS_BODY).encode(), retries: int = 0) -> None:
        self.calls: list[dict[str, Any]] = []
        self.body = body
        self.retries = retries

    def invoke_model(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        return {"body": io.BytesIO(self.body), "ResponseMetadata": {"RetryAttempts": self.retries}}


def pool_of(settings: Settings, client: Any) -> ClientPool:
    return ClientPool(settings, factory=lambda _read: client)


def test_success_returns_body_exactly_and_sends_profile(
    stubbed: tuple[Stubber, ClientPool], settings: Settings
) -> None:
    stubber, pool = stubbed
    data = json.dumps(SUCCESS_BODY).encode()
    stubber.add_response(
        "invoke_model",
        {"body": StreamingBody(io.BytesIO(data), len(data)), "contentType": "application/json"},
        expected_params={
            "modelId": SONNET_PROFILE,
            "body": ANY,
            "contentType": "application/json",
            "accept": "application/json",
            "requestMetadata": ANY,
        },
    )
    outcome = process(valid_event(), settings, pool, CallContext())
    assert outcome.ok
    assert without_request_id(outcome.response) == SUCCESS_BODY
    assert outcome.usage == {"input_tokens": 12, "output_tokens": 3}
    assert outcome.model is not None and outcome.model.alias == "claude-sonnet-4-5"


def test_the_body_sent_is_the_validated_request_as_strict_json(settings: Settings) -> None:
    client = Recording(retries=2)
    outcome = process(
        valid_event(system="Be brief.", model="claude-haiku-4-5"), settings, pool_of(settings, client), CallContext()
    )
    (call,) = client.calls
    assert call["modelId"] == "global.anthropic.claude-haiku-4-5-20251001-v1:0"
    assert strict_json_object(call["body"]) == {
        "anthropic_version": "bedrock-2023-05-31",
        "messages": [{"role": "user", "content": "Hi"}],
        "max_tokens": 64,
        "system": "Be brief.",
    }
    assert outcome.retries == 2


def test_a_request_that_is_not_strict_json_is_refused_without_a_call(settings: Settings) -> None:
    client = Recording()
    tool = {"name": "measure", "input_schema": {"type": "object", "maximum": float("nan")}}
    outcome = process(valid_event(tools=[tool]), settings, pool_of(settings, client), CallContext())
    assert outcome.response == {
        "type": "error",
        "error": {
            "type": "invalid_request_error",
            "message": "request: must be strict JSON (numbers finite, no NaN or Infinity)",
        },
    }
    assert client.calls == []


def test_too_little_time_is_timeout_error_without_a_call(settings: Settings) -> None:
    made: list[Any] = []
    pool = ClientPool(settings, factory=lambda read: made.append(read))
    outcome = process(valid_event(), settings, pool, CallContext(remaining_ms=lambda: 1_500))
    assert outcome.response["error"]["type"] == "timeout_error"
    assert made == []


def test_non_json_response_is_api_error(stubbed: tuple[Stubber, ClientPool], settings: Settings) -> None:
    stubber, pool = stubbed
    stubber.add_response("invoke_model", {"body": StreamingBody(io.BytesIO(b"[1]"), 3), "contentType": "x"})
    outcome = process(valid_event(), settings, pool, CallContext())
    assert outcome.error_type == "api_error"
    assert outcome.response["error"]["message"].startswith("Bedrock returned a response that is not usable")


def test_usage_that_is_not_an_object_is_left_out(settings: Settings) -> None:
    body = json.dumps({**SUCCESS_BODY, "usage": "lots"}).encode()
    outcome = process(valid_event(), settings, pool_of(settings, Recording(body)), CallContext())
    assert outcome.ok and outcome.usage == {}


def test_unexpected_exception_is_api_error_not_raised(settings: Settings) -> None:
    class Broken:
        def invoke_model(self, **kwargs: Any) -> Any:
            raise RuntimeError("bug")

    outcome = process(valid_event(), settings, pool_of(settings, Broken()), CallContext())
    assert outcome.response["error"] == {"type": "api_error", "message": "calling Bedrock failed: RuntimeError"}


def test_a_validation_bug_is_an_invalid_request_not_an_exception(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(event: object, settings: Settings) -> Any:
        raise KeyError("bug")

    monkeypatch.setattr(service, "parse_request", broken)
    client = Recording()
    outcome = process(valid_event(), settings, pool_of(settings, client), CallContext())
    assert outcome.response["error"] == {
        "type": "invalid_request_error",
        "message": "request: could not be validated (KeyError)",
    }
    assert client.calls == []
