"""Property: any JSON event gives a success body, a token count or a well-formed Anthropic error (each checked with the
`anthropic` SDK's own types), never an exception, and whatever reaches Bedrock is a body Bedrock takes.

The scripted client records each request body untouched and parses nothing: were it to parse, a malformed body
would raise inside `process`, come back as an `api_error`, and pass the check. The test parses what was sent.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

import pytest
from botocore.exceptions import ClientError
from claude_invoker import service
from claude_invoker.bedrock import ClientPool
from claude_invoker.config import Settings
from claude_invoker.errors import BEDROCK_CODES
from claude_invoker.results import ResultStore
from claude_invoker.service import CallContext, process
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.support import anthropic_sdk as sdk
from tests.support.bedrock_runtime import PROFILE_PREFIXES, strict_json_object
from tests.support.invoker import MODELS, SUCCESS_BODY, answered, valid_event
from tests.support.lambda_runtime import runtime_response_bytes

# The error types the invoker documents (Anthropic's names), written out here rather than read from the code.
ANTHROPIC_ERROR_TYPES = {
    "invalid_request_error",
    "permission_error",
    "not_found_error",
    "rate_limit_error",
    "overloaded_error",
    "api_error",
    "timeout_error",
}
# The stable codes of errors only the invoker's operators can cure (docs/callers/invoking.md), written out here.
DOCUMENTED_ERROR_CODES = {"deployment_credentials", "deployment_configuration", "service_quota_exceeded"}
# The body of an Anthropic Messages request on Bedrock InvokeModel.
BEDROCK_BODY_FIELDS = {
    "anthropic_version",
    "anthropic_beta",
    "messages",
    "max_tokens",
    "system",
    "temperature",
    "top_p",
    "top_k",
    "stop_sequences",
    "tools",
    "tool_choice",
    "thinking",
    "metadata",
    "output_config",
    "context_management",
}

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
# Fields a caller may send: the body fields the function forwards (it sets anthropic_version itself) and its own.
CONTROL_FIELDS = ("model", "bedrock_service_tier", "bedrock_latency", "invoker_operation")
known_keys = st.sampled_from(sorted(BEDROCK_BODY_FIELDS - {"anthropic_version"}) + list(CONTROL_FIELDS))
arbitrary_events = st.dictionaries(known_keys | st.text(max_size=10), json_values, max_size=6)
# Valid events with some fields replaced by arbitrary values: reaches the later checks and the Bedrock call.
mutated_events = st.builds(
    lambda overrides, drop: {k: v for k, v in {**valid_event(), **overrides}.items() if k not in drop},
    st.dictionaries(
        known_keys,
        json_values
        | st.sampled_from([*MODELS, "claude-haiku-4-5-20251001", "context-1m-2025-08-07", "count_tokens", "flex"]),
        max_size=3,
    ),
    st.sets(st.sampled_from(["messages", "max_tokens"]), max_size=1),
)
bedrock_behaviour = st.sampled_from(["ok", *BEDROCK_CODES, "Unknown"])
# Text holding a lone UTF-16 surrogate (hypothesis's text leaves surrogates out): half of an emoji a JavaScript caller
# cut, which JSON's "\ud83d" escape carries into the event.
lone_surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
surrogate_text = st.builds(lambda a, b, c: a + b + c, st.text(max_size=4), lone_surrogates, st.text(max_size=4))
# A lone surrogate in each field a refusal may quote or the function forwards: the model, an unknown key, a
# metadata key or user_id, message text, a system prompt, a stop sequence, a tool name, the profile prefix.
surrogate_events = st.one_of(
    st.builds(lambda t: valid_event(model=t), surrogate_text),
    st.builds(lambda t: valid_event(model=f"{t}.anthropic.claude-sonnet-4-5-20250929-v1:0"), surrogate_text),
    st.builds(lambda t: {**valid_event(), t: 1}, surrogate_text),
    st.builds(lambda t: valid_event(metadata={t: "u"}), surrogate_text),
    st.builds(lambda t: valid_event(metadata={"user_id": t}), surrogate_text),
    st.builds(lambda t: valid_event(messages=[{"role": "user", "content": t}]), surrogate_text),
    st.builds(
        lambda t: valid_event(messages=[{"role": "user", "content": [{"type": "text", "text": t}]}]), surrogate_text
    ),
    st.builds(lambda t: valid_event(system=t), surrogate_text),
    st.builds(lambda t: valid_event(stop_sequences=[t]), surrogate_text),
    st.builds(lambda t: valid_event(tools=[{"name": t, "input_schema": {"type": "object"}}]), surrogate_text),
    st.builds(lambda t: valid_event(anthropic_beta=[t]), surrogate_text),
)


COUNT = {"inputTokens": 38}
REQUEST_ID = "req-scripted"
ASYNC_ARN = "arn:aws:lambda:us-east-1:123456789012:function:claude-invoker:async"


class ScriptedBedrock:
    """InvokeModel and CountTokens answered as scripted: the success body (a count), or a ClientError with the
    scripted code and a request ID."""

    def __init__(self, behaviour: str) -> None:
        self.behaviour = behaviour
        self.sent: list[Any] = []  # each InvokeModel body, as the code under test passed it
        self.counted: list[Any] = []  # each CountTokens input, likewise

    def _answer(self, operation: str, answer: dict[str, Any]) -> dict[str, Any]:
        if self.behaviour == "ok":
            return {**answer, "ResponseMetadata": {"RequestId": REQUEST_ID}}
        raise ClientError(
            {
                "Error": {"Code": self.behaviour, "Message": "m"},
                "ResponseMetadata": {"HTTPStatusCode": 400, "RequestId": REQUEST_ID},
            },
            operation,
        )

    def invoke_model(self, **kwargs: Any) -> dict[str, Any]:
        self.sent.append(kwargs.get("body"))
        return self._answer("InvokeModel", {"body": io.BytesIO(json.dumps(SUCCESS_BODY).encode())})

    def count_tokens(self, **kwargs: Any) -> dict[str, Any]:
        self.counted.append(kwargs)
        return self._answer("CountTokens", COUNT)


def check_response(result: Any) -> None:
    """A success body exactly as Bedrock returned it, a token count, or an Anthropic error object; each is also what
    the `anthropic` SDK's own types accept."""
    assert isinstance(result, dict)
    if result.get("type") == "error":
        assert set(result) <= {"type", "error", "request_id"}
        assert set(result["error"]) - {"details"} == {"type", "message"}
        # A stable code, where Anthropic puts one, only on errors the caller can neither retry nor fix.
        if "details" in result["error"]:
            assert set(result["error"]["details"]) == {"error_code"}
            assert result["error"]["details"]["error_code"] in DOCUMENTED_ERROR_CODES
            assert result["error"]["type"] == "api_error"
        assert result["error"]["type"] in ANTHROPIC_ERROR_TYPES
        assert isinstance(result["error"]["message"], str) and result["error"]["message"]
        assert result.get("request_id", REQUEST_ID) == REQUEST_ID
        sdk.ErrorResponse.model_validate(result)
    elif "input_tokens" in result:
        assert result == answered({"input_tokens": COUNT["inputTokens"]}, REQUEST_ID)
        sdk.MessageTokensCount.model_validate(result)
    else:
        assert result == answered(SUCCESS_BODY, REQUEST_ID)  # Bedrock's request ID added, nothing else changed
        sdk.Message.model_validate(result)


