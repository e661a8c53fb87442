"""Property: any JSON event gives a success body or a well-formed Anthropic error, never an exception."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from claude_invoker.bedrock import ClientPool
from claude_invoker.config import Settings
from claude_invoker.errors import BEDROCK_CODES, ERROR_TYPES
from claude_invoker.service import CallContext, process
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from invoker_testing import MODELS, SUCCESS_BODY, valid_event

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
known_keys = st.sampled_from(
    [
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
        "model",
        "anthropic_beta",
    ]
)
arbitrary_events = st.dictionaries(known_keys | st.text(max_size=10), json_values, max_size=6)
# Valid events with some fields replaced by arbitrary values: reaches the later checks and the Bedrock call.
mutated_events = st.builds(
    lambda overrides, drop: {k: v for k, v in {**valid_event(), **overrides}.items() if k not in drop},
    st.dictionaries(known_keys, json_values | st.sampled_from([*MODELS, "context-1m-2025-08-07"]), max_size=3),
    st.sets(st.sampled_from(["messages", "max_tokens"]), max_size=1),
)
bedrock_behaviour = st.sampled_from(["ok", *BEDROCK_CODES, "Unknown"])


class ScriptedBedrock:
    def __init__(self, behaviour: str) -> None:
        self.behaviour = behaviour

    def invoke_model(self, **kwargs: Any) -> dict[str, Any]:
        json.loads(kwargs["body"])  # the body is always strict JSON
        if self.behaviour == "ok":
            return {"body": io.BytesIO(json.dumps(SUCCESS_BODY).encode())}
        raise ClientError(
            {"Error": {"Code": self.behaviour, "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": 400}},
            "InvokeModel",
        )


def _check(result: Any) -> None:
    assert isinstance(result, dict)
    if result.get("type") == "error":
        assert set(result) == {"type", "error"}
        assert set(result["error"]) == {"type", "message"}
        assert result["error"]["type"] in ERROR_TYPES
        assert isinstance(result["error"]["message"], str) and result["error"]["message"]
    else:
        assert result == SUCCESS_BODY


@hsettings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=arbitrary_events | mutated_events | json_values, behaviour=bedrock_behaviour)
def test_any_event_gives_success_or_well_formed_error(event: Any, behaviour: str, settings: Settings) -> None:
    pool = ClientPool(settings, factory=lambda _read: ScriptedBedrock(behaviour))
    _check(process(event, settings, pool, CallContext(remaining_ms=lambda: 60_000)).response)


@hsettings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=mutated_events)
def test_valid_looking_events_reach_bedrock_or_name_a_field(event: dict[str, Any], settings: Settings) -> None:
    pool = ClientPool(settings, factory=lambda _read: ScriptedBedrock("ok"))
    result = process(event, settings, pool, CallContext()).response
    _check(result)
    if result.get("type") == "error":
        message = result["error"]["message"]
        assert message.split(":", 1)[0].split(".", 1)[0].split("[", 1)[0] in {
            *event,
            "messages",
            "max_tokens",
            "request",
        }


def test_property_check_can_fail() -> None:
    with pytest.raises(AssertionError):
        _check({"type": "error", "error": {"type": "teapot_error", "message": "x"}})
