"""The Lambda handler: logs without prompts unless asked, EMF metrics, error values instead of exceptions."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from claude_invoker.bedrock import ClientPool

from tests.support.invoker import CODE_ROOT, SUCCESS_BODY, FakeContext, valid_event

SECRET_PROMPT = "the launch code is 0000-SECRET"
SECRET_COMPLETION = "COMPLETION-SECRET-42"


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


def test_success_metrics_and_log_fields(
    load_handler: Callable[..., ModuleType], capsys: pytest.CaptureFixture[str]
) -> None:
    module, fake = _load(load_handler)
    module.handler(valid_event(metadata={"user_id": "u-1"}), FakeContext())
    lines = _json_lines(capsys.readouterr().out)
    emf = next(line for line in lines if "_aws" in line)
    metric_names = {m["Name"] for m in emf["_aws"]["CloudWatchMetrics"][0]["Metrics"]}
    assert {"Invocations", "Latency", "InputTokens", "OutputTokens"} <= metric_names
    assert emf["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "ClaudeInvokerTest"
    assert [d for d in emf["_aws"]["CloudWatchMetrics"][0]["Dimensions"][0] if d != "service"] == ["Model", "Scope"]
    log = next(line for line in lines if line.get("message") == "Claude invocation succeeded")
    assert log["caller_user_id"] == "u-1"
    assert log["profile_id"] == "global.anthropic.claude-sonnet-4-5-20250929-v1:0"
    assert log["input_tokens"] == 12
    assert log["function_arn"].endswith(":function:claude-invoker:live")
    metadata = json.loads(fake.calls[0]["requestMetadata"])
    assert metadata["user_id"] == "u-1"
    assert metadata["lambda_request_id"] == "0f1e2d3c-aaaa-bbbb-cccc-000000000001"


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
    errors = [line for line in lines if "Errors" in line]
    assert errors, lines
    assert errors[0]["ErrorType"] == "invalid_request_error"
    assert errors[0]["Model"] == "none"
    dimensions = errors[0]["_aws"]["CloudWatchMetrics"][0]["Dimensions"][0]
    assert set(dimensions) - {"service"} == {"Model", "Scope", "ErrorType"}  # bounded: no request-level values


def _modules_after_import(env: dict[str, str], extra: str = "") -> set[str]:
    """The modules a fresh interpreter holds after `import handler` (plus `extra`), with `env`."""
    code = f"import sys, json\nsys.path.insert(0, {str(CODE_ROOT)!r})\nimport handler\n{extra}\n"
    code += "print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_handler_imports_no_x_ray_sdk_even_with_active_tracing(lambda_env: dict[str, str]) -> None:
    """Lambda's active tracing needs no SDK in the function; what Lambda sets when tracing is Active changes nothing."""
    traced = {
        **os.environ,
        "_X_AMZN_TRACE_ID": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        "AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129:2000",
        "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
        "LAMBDA_TASK_ROOT": str(CODE_ROOT),
        "AWS_LAMBDA_FUNCTION_NAME": "claude-invoker",
    }
    modules = _modules_after_import(traced)
    assert "handler" in modules
    assert not {m for m in modules if m.startswith(("aws_xray_sdk", "opentelemetry"))}
    # The check can fail: the Powertools tracer, imported the way an SDK-based handler would, shows up.
    assert "aws_xray_sdk.core" in _modules_after_import(traced, "from aws_lambda_powertools import Tracer; Tracer()")
