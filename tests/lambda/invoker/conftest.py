"""Fixtures for the invoker function's tests: environment, a fresh handler import, a Bedrock Runtime stand-in.

`lambda/invoker` is a code root, not a package: it goes on sys.path here. The environment is set before the handler
module is imported (it reads its configuration at import), with fake credentials and X-Ray off. Every test runs with
the Lambda Python runtime's own JSON logging on the root logger (tests/support/lambda_runtime.py), so the log lines
the tests read are those Lambda would write.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from tests.support.bedrock_runtime import BedrockStandIn
from tests.support.invoker import BASE_ENV, CODE_ROOT, REQUEST_ID, RESULTS_BUCKET
from tests.support.lambda_runtime import lambda_json_logging

if str(CODE_ROOT) not in sys.path:
    sys.path.insert(0, str(CODE_ROOT))

from claude_invoker.bedrock import ClientPool, botocore_session
from claude_invoker.config import Settings, load_settings


@pytest.fixture(scope="session")
def no_aws_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty directory: where the AWS configuration and credentials files would be (one for every test: nothing
    writes there, and a directory per test costs more than most of these tests)."""
    return tmp_path_factory.mktemp("no-aws-files")


@pytest.fixture(autouse=True)
def lambda_env(monkeypatch: pytest.MonkeyPatch, no_aws_files: Path) -> dict[str, str]:
    """The function's environment, isolated from the developer's AWS configuration."""
    for name in (
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
        "AWS_ENDPOINT_URL_S3",
        "INVOKER_LOG_PROMPTS",
        "AWS_LAMBDA_LOG_LEVEL",
        "_X_AMZN_TRACE_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(no_aws_files / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(no_aws_files / "aws-credentials"))
    for name, value in BASE_ENV.items():
        monkeypatch.setenv(name, value)
    return dict(BASE_ENV)


@pytest.fixture(autouse=True)
def lambda_logging() -> Iterator[None]:
    """The runtime's JSON logging at INFO (the function's ApplicationLogLevel), with the fake context's request ID."""
    with lambda_json_logging(REQUEST_ID):
        yield


@pytest.fixture
def settings(lambda_env: dict[str, str]) -> Settings:
    return load_settings(os.environ)


@pytest.fixture
def stubbed(settings: Settings) -> Iterator[tuple[Stubber, ClientPool]]:
    """A real bedrock-runtime client answered by botocore's Stubber (which checks every parameter against the
    service model), in a pool that always hands it out; a response the test queued but nobody asked for fails it."""
    client = boto3.client("bedrock-runtime", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield stubber, ClientPool(settings, factory=lambda _read_timeout: client)
        stubber.assert_no_pending_responses()


@pytest.fixture
def load_handler(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., ModuleType]]:
    """Import `handler` afresh after the test has set its environment; returns the module."""

    def load(**env: str) -> ModuleType:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        sys.modules.pop("handler", None)
        return importlib.import_module("handler")

    yield load
    sys.modules.pop("handler", None)


@pytest.fixture(scope="module")
def bedrock_server() -> Iterator[BedrockStandIn]:
    """One stand-in server for a module's tests (stopping a server waits out its poll interval); `bedrock` hands it
    to each test reset."""
    stand_in = BedrockStandIn()
    stand_in.thread.start()
    yield stand_in
    stand_in.close()


@pytest.fixture
def bedrock(bedrock_server: BedrockStandIn, monkeypatch: pytest.MonkeyPatch) -> Iterator[BedrockStandIn]:
    """The stand-in as new (nothing recorded, nothing queued), reached through the standard
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME variable.

    A request it could not take (not InvokeModel, a body that is not a strict JSON object) fails the test here,
    even when the function turned the stand-in's refusal into an error value the test would have accepted.
    """
    bedrock_server.reset()
    monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", bedrock_server.url)
    yield bedrock_server
    bedrock_server.release()
    assert bedrock_server.problems == [], "the Bedrock Runtime stand-in refused requests"


@pytest.fixture
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's standard-mode backoff (up to 1 s, 2 s... for throttling) shortened to 10 ms.

    Only the sleep is shortened; which errors are retried and how many attempts are made stay botocore's.
    """
    from botocore.retries import standard

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0.01)


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    """moto's server on 127.0.0.1 for a module's tests; its URL. `results_bucket` empties it for each test."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@functools.cache
def _s3_reader(url: str) -> Any:
    """The tests' own S3 client of the server at `url`, made once (under the first test's environment) from the
    session the function's clients share: one client for the module, not one per test."""
    return botocore_session().create_client("s3", region_name="us-east-1", endpoint_url=url)


@pytest.fixture
def results_bucket(s3_server: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """An S3 endpoint (moto's server, AWS_ENDPOINT_URL_S3) holding the empty results bucket and nothing else; an S3
    client to read what the function stored."""
    # moto's state is per process, not per server: start every test from an empty account.
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    direct.open(urllib.request.Request(f"{s3_server}/moto-api/reset", method="POST"), timeout=10).close()
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", s3_server)
    client = _s3_reader(s3_server)
    client.create_bucket(Bucket=RESULTS_BUCKET)
    return client
