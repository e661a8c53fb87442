"""Bedrock error codes -> Anthropic error types, through a real client with botocore's Stubber."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, ConnectTimeoutError, NoCredentialsError, ReadTimeoutError
from botocore.response import StreamingBody
from botocore.stub import ANY, Stubber
from claude_invoker import errors
from claude_invoker.bedrock import ClientPool
from claude_invoker.config import Settings
from claude_invoker.service import CallContext, process
from invoker_testing import SONNET_PROFILE, SUCCESS_BODY, valid_event


@pytest.fixture
def stubbed(settings: Settings) -> Iterator[tuple[Stubber, ClientPool]]:
    client = boto3.client("bedrock-runtime", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield stubber, ClientPool(settings, factory=lambda _read_timeout: client)
        stubber.assert_no_pending_responses()


@pytest.mark.parametrize(
    ("code", "status", "expected"),
    [
        ("ValidationException", 400, "invalid_request_error"),
        ("AccessDeniedException", 403, "permission_error"),
        ("ResourceNotFoundException", 404, "not_found_error"),
        ("ThrottlingException", 429, "rate_limit_error"),
        ("ServiceQuotaExceededException", 400, "rate_limit_error"),
        ("ModelNotReadyException", 429, "overloaded_error"),
        ("ServiceUnavailableException", 503, "overloaded_error"),
        ("InternalServerException", 500, "api_error"),
        ("ModelErrorException", 424, "api_error"),
        ("ModelTimeoutException", 408, "timeout_error"),
        ("SomethingNewException", 500, "api_error"),
        ("SomethingNewException", 429, "rate_limit_error"),
        ("SomethingNewException", 529, "overloaded_error"),
    ],
)
def test_client_error_codes_map_to_anthropic_types(
    code: str, status: int, expected: str, stubbed: tuple[Stubber, ClientPool], settings: Settings
) -> None:
    stubber, pool = stubbed
    stubber.add_client_error("invoke_model", service_error_code=code, service_message="nope", http_status_code=status)
    outcome = process(valid_event(), settings, pool, CallContext())
    assert outcome.response == {
        "type": "error",
        "error": {"type": expected, "message": outcome.response["error"]["message"]},
    }
    assert outcome.error_type == expected
    assert "nope" in outcome.response["error"]["message"]


def test_access_denied_names_profile_and_model(stubbed: tuple[Stubber, ClientPool], settings: Settings) -> None:
    stubber, pool = stubbed
    stubber.add_client_error("invoke_model", "AccessDeniedException", "not authorized", http_status_code=403)
    message = process(valid_event(), settings, pool, CallContext()).response["error"]["message"]
    assert SONNET_PROFILE in message
    assert "Claude Sonnet 4.5" in message


def test_success_returns_body_exactly_and_sends_profile(
    stubbed: tuple[Stubber, ClientPool], settings: Settings
) -> None:
    stubber, pool = stubbed
    data = json.dumps(SUCCESS_BODY).encode()
    stubber.add_response(
        "invoke_model",
        {"body": StreamingBody(io.BytesIO(data), len(data)), "contentType": "application/json"},
        expected_params={
            "modelId": SONNET_PROFILE,
            "body": ANY,
            "contentType": "application/json",
            "accept": "application/json",
            "requestMetadata": ANY,
        },
    )
    outcome = process(valid_event(), settings, pool, CallContext())
    assert outcome.ok
    assert outcome.response == SUCCESS_BODY
    assert outcome.usage == {"input_tokens": 12, "output_tokens": 3}


def test_non_json_response_is_api_error(stubbed: tuple[Stubber, ClientPool], settings: Settings) -> None:
    stubber, pool = stubbed
    stubber.add_response("invoke_model", {"body": StreamingBody(io.BytesIO(b"[1]"), 3), "contentType": "x"})
    outcome = process(valid_event(), settings, pool, CallContext())
    assert outcome.error_type == "api_error"


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (ReadTimeoutError(endpoint_url="http://x"), "timeout_error"),
        (ConnectTimeoutError(endpoint_url="http://x"), "api_error"),
        (NoCredentialsError(), "api_error"),
    ],
)
def test_client_side_failures(exc: Exception, expected: str, settings: Settings) -> None:
    class Failing:
        def invoke_model(self, **kwargs: Any) -> Any:
            raise exc

    outcome = process(valid_event(), settings, ClientPool(settings, factory=lambda _r: Failing()), CallContext())
    assert outcome.error_type == expected


def test_unexpected_exception_is_api_error_not_raised(settings: Settings) -> None:
    class Broken:
        def invoke_model(self, **kwargs: Any) -> Any:
            raise RuntimeError("bug")

    outcome = process(valid_event(), settings, ClientPool(settings, factory=lambda _r: Broken()), CallContext())
    assert outcome.response["error"]["type"] == "api_error"


def test_error_table_in_docstring_covers_every_mapped_code() -> None:
    doc = errors.__doc__ or ""
    assert "| Cause |" in doc
    for code, error_type in errors.BEDROCK_CODES.items():
        row = next(line for line in doc.splitlines() if f"`{code}`" in line)
        assert f"`{error_type}`" in row, code


def test_status_fallback_uses_http_status(settings: Settings) -> None:
    exc = ClientError(
        {"Error": {"Code": "", "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": 404}}, "InvokeModel"
    )
    assert errors.from_client_error(exc, settings.default_model).error_type == "not_found_error"
