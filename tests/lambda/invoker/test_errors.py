"""Bedrock error codes -> Anthropic error types, through a real client with botocore's Stubber."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectTimeoutError, NoCredentialsError, ReadTimeoutError
from botocore.stub import Stubber
from claude_invoker import errors
from claude_invoker.bedrock import ClientPool
from claude_invoker.config import Settings
from claude_invoker.service import CallContext, process

from tests.support.invoker import SONNET_PROFILE, valid_event


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


@pytest.mark.parametrize("code", errors.BEDROCK_ERRORS)
def test_the_retried_column_is_what_botocore_standard_mode_does(code: str) -> None:
    """The documented "Retried" of each code, held against botocore's own retry conditions for InvokeModel."""
    from botocore.awsrequest import AWSResponse
    from botocore.retries import standard
    from botocore.session import get_session

    client = get_session().create_client("bedrock-runtime", region_name="us-east-1")
    context = standard.RetryContext(
        attempt_number=1,
        operation_model=client.meta.service_model.operation_model("InvokeModel"),
        parsed_response={"Error": {"Code": code}},
        http_response=AWSResponse("https://bedrock-runtime", errors.BEDROCK_ERRORS[code].status, {}, None),
    )
    assert standard.StandardRetryConditions().is_retryable(context) is errors.BEDROCK_ERRORS[code].retried


def test_status_fallback_uses_http_status(settings: Settings) -> None:
    exc = ClientError(
        {"Error": {"Code": "", "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": 404}}, "InvokeModel"
    )
    assert errors.from_client_error(exc, settings.default_model).error_type == "not_found_error"
