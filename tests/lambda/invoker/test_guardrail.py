"""The invoker applies the configured guardrail: read from its environment, sent on every InvokeModel over HTTP."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from claude_invoker.bedrock import ClientPool
from claude_invoker.config import ConfigError, Settings, load_settings
from claude_invoker.service import CallContext, process

from tests.support.bedrock_runtime import BedrockStandIn, Reply
from tests.support.invoker import SUCCESS_BODY, FakeContext, valid_event

GUARDRAIL_ARN = "arn:aws:bedrock:us-east-1:123456789012:guardrail/abcdefghij12"


def _call(settings: Settings) -> Any:
    context = FakeContext()
    call = CallContext(context.get_remaining_time_in_millis, context.invoked_function_arn, context.aws_request_id)
    return process(valid_event(), settings, ClientPool(settings), call)


def test_the_guardrail_and_its_version_are_sent_on_every_call(bedrock: BedrockStandIn, settings: Settings) -> None:
    guarded = settings._replace(guardrail=(GUARDRAIL_ARN, "3"))
    assert _call(guarded).response["content"] == SUCCESS_BODY["content"]
    [sent] = bedrock.requests
    # botocore's service model: guardrailIdentifier and guardrailVersion travel as these headers.
    assert sent.headers["x-amzn-bedrock-guardrailidentifier"] == GUARDRAIL_ARN
    assert sent.headers["x-amzn-bedrock-guardrailversion"] == "3"


def test_without_a_guardrail_no_guardrail_header_is_sent(bedrock: BedrockStandIn, settings: Settings) -> None:
    assert settings.guardrail is None
    _call(settings)
    [sent] = bedrock.requests
    assert not [name for name in sent.headers if "guardrail" in name]


def test_the_environment_names_the_guardrail() -> None:
    env = {**os.environ, "CLAUDE_GUARDRAIL_ARN": GUARDRAIL_ARN, "CLAUDE_GUARDRAIL_VERSION": "12"}
    assert load_settings(env).guardrail == (GUARDRAIL_ARN, "12")


@pytest.mark.parametrize(
    ("arn", "version", "named"),
    [
        (GUARDRAIL_ARN, "", "CLAUDE_GUARDRAIL_VERSION"),
        ("", "1", "CLAUDE_GUARDRAIL_ARN"),
        ("abcdefghij12", "1", "CLAUDE_GUARDRAIL_ARN"),  # an ID: IAM's condition names the ARN
        (GUARDRAIL_ARN, "DRAFT", "CLAUDE_GUARDRAIL_VERSION"),  # a working draft is not enforceable by version
        (GUARDRAIL_ARN, "0", "CLAUDE_GUARDRAIL_VERSION"),
    ],
)
def test_a_half_or_wrong_guardrail_setting_fails_init_naming_the_variable(arn: str, version: str, named: str) -> None:
    env = {**os.environ, "CLAUDE_GUARDRAIL_ARN": arn, "CLAUDE_GUARDRAIL_VERSION": version}
    with pytest.raises(ConfigError, match=f"^{named}: "):
        load_settings(env)


def _handled(load_handler: Callable[..., ModuleType], capsys: pytest.CaptureFixture[str]) -> tuple[Any, Any, Any]:
    """One call through the handler: (answer, its success log line, its EMF document)."""
    module = load_handler(CLAUDE_GUARDRAIL_ARN=GUARDRAIL_ARN, CLAUDE_GUARDRAIL_VERSION="3")
    answer = module.handler(valid_event(), FakeContext())
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    (log,) = [line for line in lines if line.get("message") == "Claude invocation succeeded"]
    (emf,) = [line for line in lines if "_aws" in line]
    return answer, log, emf


@pytest.mark.parametrize(("action", "count"), [("INTERVENED", 1), ("NONE", 0)])
def test_a_guardrail_intervention_is_marked_in_the_answer_the_log_and_a_metric(
    action: str,
    count: int,
    bedrock: BedrockStandIn,
    load_handler: Callable[..., ModuleType],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # What Bedrock answers when the guardrail blocks: HTTP 200, stop_reason end_turn, the blocked-input message.
    blocked = {**SUCCESS_BODY, "content": [{"type": "text", "text": "Sorry, I cannot help with that."}]}
    bedrock.default = Reply(body={**blocked, "amazon-bedrock-guardrailAction": action})
    answer, log, emf = _handled(load_handler, capsys)
    assert answer["amazon-bedrock-guardrailAction"] == action  # the documented field, as Bedrock sent it
    assert answer["stop_reason"] == "end_turn"
    assert log["guardrail_action"] == action
    assert emf["GuardrailInterventions"] == count
    assert {"Name": "GuardrailInterventions", "Unit": "Count"} in emf["_aws"]["CloudWatchMetrics"][0]["Metrics"]


def test_without_a_guardrail_verdict_there_is_no_guardrail_metric(
    bedrock: BedrockStandIn, load_handler: Callable[..., ModuleType], capsys: pytest.CaptureFixture[str]
) -> None:
    _answer, log, emf = _handled(load_handler, capsys)
    assert "guardrail_action" not in log
    assert "GuardrailInterventions" not in emf
