"""Bedrock error codes -> Anthropic error types, through a real client with botocore's Stubber."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectTimeoutError, NoCredentialsError, ReadTimeoutError
from botocore.stub import Stubber
from claude_invoker import errors
from claude_invoker.bedrock import ClientPool, botocore_session
from claude_invoker.config import Settings
from claude_invoker.service import CallContext, process

from tests.support import anthropic_sdk as sdk
from tests.support.invoker import SONNET_PROFILE, valid_event


@pytest.mark.parametrize(
    ("code", "status", "expected", "error_code"),
    [
        ("ValidationException", 400, "invalid_request_error", None),
        ("AccessDeniedException", 403, "permission_error", None),
        ("ResourceNotFoundException", 404, "not_found_error", None),
        ("ThrottlingException", 429, "rate_limit_error", None),
        # The account's quota: no prompt retry outlasts it and the request cannot change it.
        ("ServiceQuotaExceededException", 400, "api_error", "service_quota_exceeded"),
        ("ModelNotReadyException", 429, "overloaded_error", None),
        ("ServiceUnavailableException", 503, "overloaded_error", None),
        ("InternalServerException", 500, "api_error", None),
        ("ModelErrorException", 424, "api_error", None),
        ("ModelTimeoutException", 408, "timeout_error", None),
        ("ExpiredTokenException", 400, "api_error", "deployment_credentials"),
        ("SomethingNewException", 500, "api_error", None),
        ("SomethingNewException", 429, "rate_limit_error", None),
        ("SomethingNewException", 529, "overloaded_error", None),
    ],
)
def test_client_error_codes_map_to_anthropic_types(
    code: str,
    status: int,
    expected: str,
    error_code: str | None,
    stubbed: tuple[Stubber, ClientPool],
    settings: Settings,
) -> None:
    stubber, pool = stubbed
    stubber.add_client_error("invoke_model", service_error_code=code, service_message="nope", http_status_code=status)
    outcome = process(valid_event(), settings, pool, CallContext())
    error = {"type": expected, "message": outcome.response["error"]["message"]}
    if error_code:
        error["details"] = {"error_code": error_code}
    assert outcome.response == {"type": "error", "error": error}
    assert (outcome.error_type, outcome.error_code) == (expected, error_code)
    assert "nope" in outcome.response["error"]["message"]  # Bedrock's text is kept
    sdk.ErrorResponse.model_validate(outcome.response)
    # The anthropic SDK reads the stable code where Anthropic puts it.
    assert sdk.extract_error_code(outcome.response) == error_code


@pytest.mark.parametrize(
    "text",
    [
        "The provided model identifier is invalid.",
        "Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn\u2019t "
        "supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
        "Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn't supported.",
        "Your AWS account is not authorized to invoke this API operation.",
    ],
)
def test_a_validation_exception_caused_by_the_deployment_does_not_blame_the_caller(
    text: str, stubbed: tuple[Stubber, ClientPool], settings: Settings
) -> None:
    stubber, pool = stubbed
    stubber.add_client_error("invoke_model", "ValidationException", text, http_status_code=400)
    response = process(valid_event(), settings, pool, CallContext()).response
    assert response["error"]["type"] == "api_error"
    assert response["error"]["details"] == {"error_code": "deployment_configuration"}
    assert text in response["error"]["message"]
    assert "Neither retrying nor changing the request can help" in response["error"]["message"]


def test_a_validation_exception_about_the_request_stays_the_callers(
    stubbed: tuple[Stubber, ClientPool], settings: Settings
) -> None:
    stubber, pool = stubbed
    text = "messages.0.content.0.type: Field required"
    stubber.add_client_error("invoke_model", "ValidationException", text, http_status_code=400)
    response = process(valid_event(), settings, pool, CallContext()).response
    assert response["error"] == {
        "type": "invalid_request_error",
        "message": f"Bedrock ValidationException from '{SONNET_PROFILE}': {text}",
    }


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


@functools.cache
def _invoke_model_operation() -> Any:
    """InvokeModel as a bedrock-runtime client models it, read once for every code, from the session the function's
    own clients share (one client, not one per code)."""
    client = botocore_session().create_client("bedrock-runtime", region_name="us-east-1")
    return client.meta.service_model.operation_model("InvokeModel")


@pytest.mark.parametrize("code", errors.BEDROCK_ERRORS)
def test_the_retried_column_is_what_botocore_standard_mode_does(code: str) -> None:
    """The documented "Retried" of each code, held against botocore's own retry conditions for InvokeModel."""
    from botocore.awsrequest import AWSResponse
    from botocore.retries import standard

    context = standard.RetryContext(
        attempt_number=1,
        operation_model=_invoke_model_operation(),
        parsed_response={"Error": {"Code": code}},
        http_response=AWSResponse("https://bedrock-runtime", errors.BEDROCK_ERRORS[code].status, {}, None),
    )
    assert standard.StandardRetryConditions().is_retryable(context) is errors.BEDROCK_ERRORS[code].retried


def test_status_fallback_uses_http_status(settings: Settings) -> None:
    exc = ClientError(
        {"Error": {"Code": "", "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": 404}}, "InvokeModel"
    )
    assert errors.from_client_error(exc, settings.default_model).error_type == "not_found_error"
