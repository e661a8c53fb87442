"""The configuration provider's test world: its code root, the stack and resources it serves, CloudFormation as
the provider sees it, Bedrock's data retention API, and an HTTP server on 127.0.0.1 that records the responses.

`lambda/logging_configuration` is a code root (its `index.py` is inlined into the template), not a package.

- `CloudFormation`: DescribeStacks and DescribeStackResource of the one stack the provider serves, every answer
  checked against botocore's cloudformation service model; any other call or stack fails the test.
- `RetentionApi`: moto implements none of Bedrock's data retention operations, so this stand-in keeps the account's
  mode and storage records and answers through a botocore `Stubber` on a real client: each request is validated
  against the bedrock service model (names, types, required members) before it is recorded.
- `response_server`: the responses CloudFormation would read, an empty record per test (`ResponseServer.fresh`).
  The provider answers only HTTPS URLs of CloudFormation's response bucket, so `Responses.opener` carries each such
  request to the local server, keeping its path, query, method, headers and body, and records the URL it was sent to.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import botocore.session
from botocore.exceptions import ParamValidationError
from botocore.stub import Stubber
from botocore.validate import ParamValidator

from core.invocation_logging.configuration import logging_config
from tests.support.fake_account import ACCOUNT, REGION

CODE_ROOT = Path(__file__).resolve().parents[2] / "lambda" / "logging_configuration"
STACK_ID = f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/ClaudeInvocationLogging-{REGION}/51af3dc0-da77-11e4"
LOGICAL_ID = "ClaudeInvocationLoggingInvocationLoggingConfiguration1ACAB681"
RETENTION_LOGICAL_ID = "ClaudeInvocationLoggingDataRetentionModeA1B2C3D4"
STORAGE_LOGICAL_ID = "ClaudeInvocationLoggingDataRetentionStorageE5F6A7B8"
BUCKET = "claudeinvocationlogging-invocationlogbucket-1a2b3c"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/ClaudeInvocationLogging-LoggingDeliveryRole-ABC"
RETENTION_BUCKET_ARN = "arn:aws:s3:::claudeinvocationlogging-dataretentionbucket-4d5e6f"
RETENTION_KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def response_url(stack_id: str = STACK_ID, logical_id: str = LOGICAL_ID, region: str = REGION) -> str:
    """A pre-signed URL as CloudFormation sends it: its response bucket of the Region, the key
    `<StackId>|<LogicalResourceId>|<RequestId>`, SigV4 query parameters."""
    key = urllib.parse.quote(f"{stack_id}|{logical_id}|f6b3c1a8-0d1e-4b5f-9a3e-2c7d8e9f0a1b", safe="")
    bucket = f"cloudformation-custom-resource-response-{region.replace('-', '')}"
    return (
        f"https://{bucket}.s3.{region}.amazonaws.com/{key}?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Date=20261207T103000Z&X-Amz-Expires=7200&X-Amz-SignedHeaders=host&X-Amz-Signature=abc123"
    )


def configuration(bucket: str = BUCKET, text: bool = True, image: bool = True) -> dict[str, Any]:
    """A configuration as the stack writes it into the provider's environment (core.invocation_logging)."""
    kinds = tuple(kind for kind, on in (("text", text), ("image", image)) if on)
    return logging_config(
        bucket_name=bucket,
        log_group_name="/aws/bedrock/model-invocations/ClaudeInvocationLogging-us-east-1/51af3dc0",
        role_arn=ROLE_ARN,
        log_data=kinds,
    )


def customer_storage() -> dict[str, Any]:
    """The PutAccountDataRetentionStorage arguments the stack writes for customer-managed storage."""
    return {
        "modelProvider": "anthropic",
        "storageDestination": "customer_managed",
        "storageConfiguration": {
            "s3BucketArn": RETENTION_BUCKET_ARN,
            "kmsKeyArn": RETENTION_KEY_ARN,
            "s3BucketOwner": ACCOUNT,
        },
    }


@dataclass
class Responses:
    """What CloudFormation would receive at its pre-signed URLs."""

    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    sent_to: list[str] = field(default_factory=list)

    def opener(self, request: urllib.request.Request, timeout: float) -> Any:
        """Send `request` to the local server instead of S3, as S3 would receive it; record where it was sent."""
        self.sent_to.append(request.full_url)
        parts = urllib.parse.urlsplit(request.full_url)
        local = urllib.request.Request(
            f"{self.url}{parts.path}?{parts.query}",
            data=request.data,
            method=request.get_method(),
            headers=dict(request.header_items()),
        )
        return urllib.request.urlopen(local, timeout=timeout)


class ResponseServer:
    """An HTTP server on 127.0.0.1 that records every PUT (the response object) in `current` and answers 200. One
    server can serve many tests: `fresh()` gives each its own, empty record (its PUTs are made and answered before
    the test ends, so none can reach the next test's)."""

    def __init__(self) -> None:
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PUT(self) -> None:
                length = int(self.headers["Content-Length"])
                server.current.received.append(json.loads(self.rfile.read(length)))
                server.current.headers.append({k.lower(): v for k, v in self.headers.items()})
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self.http = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_port}"
        self.current = Responses(url=self.url)
        # A short poll interval: shutting the server down waits for the poll in progress.
        threading.Thread(target=self.http.serve_forever, args=(0.05,), daemon=True).start()

    def fresh(self) -> Responses:
        self.current = Responses(url=self.url)
        return self.current

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@contextmanager
def response_server() -> Iterator[ResponseServer]:
    """A `ResponseServer`, shut down afterwards."""
    server = ResponseServer()
    try:
        yield server
    finally:
        server.close()


