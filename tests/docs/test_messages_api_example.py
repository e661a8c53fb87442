"""docs/callers/examples/messages_api_sigv4.py runs against a bedrock-runtime stand-in on 127.0.0.1: the request it
sends is the Messages API route, signed with SigV4 for the service `bedrock` in the caller's Region, and the
signature is the one botocore computes again from what arrived (so the signed host, body and headers are those sent).
"""

from __future__ import annotations

import json
import runpy
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import ReadOnlyCredentials

from tests.support.project import ROOT

EXAMPLE = ROOT / "docs" / "callers" / "examples" / "messages_api_sigv4.py"
CREDENTIALS = ReadOnlyCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token")
REGION = "eu-west-1"
ANSWER = {
    "id": "msg_01",
    "type": "message",
    "role": "assistant",
    "model": "claude-opus-4-7",
    "content": [{"type": "text", "text": "Hello."}],
    "stop_reason": "end_turn",
    "usage": {"input_tokens": 9, "output_tokens": 3},
}


class _Recorder(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.received.append((self.command, self.path, headers, body))
        answer = json.dumps(ANSWER).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def endpoint() -> Iterator[str]:
    _Recorder.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    # Polled every 50 ms rather than every 0.5 s: shutdown waits for the next poll.
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_example_sends_a_sigv4_signed_messages_api_request(endpoint: str) -> None:
    example = runpy.run_path(str(EXAMPLE))
    body = {"model": "eu.anthropic.claude-opus-4-7", "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}]}
    message = example["create_message"](REGION, body, credentials=CREDENTIALS, endpoint=endpoint)
    assert message == ANSWER

    ((method, path, headers, sent),) = _Recorder.received
    assert (method, path) == ("POST", "/anthropic/v1/messages")
    assert json.loads(sent) == body
    assert headers["host"] == endpoint.removeprefix("http://")
    assert headers["anthropic-version"] == "2023-06-01"
    assert headers["x-amz-security-token"] == "session-token"
    authorization = headers["authorization"]
    stamp = headers["x-amz-date"]
    scope = f"Credential=AKIDEXAMPLE/{stamp[:8]}/{REGION}/bedrock/aws4_request"
    assert authorization.startswith(f"AWS4-HMAC-SHA256 {scope}, SignedHeaders=")
    signed = authorization.split("SignedHeaders=")[1].split(",")[0].split(";")
    assert {"host", "x-amz-date", "anthropic-version", "content-type"} <= set(signed)

    # The same request signed again from what arrived, at the time it carries: the signatures agree.
    again = AWSRequest(
        method=method,
        url=f"{endpoint}{path}",
        data=sent,
        headers={name: value for name, value in headers.items() if name in signed},
    )
    again.context["timestamp"] = stamp
    SigV4Auth(CREDENTIALS, "bedrock", REGION).add_auth(again)
    assert again.headers["authorization"] == authorization
    assert datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC) <= datetime.now(UTC)


def test_the_example_builds_the_regional_url_by_default() -> None:
    example = runpy.run_path(str(EXAMPLE))
    assert example["messages_url"]("ap-northeast-1") == (
        "https://bedrock-runtime.ap-northeast-1.amazonaws.com/anthropic/v1/messages"
    )
