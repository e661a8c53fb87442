"""Errors the invoker returns, and how Bedrock and botocore failures map to Anthropic's error types.

The function never raises for a caller mistake or a Bedrock failure; it returns Anthropic's error response,
`{"type": "error", "error": {"type": <type>, "message": <text>}, "request_id": <Bedrock's x-amzn-RequestId>}`,
with `request_id` present whenever the error reached Bedrock and Bedrock answered (absent for refusals made before
any call and for connection failures or read timeouts, where no answer carries an ID).
Bedrock errors are mapped after botocore's own retries (mode "standard", `BEDROCK_MAX_ATTEMPTS` attempts in all).

The mapping is the data below (`BEDROCK_ERRORS`, `OTHER_FAILURES`); docs/callers/invoking.md shows it as a table
generated from it (`make docs`).

Error codes not in the table fall back on the HTTP status: 400 `invalid_request_error`, 403 `permission_error`,
404 `not_found_error`, 408/504 `timeout_error`, 429 `rate_limit_error`, 503/529 `overloaded_error`, otherwise
`api_error`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)

from claude_invoker.config import ModelEntry

INVALID_REQUEST = "invalid_request_error"
PERMISSION = "permission_error"
NOT_FOUND = "not_found_error"
RATE_LIMIT = "rate_limit_error"
OVERLOADED = "overloaded_error"
API = "api_error"
TIMEOUT = "timeout_error"

ERROR_TYPES = (INVALID_REQUEST, PERMISSION, NOT_FOUND, RATE_LIMIT, OVERLOADED, API, TIMEOUT)


class BedrockError(NamedTuple):
    """How one Bedrock error code reaches the caller."""

    status: int
    retried: bool  # by botocore's "standard" retry mode, before the function maps it
    error_type: str


# The function's own AWS credentials or signature were refused: nothing the caller can change. Codes and statuses
# from the AWS "Common errors" pages and the Bedrock user guide's API error codes; they are not modelled in the
# bedrock-runtime service model, so botocore raises a plain ClientError carrying the code.
CREDENTIAL_ERRORS: dict[str, BedrockError] = {
    "UnrecognizedClientException": BedrockError(403, False, API),
    "InvalidClientTokenId": BedrockError(403, False, API),
    "ExpiredTokenException": BedrockError(400, False, API),
    "InvalidSignatureException": BedrockError(403, False, API),
    "IncompleteSignature": BedrockError(400, False, API),
    "MissingAuthenticationTokenException": BedrockError(403, False, API),
    "RequestExpired": BedrockError(400, False, API),
}

BEDROCK_ERRORS: dict[str, BedrockError] = {
    "ValidationException": BedrockError(400, False, INVALID_REQUEST),
    "AccessDeniedException": BedrockError(403, False, PERMISSION),
    "ResourceNotFoundException": BedrockError(404, False, NOT_FOUND),
    "ThrottlingException": BedrockError(429, True, RATE_LIMIT),
    "ServiceQuotaExceededException": BedrockError(400, False, RATE_LIMIT),
    "ModelNotReadyException": BedrockError(429, True, OVERLOADED),
    "ServiceUnavailableException": BedrockError(503, True, OVERLOADED),
    "InternalServerException": BedrockError(500, True, API),
    "ModelErrorException": BedrockError(424, False, API),
    "ModelTimeoutException": BedrockError(408, False, TIMEOUT),
    **CREDENTIAL_ERRORS,
}
BEDROCK_CODES: dict[str, str] = {code: error.error_type for code, error in BEDROCK_ERRORS.items()}

# Failures that carry no Bedrock error code: (cause, retried, error type).
OTHER_FAILURES: tuple[tuple[str, str, str], ...] = (
    ("Malformed event (the message names the field), unknown model, wrong beta flag", "no", INVALID_REQUEST),
    (
        "What the catalog knows the model refuses: a thinking mode, `temperature` with `top_p`, `budget_tokens` "
        "out of bounds, `max_tokens` above the model's output limit, a token count the model does not serve",
        "no",
        INVALID_REQUEST,
    ),
    ("`max_tokens` that cannot finish within this deployment's time (the SDK's estimate)", "no", INVALID_REQUEST),
    ("Read timeout talking to Bedrock", "yes", TIMEOUT),
    ("Too little of the Lambda invocation's time left to make (another) attempt", "-", TIMEOUT),
    ("Asynchronous answer too large for the queue that could not be stored in the results bucket", "-", API),
    ("Connection failure, unparseable response, any other error code", "depends", API),
)


_BY_STATUS: dict[int, str] = {
    400: INVALID_REQUEST,
    403: PERMISSION,
    404: NOT_FOUND,
    408: TIMEOUT,
    429: RATE_LIMIT,
    503: OVERLOADED,
    504: TIMEOUT,
    529: OVERLOADED,
}


class InvokerError(Exception):
    """An error to return to the caller as an Anthropic error body."""

    def __init__(
        self, error_type: str, message: str, bedrock_code: str | None = None, request_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.bedrock_code = bedrock_code
        self.request_id = request_id

    def to_response(self) -> dict[str, Any]:
        return error_response(self.error_type, self.message, self.request_id)


def error_response(error_type: str, message: str, request_id: str | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"type": "error", "error": {"type": error_type, "message": message}}
    if request_id:
        response["request_id"] = request_id
    return response


def invalid(message: str) -> InvokerError:
    return InvokerError(INVALID_REQUEST, message)


# How much of a caller's value a refusal quotes.
ECHO_LIMIT = 200


def echo(value: str, limit: int = ECHO_LIMIT) -> str:
    """A caller's text as a refusal quotes it: cut at `limit` characters, lone UTF-16 surrogates written as `\\udXXX`.

    A JSON event may carry a lone surrogate (`"\\ud800"`, half of an emoji cut by JavaScript); echoed as it is, the
    answer could not be encoded as UTF-8 and the caller would get a function error instead of the refusal.
    """
    text = value if len(value) <= limit else f"{value[:limit]}..."
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def deadline_exceeded(detail: str) -> InvokerError:
    return InvokerError(TIMEOUT, f"the invoker function ran out of time: {detail}")


def request_id_of(response: Any) -> str | None:
    """Bedrock's x-amzn-RequestId, as botocore parsed it into ResponseMetadata."""
    metadata = response.get("ResponseMetadata") if isinstance(response, dict) else None
    value = metadata.get("RequestId") if isinstance(metadata, dict) else None
    return value if isinstance(value, str) and value else None


