"""The Lambda Python runtime's logging, set up as the runtime sets it up before it imports a handler.

awslambdaric (pinned in requirements-dev.txt) is AWS's open-source runtime interface client for Python, the
bootstrap of AWS's Python base images. At start its bootstrap puts one handler on the root logger: with
`AWS_LAMBDA_LOG_FORMAT=JSON`, its `JsonFormatter` (timestamp, level, message, logger, requestId, each `extra` key at
the top level), at the level `AWS_LAMBDA_LOG_LEVEL`, with a filter that stamps each record with the current
invocation's request ID; each formatted record is written to stdout when no telemetry pipe is given. Tests and the
per-call benchmark use that code itself, so the lines they read are rendered as Lambda renders them. Not confirmed:
that the managed python3.14 runtime carries this same version of it.

`bootstrap._setup_logging` and `_GLOBAL_AWS_REQUEST_ID` are private names of the pinned version (the runtime sets the
global from each invocation's `Lambda-Runtime-Aws-Request-Id`); a new version that moves them fails here, loudly.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from awslambdaric import bootstrap
from awslambdaric.lambda_runtime_log_utils import LogFormat


@contextlib.contextmanager
def lambda_json_logging(request_id: str, level: str = "INFO") -> Iterator[None]:
    """The runtime's JSON logging on the root logger (written to the current `sys.stdout`), with `request_id` as the
    invocation's; undone afterwards."""
    root = logging.getLogger()
    before_handlers, before_level = list(root.handlers), root.level
    converter = logging.Formatter.converter
    bootstrap._setup_logging(LogFormat.JSON, level, bootstrap.StandardLogSink())
    bootstrap._GLOBAL_AWS_REQUEST_ID = request_id
    try:
        yield
    finally:
        bootstrap._GLOBAL_AWS_REQUEST_ID = None
        for handler in root.handlers:
            if handler not in before_handlers:
                root.removeHandler(handler)
        root.setLevel(before_level)
        logging.Formatter.converter = converter  # type: ignore[method-assign]


def runtime_response_bytes(answer: object) -> bytes:
    """The bytes the Python 3.14 runtime posts for a handler's return value: its own marshaller (simplejson with
    `ensure_ascii=False` on the 3.12 and later runtimes, chosen by `AWS_EXECUTION_ENV`), encoded as UTF-8.

    Raises what the runtime would fail on (an answer it cannot encode becomes a function error)."""
    import os

    from awslambdaric.lambda_runtime_marshaller import LambdaMarshaller

    before = os.environ.get("AWS_EXECUTION_ENV")
    os.environ["AWS_EXECUTION_ENV"] = "AWS_Lambda_python3.14"
    try:
        text, _content_type = LambdaMarshaller().marshal_response(answer)
    finally:
        if before is None:
            del os.environ["AWS_EXECUTION_ENV"]
        else:
            os.environ["AWS_EXECUTION_ENV"] = before
    return str(text).encode("utf-8")