def check_sent(sent: list[Any], counted: Sequence[Any] = ()) -> None:
    """At most one call, whose body is strict JSON (no NaN or Infinity), an Anthropic Messages request for Bedrock;
    a count goes to a base model ID with the same kind of body."""
    assert len(sent) + len(counted) <= 1, (sent, counted)
    for count in counted:
        assert not count["modelId"].startswith(PROFILE_PREFIXES), count
        assert set(count["input"]) == {"invokeModel"}
    for body in [*sent, *(c["input"]["invokeModel"]["body"] for c in counted)]:
        assert isinstance(body, bytes), body
        try:
            parsed = strict_json_object(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise AssertionError(f"Bedrock would refuse this body ({error}): {body[:200]!r}") from None
        assert set(parsed) <= BEDROCK_BODY_FIELDS, set(parsed) - BEDROCK_BODY_FIELDS
        assert parsed["anthropic_version"] == "bedrock-2023-05-31"
        assert isinstance(parsed["messages"], list) and parsed["messages"]
        assert isinstance(parsed["max_tokens"], int) and parsed["max_tokens"] > 0


class NothingKept(ResultStore):
    """The results bucket of an asynchronous invocation: every event here is small, so nothing may be kept."""

    def __init__(self) -> None:
        super().__init__("unused", 1, factory=lambda: None)  # type: ignore[arg-type,return-value]

    def keep(self, answer: dict[str, Any], request_id: str | None) -> dict[str, Any]:
        raise AssertionError(f"a small answer was taken for one too large for the results queue: {answer}")


def run_and_check(event: Any, behaviour: str, settings: Settings, asynchronous: bool = False) -> dict[str, Any]:
    """The property for one event and one Bedrock behaviour, invoked directly or through the asynchronous alias;
    returns the response, which the Python 3.14 runtime must be able to write (UTF-8, `ensure_ascii=False`)."""
    bedrock = ScriptedBedrock(behaviour)
    pool = ClientPool(settings, factory=lambda _read: bedrock)
    if asynchronous:
        call = CallContext(lambda: 60_000, ASYNC_ARN, "req-lambda")
        settings = settings._replace(results_bucket="unused", async_alias="async")
        result = process(event, settings, pool, call, NothingKept()).response
    else:
        result = process(event, settings, pool, CallContext(remaining_ms=lambda: 60_000)).response
    runtime_response_bytes(result)  # raises what the runtime would fail on
    check_response(result)
    check_sent(bedrock.sent, bedrock.counted)
    # Bedrock answered: the caller gets that answer. Nothing sent: the caller gets an error, never a success.
    if bedrock.sent and behaviour == "ok":
        assert result == answered(SUCCESS_BODY, REQUEST_ID), result
    if bedrock.counted and behaviour == "ok":
        assert result == answered({"input_tokens": COUNT["inputTokens"]}, REQUEST_ID), result
    if not bedrock.sent and not bedrock.counted:
        assert result.get("type") == "error", result
        assert "request_id" not in result  # nothing reached Bedrock
    return result


@hsettings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=arbitrary_events | mutated_events | json_values, behaviour=bedrock_behaviour, asynchronous=st.booleans())
def test_any_event_gives_success_or_well_formed_error(
    event: Any, behaviour: str, asynchronous: bool, settings: Settings
) -> None:
    run_and_check(event, behaviour, settings, asynchronous)


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=surrogate_events, behaviour=bedrock_behaviour, asynchronous=st.booleans())
def test_lone_surrogates_in_any_field_give_an_answer_the_runtime_can_write(
    event: dict[str, Any], behaviour: str, asynchronous: bool, settings: Settings
) -> None:
    result = run_and_check(event, behaviour, settings, asynchronous)
    assert result.get("type") == "error", result  # nothing with a lone surrogate is sent: Bedrock takes UTF-8 only


