"""A Bedrock Runtime stand-in on 127.0.0.1: InvokeModel (POST /model/{modelId}/invoke), CountTokens
(POST /model/{modelId}/count-tokens), AWS-style errors.

botocore talks to it over real HTTP (AWS_ENDPOINT_URL_BEDROCK_RUNTIME). It fails loudly: a request it cannot take
(an unknown route, a body that is not a strict JSON object, a CountTokens input that is not `{"invokeModel":
{"body": <base64 of a strict JSON object>}}` or that names an inference profile, an error in its own handler) is
answered as Bedrock would answer it and also recorded in `problems`, which the tests' fixture asserts empty, so a
mistake in what the function sends can never pass as an ordinary Bedrock error. InvokeModel echoes the service
tier and latency headers it received, as Bedrock does. Plain Python: the benchmarks run it too.
"""

from __future__ import annotations

import base64
import binascii
import json
import sys
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

from core.catalog.scopes import SCOPES
from tests.support.invoker import SUCCESS_BODY

INVOKE = "invoke"
COUNT_TOKENS = "count-tokens"
# Inference-profile prefixes: CountTokens takes a foundation model ID only (its modelId shape).
PROFILE_PREFIXES = tuple(f"{endpoint_scope}." for endpoint_scope in SCOPES)
# Response headers Bedrock echoes from the request (botocore bedrock-runtime model, InvokeModelResponse).
ECHOED = ("x-amzn-bedrock-service-tier", "x-amzn-bedrock-performanceconfig-latency")


@dataclass
class Reply:
    status: int = 200
    body: dict[str, Any] = field(default_factory=lambda: dict(SUCCESS_BODY))
    error_type: str | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    request_id: str | None = None  # x-amzn-RequestId; a fresh UUID when None


@dataclass
class Recorded:
    raw_path: str
    model_id: str
    headers: dict[str, str]
    body: dict[str, Any]  # the Messages body (for CountTokens: the InvokeModel body inside its input)
    operation: str = INVOKE


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not strict JSON")


def strict_json_object(raw: bytes) -> dict[str, Any]:
    """The request body as Bedrock reads it: strict JSON (no NaN or Infinity), an object. ValueError otherwise."""
    value = json.loads(raw, parse_constant=_refuse_constant)
    if not isinstance(value, dict):
        raise ValueError(f"the body is a JSON {type(value).__name__}, not an object")
    return value


class BedrockStandIn:
    """Answers InvokeModel from `replies` (in order), then with `default`; records each request it accepts."""

    def __init__(self) -> None:
        self.reset()
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
                operation = path.rsplit("/", 1)[-1]
                if not (path.startswith("/model/") and operation in (INVOKE, COUNT_TOKENS)):
                    stand_in.problems.append(f"POST {path}: not an InvokeModel or CountTokens route")
                    self._send(Reply(404, {"message": f"no route for {path}"}, "UnknownOperationException"))
                    return
                model_id = unquote(path[len("/model/") : -len(operation) - 1])
                try:
                    body = strict_json_object(raw)
                    if operation == COUNT_TOKENS:
                        body = self._count_tokens_body(body, model_id)
                except ValueError as error:
                    stand_in.problems.append(f"POST {path}: body refused ({error}): {raw[:200]!r}")
                    self._send(Reply(400, {"message": "Malformed input request"}, "ValidationException"))
                    return
                headers = {k.lower(): v for k, v in self.headers.items()}
                stand_in.requests.append(Recorded(path, model_id, headers, body, operation))
                default = stand_in.count_default if operation == COUNT_TOKENS else stand_in.default
                reply = stand_in.replies.pop(0) if stand_in.replies else default
                if reply.delay:
                    stand_in.stop.wait(reply.delay)
                echoed = {name: headers[name] for name in ECHOED if name in headers and operation == INVOKE}
                self._send(reply, echoed)

            @staticmethod
            def _count_tokens_body(request: dict[str, Any], model_id: str) -> dict[str, Any]:
                """The InvokeModel body inside a CountTokens input; ValueError for what Bedrock would refuse."""
                if model_id.startswith(PROFILE_PREFIXES):
                    raise ValueError(f"CountTokens takes a foundation model ID, not the profile {model_id}")
                if set(request) != {"input"} or set(request["input"]) != {"invokeModel"}:
                    raise ValueError("the input must be exactly {'invokeModel': {'body': ...}}")
                try:
                    inner = base64.b64decode(request["input"]["invokeModel"]["body"], validate=True)
                except (KeyError, TypeError, binascii.Error) as error:
                    raise ValueError(f"invokeModel.body is not base64 ({error})") from None
                return strict_json_object(inner)

            def _send(self, reply: Reply, echoed: dict[str, str] | None = None) -> None:
                data = json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.send_header("x-amzn-RequestId", reply.request_id or str(uuid.uuid4()))
                    for name, value in {**(echoed or {}), **reply.headers}.items():
                        self.send_header(name, value)
                    if reply.error_type:
                        self.send_header("x-amzn-ErrorType", f"{reply.error_type}:http://internal.amazon.com/coral/")
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (read timeout)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                error = sys.exc_info()[1]
                if not isinstance(error, OSError):  # a client closing its connection is no problem of ours
                    stand_in.problems.append(f"the stand-in's handler failed: {error!r}")

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def reset(self) -> None:
        """Back to the state of a new stand-in (nothing recorded, no replies queued, the default answers), so that one
        server can serve many tests. The handler reads every attribute per request, so a fresh `stop` also keeps a
        delayed reply released by an earlier test's `release` from waiting on this one's."""
        self.requests: list[Recorded] = []
        self.replies: list[Reply] = []
        self.default = Reply()
        self.count_default = Reply(body={"inputTokens": 38})
        # What the stand-in could not take: each entry is a test failure (see the module docstring).
        self.problems: list[str] = []
        self.stop = threading.Event()

    def release(self) -> None:
        """End every delayed reply now (a client that gave up waits for nothing)."""
        self.stop.set()

    def error(self, status: int, error_type: str, message: str, times: int = 1, request_id: str | None = None) -> None:
        self.replies.extend(
            Reply(status, {"message": message}, error_type, request_id=request_id) for _ in range(times)
        )

    def close(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()