def from_client_error(exc: ClientError, model: ModelEntry, target: str | None = None) -> InvokerError:
    """Map a Bedrock error response (after retries) to an Anthropic error type; `target` is the model ID called."""
    target = target or model.profile_id
    error = exc.response.get("Error", {})
    code = str(error.get("Code") or "")
    bedrock_message = str(error.get("Message") or "") or "no message"
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    request_id = request_id_of(exc.response)
    error_type = BEDROCK_CODES.get(code) or _BY_STATUS.get(status if isinstance(status, int) else 0, API)
    if code in CREDENTIAL_ERRORS:
        message = (
            f"Bedrock refused the invoker function's own AWS credentials ({code}: {bedrock_message}). The request "
            "is not at fault: the operators of the invoker must check the function's execution role and "
            "credentials, its clock and any endpoint override (AWS_ENDPOINT_URL_BEDROCK_RUNTIME)"
        )
    elif error_type == PERMISSION:
        message = (
            f"Bedrock denied access to '{target}' ({model.name}, {model.model_id}); the function's role needs "
            f"bedrock:{exc.operation_name} on it (for a profile: on the profile and its foundation models), and the "
            f"model must be enabled in the account: {bedrock_message}"
        )
    elif error_type == NOT_FOUND:
        message = f"Bedrock could not find '{target}' ({model.name}): {bedrock_message}"
    else:
        message = f"Bedrock {code or f'HTTP {status}'} from '{target}': {bedrock_message}"
    return InvokerError(error_type, message, code or None, request_id)


def from_botocore_error(exc: BotoCoreError, model: ModelEntry) -> InvokerError:
    """Map a client-side failure (no Bedrock error response) to an Anthropic error type."""
    if isinstance(exc, ReadTimeoutError):
        return InvokerError(TIMEOUT, f"Bedrock did not answer for '{model.profile_id}' within the read timeout")
    if isinstance(exc, ConnectTimeoutError | EndpointConnectionError | ConnectionClosedError):
        return InvokerError(API, f"could not reach Bedrock Runtime for '{model.profile_id}': {exc}")
    if isinstance(exc, NoCredentialsError):
        return InvokerError(API, "the invoker function has no AWS credentials")
    return InvokerError(API, f"calling Bedrock failed: {type(exc).__name__}: {exc}")