@hsettings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=mutated_events)
def test_valid_looking_events_reach_bedrock_or_name_a_field(event: dict[str, Any], settings: Settings) -> None:
    result = run_and_check(event, "ok", settings)
    if result.get("type") == "error":
        message = result["error"]["message"]
        assert message.split(":", 1)[0].split(".", 1)[0].split("[", 1)[0] in {
            *event,
            "messages",
            "max_tokens",
            "request",
        }


def test_the_property_reaches_bedrock_with_a_valid_event(settings: Settings) -> None:
    """The check of what was sent runs on real calls, not only on refused events."""
    bedrock = ScriptedBedrock("ok")
    process(valid_event(), settings, ClientPool(settings, factory=lambda _read: bedrock), CallContext())
    assert len(bedrock.sent) == 1
    check_sent(bedrock.sent)


def test_property_check_can_fail(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    # An error type Anthropic does not have.
    with pytest.raises(AssertionError):
        check_response({"type": "error", "error": {"type": "teapot_error", "message": "x"}})
    # The SDK's types are no yes-machine either: an error without a message, a message without usage.
    with pytest.raises(ValueError):
        sdk.ErrorResponse.model_validate({"type": "error", "error": {"type": "api_error"}})
    with pytest.raises(ValueError):
        sdk.Message.model_validate({k: v for k, v in SUCCESS_BODY.items() if k != "usage"})
    # Bodies Bedrock would refuse: not JSON, not strict JSON, not an object, not a Messages request.
    good = json.dumps({"anthropic_version": "bedrock-2023-05-31", "messages": [{"role": "user"}], "max_tokens": 5})
    for wrong in (
        b"{not json",
        good.replace('"max_tokens": 5', '"max_tokens": NaN').encode(),
        b"[1]",
        good.replace("bedrock-2023-05-31", "2023-06-01").encode(),
        good.replace('"max_tokens"', '"model": "x", "max_tokens"').encode(),
        good,  # text, not bytes
    ):
        with pytest.raises(AssertionError):
            check_sent([wrong])
    check_sent([good.encode()])
    # The whole property fails when the code under test sends a wrong body, even though Bedrock "answers".
    monkeypatch.setattr(service, "encode_body", lambda body: b"{'messages': 'not JSON'}")
    with pytest.raises(AssertionError, match="Bedrock would refuse this body"):
        run_and_check(valid_event(), "ok", settings)