_SESSION = botocore.session.Session()
_CLOUDFORMATION = _SESSION.get_service_model("cloudformation")
# What DescribeStackResource shows of the resource CloudFormation works on, by the stack's status.
_OPERATED = {
    "CREATE_IN_PROGRESS": "CREATE_IN_PROGRESS",
    "UPDATE_IN_PROGRESS": "UPDATE_IN_PROGRESS",
    "UPDATE_ROLLBACK_IN_PROGRESS": "UPDATE_IN_PROGRESS",
    "DELETE_IN_PROGRESS": "DELETE_IN_PROGRESS",
    "ROLLBACK_IN_PROGRESS": "DELETE_IN_PROGRESS",
}


def _checked(operation: str, answer: dict[str, Any]) -> dict[str, Any]:
    report = ParamValidator().validate(answer, _CLOUDFORMATION.operation_model(operation).output_shape)
    if report.has_errors():
        raise ParamValidationError(report=report.generate_report())
    return answer


class CloudFormation:
    """The provider's stack as CloudFormation describes it: `status` of the stack and `resource_status` of the
    resource asked about (by default: the status CloudFormation shows for the resource it operates on during
    `status`, or UPDATE_COMPLETE when the stack is idle). Any other call or stack fails the test."""

    def __init__(
        self,
        status: str,
        stack_id: str = STACK_ID,
        *,
        resource_status: str | None = None,
        physical_id: str | None = None,
    ) -> None:
        self.status = status
        self.stack_id = stack_id
        self.resource_status = resource_status or _OPERATED.get(status, "UPDATE_COMPLETE")
        self.physical_id = physical_id
        self.calls: list[str] = []

    def describe_stacks(self, *, StackName: str) -> dict[str, Any]:
        self.calls.append(StackName)
        assert StackName == self.stack_id, f"the provider asked about another stack: {StackName}"
        name = self.stack_id.split("/")[1]
        created = datetime(2026, 12, 1, tzinfo=UTC)
        stack = {"StackId": self.stack_id, "StackName": name, "CreationTime": created, "StackStatus": self.status}
        return _checked("DescribeStacks", {"Stacks": [stack]})

    def describe_stack_resource(self, *, StackName: str, LogicalResourceId: str) -> dict[str, Any]:
        self.calls.append(f"{StackName}|{LogicalResourceId}")
        assert StackName == self.stack_id, f"the provider asked about another stack: {StackName}"
        detail: dict[str, Any] = {
            "StackName": self.stack_id.split("/")[1],
            "StackId": self.stack_id,
            "LogicalResourceId": LogicalResourceId,
            "ResourceType": "AWS::CloudFormation::CustomResource",
            "LastUpdatedTimestamp": datetime(2026, 12, 7, 10, 30, tzinfo=UTC),
            "ResourceStatus": self.resource_status,
        }
        if self.physical_id is not None:
            detail["PhysicalResourceId"] = self.physical_id
        return _checked("DescribeStackResource", {"StackResourceDetail": detail})

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the provider called cloudformation.{name}, which it must not")


@functools.cache
def _bedrock_client(region: str) -> Any:
    """One botocore client per Region for every test (loading the bedrock service model is the slow part)."""
    session = botocore.session.Session()
    session.set_credentials("testing", "testing")
    return session.create_client("bedrock", region_name=region)


class RetentionApi:
    """The account's data retention mode and storage records of one Region, behind botocore's validation."""

    def __init__(self, region: str = REGION) -> None:
        self.client = _bedrock_client(region)
        self.mode: str | None = None
        self.storage: dict[str, dict[str, Any]] = {}
        self.calls: list[str] = []

    def _answer(self, method: str, params: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        stubber = Stubber(self.client)
        stubber.add_response(method, response, params)
        with stubber:
            answer: dict[str, Any] = getattr(self.client, method)(**params)
        self.calls.append(method)
        return answer

    def put_account_data_retention(self, **params: Any) -> dict[str, Any]:
        answer = self._answer("put_account_data_retention", params, {"mode": params.get("mode", "")})
        self.mode = params["mode"]
        return answer

    def put_account_data_retention_storage(self, **params: Any) -> dict[str, Any]:
        record = {"scope": "account", **params, "updatedAt": datetime(2026, 12, 7, tzinfo=UTC)}
        answer = self._answer("put_account_data_retention_storage", params, record)
        self.storage[params["modelProvider"]] = {k: v for k, v in params.items() if k != "modelProvider"}
        return answer


class Bedrock:
    """One Bedrock client as the provider holds it: moto's for the logging configuration, `RetentionApi` for data
    retention."""

    def __init__(self, logging: Any, retention: RetentionApi | None = None) -> None:
        self.logging = logging
        self.retention = retention or RetentionApi()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.retention if "data_retention" in name else self.logging, name)
