"""Every EMF line the handler writes is a valid embedded-metric-format document, and stdout holds nothing else than
those and the runtime's JSON log records.

The documents are checked with tests/support/emf.py, written from CloudWatch's specification (not from the
emitter); the first test shows that checker refusing what the specification forbids.
"""

from __future__ import annotations

import contextlib
import io
import json
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from botocore.exceptions import ClientError
from claude_invoker.bedrock import ClientPool
from claude_invoker.config import Settings
from claude_invoker.service import CallContext, process
from claude_invoker.telemetry import Telemetry
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.support.bedrock_runtime import BedrockStandIn
from tests.support.emf import problems
from tests.support.invoker import REQUEST_ID, SUCCESS_BODY, FakeContext, valid_event

ERROR_TYPES = {
    "invalid_request_error",
    "permission_error",
    "not_found_error",
    "rate_limit_error",
    "overloaded_error",
    "api_error",
    "timeout_error",
}
# The specification's own example (same page): valid.
SPEC_EXAMPLE = {
    "_aws": {
        "Timestamp": 1574109732004,
        "CloudWatchMetrics": [
            {
                "Namespace": "lambda-function-metrics",
                "Dimensions": [["functionVersion"]],
                "Metrics": [{"Name": "time", "Unit": "Milliseconds"}],
            }
        ],
    },
    "functionVersion": "$LATEST",
    "time": 100,
    "requestId": "989ffbf8-9ace-4817-a57c-e4dd734019ee",
}


def _broken(change: Callable[[dict[str, Any]], None]) -> str:
    document = json.loads(json.dumps(SPEC_EXAMPLE))
    change(document)
    return json.dumps(document)


def _directive(document: dict[str, Any]) -> dict[str, Any]:
    directive: dict[str, Any] = document["_aws"]["CloudWatchMetrics"][0]
    return directive


INVALID = {
    "no _aws": _broken(lambda d: d.pop("_aws")),
    "timestamp in seconds as text": _broken(lambda d: d["_aws"].update(Timestamp="1574109732")),
    "no namespace": _broken(lambda d: _directive(d).pop("Namespace")),
    "dimension target missing": _broken(lambda d: d.pop("functionVersion")),
    "dimension target not a string": _broken(lambda d: d.update(functionVersion=1)),
    "metric target missing": _broken(lambda d: d.pop("time")),
    "metric target a string": _broken(lambda d: d.update(time="100")),
    "metric target a boolean": _broken(lambda d: d.update(time=True)),
    "metric target nested": _broken(lambda d: (_directive(d)["Metrics"][0].update(Name="a.b"), d.update(a={"b": 1}))),
    "ten dimension keys": _broken(
        lambda d: (
            _directive(d).update(Dimensions=[[f"k{i}" for i in range(10)]]),
            d.update({f"k{i}": "v" for i in range(10)}),
        )
    ),
    "unit not a CloudWatch unit": _broken(lambda d: _directive(d)["Metrics"][0].update(Unit="ms")),
    "more than 100 metrics": _broken(
        lambda d: (
            _directive(d).update(Metrics=[{"Name": f"m{i}"} for i in range(101)]),
            d.update({f"m{i}": i for i in range(101)}),
        )
    ),
    "member the specification does not define": _broken(lambda d: _directive(d).update(Region="us-east-1")),
    "text after the document": json.dumps(SPEC_EXAMPLE) + " trailing",
    "NaN value": json.dumps(SPEC_EXAMPLE).replace('"time": 100', '"time": NaN'),
}


def test_the_checker_accepts_the_specifications_example_and_refuses_what_it_forbids() -> None:
    assert problems(json.dumps(SPEC_EXAMPLE)) == []
    for case, line in INVALID.items():
        assert problems(line), f"the checker accepted: {case}"


def _split(out: str) -> tuple[list[str], list[dict[str, Any]]]:
    """The EMF lines and the log records of stdout; any other line fails the test (everything is one JSON object).
    Lines end at "\n" only: the runtime writes other line breaks of a message (U+0085, U+2028) unescaped."""
    emf, logs = [], []
    for line in out.split("\n")[:-1]:
        entry = json.loads(line)
        assert isinstance(entry, dict), line
        if "_aws" in entry:
            emf.append(line)
        else:
            assert {"timestamp", "level", "message", "logger", "requestId"} <= set(entry), entry
            logs.append(entry)
    return emf, logs


@pytest.mark.parametrize(
    ("bedrock_error", "event"),
    [
        (None, valid_event(metadata={"user_id": "u-9"})),
        (None, valid_event(model="claude-haiku-4-5", invoker_operation="count_tokens")),
        (None, {"messages": [], "max_tokens": 5}),  # refused before any call: Model "none"
        ((400, "ValidationException"), valid_event()),
        ((429, "ThrottlingException"), valid_event()),
        ((500, "InternalServerException"), valid_event()),
    ],
    ids=["success", "count-tokens", "caller-mistake", "validation", "throttled", "server-error"],
)
@pytest.mark.usefixtures("fast_backoff")
def test_every_emf_line_of_the_handler_follows_the_specification(
    load_handler: Callable[..., ModuleType],
    bedrock: BedrockStandIn,
    capsys: pytest.CaptureFixture[str],
    bedrock_error: tuple[int, str] | None,
    event: dict[str, Any],
) -> None:
    module = load_handler()
    if bedrock_error:
        bedrock.error(*bedrock_error, "refused", times=3)
    before = int(time.time() * 1000)
    module.handler(event, FakeContext())
    after = int(time.time() * 1000)
    emf, logs = _split(capsys.readouterr().out)
    (line,) = emf  # one document per invocation
    assert problems(line) == []
    assert before <= json.loads(line)["_aws"]["Timestamp"] <= after  # milliseconds since the epoch, now
    assert [log["requestId"] for log in logs if log["logger"] == "claude_invoker"] == [REQUEST_ID]


class _Scripted:
    """InvokeModel answered with the success body or a ClientError of the scripted code."""

    def __init__(self, code: str | None) -> None:
        self.code = code

    def invoke_model(self, **kwargs: Any) -> dict[str, Any]:
        if self.code:
            raise ClientError({"Error": {"Code": self.code, "Message": "m"}, "ResponseMetadata": {}}, "InvokeModel")
        return {"body": io.BytesIO(json.dumps(SUCCESS_BODY).encode()), "ResponseMetadata": {"RetryAttempts": 0}}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
events = st.dictionaries(
    st.sampled_from(["messages", "max_tokens", "model", "system", "metadata", "temperature", "invoker_operation"])
    | st.text(max_size=6),
    json_values,
    max_size=4,
) | st.builds(
    lambda extra: {**valid_event(), **extra},
    st.dictionaries(st.sampled_from(["model", "metadata"]), json_values, max_size=1),
)


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=events, code=st.sampled_from([None, "ValidationException", "ThrottlingException", "Unknown"]))
def test_any_event_gives_one_valid_emf_document(event: dict[str, Any], code: str | None, settings: Settings) -> None:
    pool = ClientPool(settings, factory=lambda _read: _Scripted(code))
    outcome = process(event, settings, pool, CallContext(remaining_ms=lambda: 60_000))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        Telemetry(settings, {}).record(outcome, FakeContext())
    assert out.getvalue().endswith("\n")
    emf, _ = _split(out.getvalue())
    (line,) = emf
    assert problems(line) == []
    # Dimensions stay bounded whatever the event: a configured alias or "none", one of Anthropic's error types.
    document = json.loads(line)
    assert document["Model"] in {*settings.models, "none"}
    assert document.get("ErrorType", "api_error") in ERROR_TYPES
