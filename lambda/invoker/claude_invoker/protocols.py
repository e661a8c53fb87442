"""What Lambda and botocore hand the function, as much of it as the function reads: typing Protocols.

Imported only under `TYPE_CHECKING` (defining them costs ~1 ms of cold start for nothing at run time).

- `LambdaContext`: the attributes of the Lambda Python runtime's context object the function reads (Lambda
  developer guide, "Using the Lambda context object to retrieve Python function information").
- `BedrockRuntime` and `S3`: the operations the function calls on its botocore clients, which botocore builds at
  run time from its service models (so they have no static types of their own).
"""

from __future__ import annotations

from typing import Any, Protocol


class CognitoIdentity(Protocol):
    @property
    def cognito_identity_id(self) -> str | None: ...


class MobileClient(Protocol):
    @property
    def app_title(self) -> str | None: ...


class ClientContext(Protocol):
    @property
    def client(self) -> MobileClient | None: ...


class LambdaContext(Protocol):
    @property
    def aws_request_id(self) -> str: ...

    @property
    def invoked_function_arn(self) -> str: ...  # qualified by the alias or version the caller invoked

    @property
    def identity(self) -> CognitoIdentity | None: ...

    @property
    def client_context(self) -> ClientContext | None: ...  # None unless the caller sent a ClientContext

    def get_remaining_time_in_millis(self) -> int: ...


class BedrockRuntime(Protocol):
    """The bedrock-runtime client's operations the function calls; each returns botocore's parsed response."""

    def invoke_model(
        self,
        *,
        modelId: str,
        body: bytes,
        contentType: str = ...,
        accept: str = ...,
        requestMetadata: str = ...,
        serviceTier: str = ...,
        performanceConfigLatency: str = ...,
        guardrailIdentifier: str = ...,
        guardrailVersion: str = ...,
    ) -> dict[str, Any]: ...

    def count_tokens(self, *, modelId: str, input: dict[str, Any]) -> dict[str, Any]: ...


class S3(Protocol):
    """The S3 client's one operation the function calls: storing an answer too large for the results queue."""

    def put_object(self, *, Bucket: str, Key: str, Body: bytes, ContentType: str) -> dict[str, Any]: ...
