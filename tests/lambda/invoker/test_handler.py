"""The Lambda handler: JSON logs without prompts unless asked, EMF metrics, error values instead of exceptions.

Log lines are read as Lambda's Python runtime writes them (its own formatter, tests/support/lambda_runtime.py);
tests/lambda/invoker/test_telemetry.py checks every EMF line against the format's specification.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from claude_invoker.bedrock import ClientPool

from tests.support.invoker import CODE_ROOT, REQUEST_ID, SUCCESS_BODY, FakeContext, valid_event

SECRET_PROMPT = "the launch code is 0000-SECRET"
SECRET_COMPLETION = "COMPLETION-SECRET-42"
SUCCESS = "Claude invocation succeeded"


class FakeBedrock:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def invoke_model(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        body = {**SUCCESS_BODY, "content": [{"type": "text", "text": SECRET_COMPLETION}]}
        return {"body": io.BytesIO(json.dumps(body).encode()), "ResponseMetadata": {"RetryAttempts": 0}}


def _load(load_handler: Callable[..., ModuleType], **env: str) -> tuple[ModuleType, FakeBedrock]:
    module = load_handler(**env)
    fake = FakeBedrock()
    module.CLIENTS = ClientPool(module.SETTINGS, factory=lambda _read: fake)
    return module, fake


def _json_lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_prompts_and_completions_are_not_logged_by_default(
    load_handler: Callable[..., ModuleType], capsys: pytest.CaptureFixture[str]
) -> None:
    module, fake = _load(load_handler)
    event = valid_event(messages=[{"role": "user", "content": SECRET_PROMPT}])
    result = module.handler(event, FakeContext())
    assert result["content"][0]["text"] == SECRET_COMPLETION
    assert len(fake.calls) == 1
    out = capsys.readouterr().out
    assert "Claude invocation succeeded" in out
    assert SECRET_PROMPT not in out
    assert SECRET_COMPLETION not in out


def test_prompts_are_logged_when_enabled(
    load_handler: Callable[..., ModuleType], capsys: pytest.CaptureFixture[str]
) -> None:
    module, _ = _load(load_handler, INVOKER_LOG_PROMPTS="true")
    module.handler(valid_event(messages=[{"role": "user", "content": SECRET_PROMPT}]), FakeContext())
    out = capsys.readouterr().out
    assert SECRET_PROMPT in out
    assert SECRET_COMPLETION in out


def test_a_success_writes_one_lambda_json_log_line_with_the_documented_fields(
    load_handler: Callable[..., ModuleType], capsys: pytest.CaptureFixture[str]
) -> None:
    module, fake = _load(load_handler)
    module.handler(valid_event(metadata={"user_id": "u-1"}), FakeContext())
    lines = _json_lines(capsys.readouterr().out)
    (log,) = [line for line in lines if line.get("message") == "Claude invocation succeeded"]
    # What Lambda's Python runtime writes for a record (tests/support/lambda_runtime.py), the request ID included.
    assert (log["level"], log["logger"], log["requestId"]) == ("INFO", "claude_invoker", REQUEST_ID)
    assert log["caller_user_id"] == "u-1"
    assert log["model_alias"] == "claude-sonnet-4-5"
    assert log["profile_id"] == "global.anthropic.claude-sonnet-4-5-20250929-v1:0"
    assert (log["input_tokens"], log["output_tokens"], log["stop_reason"]) == (12, 3, "end_turn")
    assert (log["retries"], log["operation"]) == (0, "create")
    assert log["function_arn"].endswith(":function:claude-invoker:live")
    metadata = json.loads(fake.calls[0]["requestMetadata"])
    assert metadata["user_id"] == "u-1"
    assert metadata["lambda_request_id"] == REQUEST_ID


@pytest.mark.parametrize(
    ("client_context", "cognito_identity", "caller"),
    [
        (None, None, {}),
        ({"client": None, "custom": {}}, {}, {}),
        (
            {"client": {"app_title": "billing-service"}, "custom": {}},
            {"cognitoIdentityId": "eu-west-1:2f3e"},
            {"caller_app": "billing-service", "cognito_identity_id": "eu-west-1:2f3e"},
        ),
    ],
    ids=["none", "empty", "both"],
)
def test_the_handler_reads_the_lambda_runtimes_own_context(
    load_handler: Callable[..., ModuleType],
    capsys: pytest.CaptureFixture[str],
    client_context: dict[str, Any] | None,
    cognito_identity: dict[str, Any] | None,
    caller: dict[str, str],
) -> None:
    """The context object of Lambda's Python runtime (awslambdaric), with and without the caller's ClientContext
    and Cognito identity: what the function reads of it (claude_invoker.protocols.LambdaContext) is there."""
    from awslambdaric.lambda_context import LambdaContext

    module, fake = _load(load_handler)
    arn = "arn:aws:lambda:us-east-1:123456789012:function:claude-invoker:live"
    deadline = int(time.time() * 1000) + 60_000
    context = LambdaContext(REQUEST_ID, client_context, cognito_identity, deadline, arn)
    assert module.handler(valid_event(), context)["type"] == "message"
    (log,) = [line for line in _json_lines(capsys.readouterr().out) if line.get("message") == SUCCESS]
    assert {key: log[key] for key in ("caller_app", "cognito_identity_id") if key in log} == caller
    assert log["function_arn"] == arn
    assert json.loads(fake.calls[0]["requestMetadata"])["lambda_request_id"] == REQUEST_ID


def test_a_success_writes_its_metrics_in_one_emf_line(
    load_handler: Callable[..., ModuleType], capsys: pytest.CaptureFixture[str]
) -> None:
    module, _ = _load(load_handler)
    module.handler(valid_event(), FakeContext())
    (emf,) = [line for line in _json_lines(capsys.readouterr().out) if "_aws" in line]
    (directive,) = emf["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "ClaudeInvokerTest"  # INVOKER_METRICS_NAMESPACE
    # By model, and by caller (a plain invocation names none: unauthenticated).
    assert directive["Dimensions"] == [["Model", "Scope", "service"], ["Caller", "service"]]
    assert emf["Caller"] == "unauthenticated"
    assert {m["Name"]: m["Unit"] for m in directive["Metrics"]} == {
        "Invocations": "Count",
        "Latency": "Milliseconds",
        "InputTokens": "Count",
        "OutputTokens": "Count",
    }
    assert (emf["Model"], emf["Scope"], emf["service"]) == ("claude-sonnet-4-5", "global", "claude-invoker-test")
    assert (emf["Invocations"], emf["InputTokens"], emf["OutputTokens"]) == (1, 12, 3)
    assert "level" not in emf and "message" not in emf  # written to stdout, not through the runtime's formatter


def test_caller_mistake_returns_error_and_counts_it(
    load_handler: Callable[..., ModuleType], capsys: pytest.CaptureFixture[str]
) -> None:
    module, fake = _load(load_handler)
    result = module.handler({"messages": [], "max_tokens": 5}, FakeContext())
    assert result["type"] == "error"
    assert result["error"]["type"] == "invalid_request_error"
    assert result["error"]["message"].startswith("messages:")
    assert fake.calls == []
    lines = _json_lines(capsys.readouterr().out)
    (emf,) = [line for line in lines if "_aws" in line]
    assert (emf["Errors"], emf["ErrorType"], emf["Model"]) == (1, "invalid_request_error", "none")
    (errors,) = [d for d in emf["_aws"]["CloudWatchMetrics"] if [m["Name"] for m in d["Metrics"]] == ["Errors"]]
    assert set(errors["Dimensions"][0]) == {"Model", "Scope", "ErrorType", "service"}  # no request-level values
    (log,) = [line for line in lines if line.get("message") == "Claude invocation failed"]
    assert (log["level"], log["error_type"], log["requestId"]) == ("WARNING", "invalid_request_error", REQUEST_ID)


def test_the_log_level_is_lambdas_application_log_level(
    load_handler: Callable[..., ModuleType], capsys: pytest.CaptureFixture[str]
) -> None:
    """Lambda passes ApplicationLogLevel as AWS_LAMBDA_LOG_LEVEL: at ERROR a success writes no log line, a caller
    mistake (WARNING) neither; the metrics, on stdout, are still written."""
    module, _ = _load(load_handler, AWS_LAMBDA_LOG_LEVEL="ERROR")
    module.handler(valid_event(), FakeContext())
    module.handler({"messages": [], "max_tokens": 5}, FakeContext())
    lines = _json_lines(capsys.readouterr().out)
    assert not [line for line in lines if str(line.get("message", "")).startswith("Claude invocation")]
    assert len([line for line in lines if "_aws" in line]) == 2


def test_the_trace_id_of_active_tracing_is_logged(
    load_handler: Callable[..., ModuleType], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    module, _ = _load(load_handler)
    # Lambda sets _X_AMZN_TRACE_ID for each invocation when tracing is Active.
    monkeypatch.setenv("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
    module.handler(valid_event(), FakeContext())
    (log,) = [line for line in _json_lines(capsys.readouterr().out) if line.get("message") == SUCCESS]
    assert log["xray_trace_id"] == "1-5759e988-bd862e3fe1be46a994272793"


def test_a_failure_to_record_never_costs_the_caller_the_answer(
    load_handler: Callable[..., ModuleType], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    module, _ = _load(load_handler)

    def broken(*args: Any) -> dict[str, Any]:
        raise RuntimeError("metrics broke")

    monkeypatch.setattr("claude_invoker.telemetry.metrics_document", broken)
    result = module.handler(valid_event(), FakeContext())
    assert result["content"][0]["text"] == SECRET_COMPLETION
    (log,) = [line for line in _json_lines(capsys.readouterr().out) if line.get("level") == "ERROR"]
    assert (log["message"], log["errorType"], log["errorMessage"]) == (
        "Recording the invocation failed",
        "RuntimeError",
        "metrics broke",
    )


def _modules_after_import(env: dict[str, str], then: str) -> tuple[set[str], set[str]]:
    """The modules a fresh interpreter holds after `import handler`, with `env`; and after it also ran `then`.
    One interpreter for both: starting one costs more than the check."""
    show = "print('modules:', json.dumps(sorted(sys.modules)), flush=True)"
    code = f"import sys, json\nsys.path.insert(0, {str(CODE_ROOT)!r})\nimport handler\n{show}\n{then}\n{show}"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    before, after = (line for line in done.stdout.splitlines() if line.startswith("modules: "))
    return set(json.loads(before.removeprefix("modules: "))), set(json.loads(after.removeprefix("modules: ")))


def test_the_handler_imports_no_x_ray_sdk_and_no_powertools_even_with_active_tracing(
    lambda_env: dict[str, str],
) -> None:
    """Lambda's active tracing needs no SDK in the function; what Lambda sets when tracing is Active changes nothing.
    Logs and metrics need no library either: the function has no layer, so Powertools could not be imported."""
    traced = {
        **os.environ,
        "_X_AMZN_TRACE_ID": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        "AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129:2000",
        "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
        "LAMBDA_TASK_ROOT": str(CODE_ROOT),
        "AWS_LAMBDA_FUNCTION_NAME": "claude-invoker",
    }
    modules, with_sdk = _modules_after_import(traced, then="from aws_xray_sdk.core import patch; patch(['botocore'])")
    assert "handler" in modules
    assert not {m for m in modules if m.startswith(("aws_xray_sdk", "opentelemetry", "aws_lambda_powertools"))}
    # The check can fail: the X-Ray SDK, patching botocore the way an SDK-traced handler would, shows up.
    assert "aws_xray_sdk.core" in with_sdk
