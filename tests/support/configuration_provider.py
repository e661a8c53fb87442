"""The configuration provider's test world: its code root, the stack and resource it serves, a CloudFormation
stand-in that fails loudly, and an HTTP server on 127.0.0.1 that records CloudFormation responses.

`lambda/logging_configuration` is a code root (its `index.py` is inlined into the template), not a package.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.invocation_logging.configuration import logging_config
from tests.support.fake_account import ACCOUNT, REGION

CODE_ROOT = Path(__file__).resolve().parents[2] / "lambda" / "logging_configuration"
STACK_ID = f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/ClaudeInvocationLogging-{REGION}/51af3dc0-da77-11e4"
LOGICAL_ID = "ClaudeInvocationLoggingInvocationLoggingConfiguration1ACAB681"
BUCKET = "claudeinvocationlogging-invocationlogbucket-1a2b3c"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/ClaudeInvocationLogging-LoggingDeliveryRole-ABC"


def configuration(bucket: str = BUCKET, text: bool = True) -> dict[str, Any]:
    """A configuration as the stack writes it into the provider's environment (core.invocation_logging)."""
    return logging_config(
        bucket_name=bucket,
        log_group_name="/aws/bedrock/model-invocations/ClaudeInvocationLogging-us-east-1/51af3dc0",
        role_arn=ROLE_ARN,
        log_data=("text", "image") if text else ("image",),
    )


@dataclass
class Responses:
    """What CloudFormation would receive at its pre-signed URLs."""

    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)


@contextmanager
def response_server() -> Iterator[Responses]:
    """An HTTP server on 127.0.0.1 that records every PUT (the response object) and answers 200."""
    recorded = Responses(url="")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            length = int(self.headers["Content-Length"])
            recorded.received.append(json.loads(self.rfile.read(length)))
            recorded.headers.append({k.lower(): v for k, v in self.headers.items()})
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    recorded.url = f"http://127.0.0.1:{server.server_port}/cloudformation-response?X-Amz-Signature=abc"
    try:
        yield recorded
    finally:
        server.shutdown()
        server.server_close()


class CloudFormation:
    """DescribeStacks of the one stack the provider serves; any other call or stack fails the test."""

    def __init__(self, status: str, stack_id: str = STACK_ID) -> None:
        self.status = status
        self.stack_id = stack_id
        self.calls: list[str] = []

    def describe_stacks(self, *, StackName: str) -> dict[str, Any]:
        self.calls.append(StackName)
        assert StackName == self.stack_id, f"the provider asked about another stack: {StackName}"
        return {"Stacks": [{"StackId": self.stack_id, "StackStatus": self.status}]}

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the provider called cloudformation.{name}, which it must not")
