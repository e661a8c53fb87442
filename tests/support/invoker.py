"""The invoker function's test environment: its configuration, a valid event, a success body, a Lambda context.

Plain Python (no boto3, no CDK): the benchmarks import it too (bench/_common.py).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# The function's code root: `handler` and the `claude_invoker` package (not a package of this repository).
CODE_ROOT = Path(__file__).resolve().parents[2] / "lambda" / "invoker"

SCOPE = "global"
# As the construct writes them (core/invoker/environment.py), with the catalog's facts of these three models.
MODELS: dict[str, dict[str, Any]] = {
    "claude-sonnet-4-5": {
        "name": "Claude Sonnet 4.5",
        "model_id": "anthropic.claude-sonnet-4-5-20250929-v1:0",
        "profile_id": "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "context_window": 200000,
        "api_names": ["claude-sonnet-4-5-20250929", "claude-sonnet-4-5"],
        "max_output_tokens": 64000,
        "thinking_modes": ["enabled"],
        "sampling": "temperature_or_top_p",
        "count_tokens": True,
    },
    "claude-opus-4-7": {
        "name": "Claude Opus 4.7",
        "model_id": "anthropic.claude-opus-4-7",
        "profile_id": "global.anthropic.claude-opus-4-7",
        "context_window": 1000000,
        "api_names": ["claude-opus-4-7"],
        "max_output_tokens": 128000,
        "thinking_modes": ["adaptive"],
        "sampling": "fixed",
        "count_tokens": False,
        "thinking_off": True,
        "api_versions": ["bedrock-2023-05-31", "2026-10-21"],
    },
    "claude-haiku-4-5": {
        "name": "Claude Haiku 4.5",
        "model_id": "anthropic.claude-haiku-4-5-20251001-v1:0",
        "profile_id": "global.anthropic.claude-haiku-4-5-20251001-v1:0",
        "context_window": 200000,
        "api_names": ["claude-haiku-4-5-20251001", "claude-haiku-4-5"],
        "max_output_tokens": 64000,
        "thinking_modes": ["enabled"],
        "sampling": "temperature_or_top_p",
        "count_tokens": True,
    },
}
# The results bucket of asynchronous answers, as the tests' S3 endpoint holds it.
RESULTS_BUCKET = "claude-invoker-results"
SONNET_PROFILE = MODELS["claude-sonnet-4-5"]["profile_id"]

BASE_ENV = {
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_EC2_METADATA_DISABLED": "true",
    "INVOKER_METRICS_NAMESPACE": "ClaudeInvokerTest",
    "INVOKER_SERVICE_NAME": "claude-invoker-test",
    "CLAUDE_MODELS": json.dumps(MODELS),
    "CLAUDE_DEFAULT_MODEL": "claude-sonnet-4-5",
    "CLAUDE_ENDPOINT_SCOPE": SCOPE,
    # Small timeouts keep the suite fast; the HTTP tests rely on them.
    "BEDROCK_READ_TIMEOUT_SECONDS": "2",
    "BEDROCK_CONNECT_TIMEOUT_SECONDS": "1",
    "BEDROCK_MAX_ATTEMPTS": "3",
}

# The invocation's request ID in the fake context and in the runtime's logging (tests/support/lambda_runtime.py).
REQUEST_ID = "0f1e2d3c-aaaa-bbbb-cccc-000000000001"

SUCCESS_BODY: dict[str, Any] = {
    "id": "msg_bdrk_01ABCDEF",
    "type": "message",
    "role": "assistant",
    "model": "claude-sonnet-4-5-20250929",
    "content": [{"type": "text", "text": "Hello!"}],
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {"input_tokens": 12, "output_tokens": 3},
}


def valid_event(**overrides: Any) -> dict[str, Any]:
    event: dict[str, Any] = {"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 64}
    event.update(overrides)
    return event


class FakeContext:
    """A Lambda context whose remaining time really runs down."""

    def __init__(self, remaining_ms: int = 60_000) -> None:
        self._deadline = time.monotonic() + remaining_ms / 1000
        self.function_name = "claude-invoker"
        self.function_version = "$LATEST"
        self.invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:claude-invoker:live"
        self.memory_limit_in_mb = 512
        self.aws_request_id = REQUEST_ID
        self.log_group_name = "/aws/lambda/claude-invoker"
        self.log_stream_name = "2026/11/25/[$LATEST]abc"
        self.client_context = None
        self.identity = None

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def function_settings(env: Mapping[str, str]) -> Any:
    """The function's own validation (`claude_invoker.config.load_settings`) applied to `env`."""
    sys.path.insert(0, str(CODE_ROOT))
    try:
        from claude_invoker.config import load_settings
    finally:
        sys.path.remove(str(CODE_ROOT))
    return load_settings(env)
