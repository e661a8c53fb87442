"""Shared test helpers for the invoker function: configuration, a fake Lambda context, a Bedrock Runtime stand-in."""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

SCOPE = "global"
MODELS: dict[str, dict[str, Any]] = {
    "claude-sonnet-4-5": {
        "name": "Claude Sonnet 4.5",
        "model_id": "anthropic.claude-sonnet-4-5-20250929-v1:0",
        "profile_id": "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "long_context": "beta",
        "context_window": 200000,
    },
    "claude-opus-4-7": {
        "name": "Claude Opus 4.7",
        "model_id": "anthropic.claude-opus-4-7",
        "profile_id": "global.anthropic.claude-opus-4-7",
        "long_context": "native",
        "context_window": 1000000,
    },
    "claude-haiku-4-5": {
        "name": "Claude Haiku 4.5",
        "model_id": "anthropic.claude-haiku-4-5-20251001-v1:0",
        "profile_id": "global.anthropic.claude-haiku-4-5-20251001-v1:0",
        "long_context": "none",
        "context_window": 200000,
    },
}
SONNET_PROFILE = MODELS["claude-sonnet-4-5"]["profile_id"]

BASE_ENV = {
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_EC2_METADATA_DISABLED": "true",
    "POWERTOOLS_SERVICE_NAME": "claude-invoker-test",
    "POWERTOOLS_METRICS_NAMESPACE": "ClaudeInvokerTest",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "CLAUDE_MODELS": json.dumps(MODELS),
    "CLAUDE_DEFAULT_MODEL": "claude-sonnet-4-5",
    "CLAUDE_ENDPOINT_SCOPE": SCOPE,
    # Small timeouts keep the suite fast; the HTTP tests rely on them.
    "BEDROCK_READ_TIMEOUT_SECONDS": "2",
    "BEDROCK_CONNECT_TIMEOUT_SECONDS": "1",
    "BEDROCK_MAX_ATTEMPTS": "3",
}

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
        self.aws_request_id = "0f1e2d3c-aaaa-bbbb-cccc-000000000001"
        self.log_group_name = "/aws/lambda/claude-invoker"
        self.log_stream_name = "2026/11/25/[$LATEST]abc"
        self.client_context = None
        self.identity = None

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@dataclass
class Reply:
    status: int = 200
    body: dict[str, Any] = field(default_factory=lambda: dict(SUCCESS_BODY))
    error_type: str | None = None
    delay: float = 0.0


@dataclass
class Recorded:
    raw_path: str
    model_id: str
    headers: dict[str, str]
    body: dict[str, Any]


class BedrockStandIn:
    """Bedrock Runtime's InvokeModel on 127.0.0.1: POST /model/{modelId}/invoke, AWS-style errors."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.replies: list[Reply] = []
        self.default = Reply()
        self.stop = threading.Event()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes; without TCP_NODELAY the body can wait ~40 ms for
            # the client's delayed ACK, which would dominate every timing measured against this stand-in.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                path = self.path.split("?", 1)[0]
                if not (path.startswith("/model/") and path.endswith("/invoke")):
                    self._send(Reply(404, {"message": f"no route for {path}"}, "UnknownOperationException"))
                    return
                stand_in.requests.append(
                    Recorded(
                        raw_path=path,
                        model_id=unquote(path[len("/model/") : -len("/invoke")]),
                        headers={k.lower(): v for k, v in self.headers.items()},
                        body=json.loads(raw),
                    )
                )
                reply = stand_in.replies.pop(0) if stand_in.replies else stand_in.default
                if reply.delay:
                    stand_in.stop.wait(reply.delay)
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                data = json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
                    if reply.error_type:
                        self.send_header("x-amzn-ErrorType", f"{reply.error_type}:http://internal.amazon.com/coral/")
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (read timeout)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def error(self, status: int, error_type: str, message: str, times: int = 1) -> None:
        self.replies.extend(Reply(status, {"message": message}, error_type) for _ in range(times))

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
