"""Errors the invoker returns, and how Bedrock and botocore failures map to Anthropic's error types.

The function never raises for a caller mistake or a Bedrock failure; it returns Anthropic's error response,
`{"type": "error", "error": {"type": <type>, "message": <text>}, "request_id": <Bedrock's x-amzn-RequestId>}`,
with `request_id` present whenever the error reached Bedrock and Bedrock answered (absent for refusals made before
any call and for connection failures or read timeouts, where no answer carries an ID).
Bedrock errors are mapped after botocore's own retries (mode "standard", `BEDROCK_MAX_ATTEMPTS` attempts in all).

Errors that neither retrying nor changing the request can cure (the deployment's own credentials, configuration or
quota) are `api_error` with a stable `error.details.error_code` naming the cause: the field Anthropic uses for
such codes (its SDK reads `error.details.error_code`, anthropic `_exceptions.extract_error_code`), so a caller can
tell them from a transient `api_error` without reading the message.

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
AUTHENTICATION = "authentication_error"
PERMISSION = "permission_error"
NOT_FOUND = "not_found_error"
REQUEST_TOO_LARGE = "request_too_large"
RATE_LIMIT = "rate_limit_error"
OVERLOADED = "overloaded_error"
API = "api_error"
TIMEOUT = "timeout_error"

ERROR_TYPES = (INVALID_REQUEST, PERMISSION, NOT_FOUND, RATE_LIMIT, OVERLOADED, API, TIMEOUT)
# The HTTP status of each error type on the function URL: Anthropic's "Errors" page
# (https://docs.claude.com/en/api/errors: 400, 401, 403, 404, 413, 429, 500, 529), and for `timeout_error`, which
# that page does not list, the status of the anthropic SDK's GatewayTimeoutError (504, whose body type it is).
HTTP_STATUS: dict[str, int] = {
    INVALID_REQUEST: 400,
    AUTHENTICATION: 401,
    PERMISSION: 403,
    NOT_FOUND: 404,
    REQUEST_TOO_LARGE: 413,
    RATE_LIMIT: 429,
    API: 500,
    TIMEOUT: 504,
    OVERLOADED: 529,
}

# Stable codes (`error.details.error_code`) of the errors only the operators of the invoker can cure.
DEPLOYMENT_CREDENTIALS = "deployment_credentials"
DEPLOYMENT_CONFIGURATION = "deployment_configuration"
SERVICE_QUOTA_EXCEEDED = "service_quota_exceeded"
ERROR_CODES = (DEPLOYMENT_CREDENTIALS, DEPLOYMENT_CONFIGURATION, SERVICE_QUOTA_EXCEEDED)


class BedrockError(NamedTuple):
    """How one Bedrock error code reaches the caller."""

    status: int
    retried: bool  # by botocore's "standard" retry mode, before the function maps it
    error_type: str
    error_code: str | None = None  # `error.details.error_code`: a cause neither a retry nor the request can cure


# The function's own AWS credentials or signature were refused: nothing the caller can change. Codes and statuses
# from the AWS "Common errors" pages and the Bedrock user guide's API error codes; they are not modelled in the
# bedrock-runtime service model, so botocore raises a plain ClientError carrying the code.
CREDENTIAL_ERRORS: dict[str, BedrockError] = {
    "UnrecognizedClientException": BedrockError(403, False, API, DEPLOYMENT_CREDENTIALS),
    "InvalidClientTokenId": BedrockError(403, False, API, DEPLOYMENT_CREDENTIALS),
    "ExpiredTokenException": BedrockError(400, False, API, DEPLOYMENT_CREDENTIALS),
    "InvalidSignatureException": BedrockError(403, False, API, DEPLOYMENT_CREDENTIALS),
    "IncompleteSignature": BedrockError(400, False, API, DEPLOYMENT_CREDENTIALS),
    "MissingAuthenticationTokenException": BedrockError(403, False, API, DEPLOYMENT_CREDENTIALS),
    "RequestExpired": BedrockError(400, False, API, DEPLOYMENT_CREDENTIALS),
}
# A ValidationException is the caller's unless its text shows the deployment at fault: the function, not the caller,
# chooses the model identifier. Bedrock's texts, as AWS re:Post's "Resolve validation exceptions in Amazon Bedrock"
# (https://repost.aws/knowledge-center/bedrock-validation-exception-errors) quotes them: "The provided model
# identifier is invalid", "Your AWS account is not authorized to invoke this API operation"; and Bedrock's refusal
# of a model that is served only through an inference profile, "Invocation of model ID ... with on-demand
# throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this
# model." (the text public reports of the error quote). Matched case-insensitively on these fragments.
DEPLOYMENT_VALIDATION_TEXTS = (
    "model identifier is invalid",
    "not authorized to invoke this api operation",
    "on-demand throughput isn",
)

BEDROCK_ERRORS: dict[str, BedrockError] = {
    "ValidationException": BedrockError(400, False, INVALID_REQUEST),
    "AccessDeniedException": BedrockError(403, False, PERMISSION),
    "ResourceNotFoundException": BedrockError(404, False, NOT_FOUND),
    "ThrottlingException": BedrockError(429, True, RATE_LIMIT),
    # "Your request exceeds the service quota for your account ... You can resubmit your request later" (botocore
    # bedrock-runtime model): not a throttle a prompt retry outlasts, and nothing in the request to change.
    "ServiceQuotaExceededException": BedrockError(400, False, API, SERVICE_QUOTA_EXCEEDED),
    "ModelNotReadyException": BedrockError(429, True, OVERLOADED),
    "ServiceUnavailableException": BedrockError(503, True, OVERLOADED),
    "InternalServerException": BedrockError(500, True, API),
    "ModelErrorException": BedrockError(424, False, API),
    "ModelTimeoutException": BedrockError(408, False, TIMEOUT),
    **CREDENTIAL_ERRORS,
}
BEDROCK_CODES: dict[str, str] = {bedrock_code: error.error_type for bedrock_code, error in BEDROCK_ERRORS.items()}

# Failures the code alone does not decide: (cause, retried, error type, error code).
OTHER_FAILURES: tuple[tuple[str, str, str, str | None], ...] = (
    (
        "`ValidationException` whose text shows the deployment at fault: an invalid model identifier, a model "
        "served only through an inference profile, an account not authorized",
        "no",
        API,
        DEPLOYMENT_CONFIGURATION,
    ),
    ("Malformed event (the message names the field), unknown model, wrong beta flag", "no", INVALID_REQUEST, None),
    (
        "Text that is not valid Unicode (a lone UTF-16 surrogate), nesting deeper than 256 levels, "
        "`stream: true` (stream through `InvokerRole`)",
        "no",
        INVALID_REQUEST,
        None,
    ),
    (
        "What the catalog knows the model refuses: a thinking mode, `temperature` with `top_p`, `budget_tokens` "
        "out of bounds, `max_tokens` above the model's output limit, a token count the model does not serve",
        "no",
        INVALID_REQUEST,
        None,
    ),
    (
        "`max_tokens` that cannot finish within this deployment's time (the SDK's estimate)",
        "no",
        INVALID_REQUEST,
        None,
    ),
    ("Read timeout talking to Bedrock", "yes", TIMEOUT, None),
    ("Too little of the Lambda invocation's time left to make (another) attempt", "-", TIMEOUT, None),
    ("Asynchronous answer too large for the queue that could not be stored in the results bucket", "-", API, None),
    ("Connection failure, unparseable response, any other error code", "depends", API, None),
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
        self,
        error_type: str,
        message: str,
        bedrock_code: str | None = None,
        request_id: str | None = None,
        error_code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.bedrock_code = bedrock_code
        self.request_id = request_id
        self.error_code = error_code

    def to_response(self) -> dict[str, Any]:
        return error_response(self.error_type, self.message, self.request_id, self.error_code)


def error_response(
    error_type: str, message: str, request_id: str | None = None, error_code: str | None = None
) -> dict[str, Any]:
    error: dict[str, Any] = {"type": error_type, "message": message}
    if error_code:
        error["details"] = {"error_code": error_code}
    response: dict[str, Any] = {"type": "error", "error": error}
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
    bedrock_code = str(error.get("Code") or "")
    bedrock_message = str(error.get("Message") or "") or "no message"
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    request_id = request_id_of(exc.response)
    known = BEDROCK_ERRORS.get(bedrock_code)
    error_type = known.error_type if known else _BY_STATUS.get(status if isinstance(status, int) else 0, API)
    error_code = known.error_code if known else None
    if bedrock_code == "ValidationException" and _deployment_at_fault(bedrock_message):
        message = (
            f"Bedrock refused the invoker's configuration, not the request ({bedrock_code} from '{target}': "
            f"{bedrock_message}). Neither retrying nor changing the request can help: the operators of the invoker "
            f"must check that {model.name} ({model.model_id}) is enabled in the account and called through "
            "its inference profile"
        )
        return InvokerError(API, message, bedrock_code, request_id, DEPLOYMENT_CONFIGURATION)
    if error_code == SERVICE_QUOTA_EXCEEDED:
        message = (
            f"Bedrock {bedrock_code} from '{target}': {bedrock_message}. The account's Bedrock quota is used up: "
            "the request is not at fault and an immediate retry will not help; Bedrock says it may be resubmitted "
            "later, and the operators of the invoker can ask for a higher quota (Service Quotas)"
        )
    elif bedrock_code in CREDENTIAL_ERRORS:
        message = (
            f"Bedrock refused the invoker function's own AWS credentials ({bedrock_code}: {bedrock_message}). "
            "The request is not at fault: the operators of the invoker must check the function's execution role and "
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
        message = f"Bedrock {bedrock_code or f'HTTP {status}'} from '{target}': {bedrock_message}"
    return InvokerError(error_type, message, bedrock_code or None, request_id, error_code)


def _deployment_at_fault(bedrock_message: str) -> bool:
    text = bedrock_message.lower()
    return any(fragment in text for fragment in DEPLOYMENT_VALIDATION_TEXTS)


def from_botocore_error(exc: BotoCoreError, model: ModelEntry) -> InvokerError:
    """Map a client-side failure (no Bedrock error response) to an Anthropic error type."""
    if isinstance(exc, ReadTimeoutError):
        return InvokerError(TIMEOUT, f"Bedrock did not answer for '{model.profile_id}' within the read timeout")
    if isinstance(exc, ConnectTimeoutError | EndpointConnectionError | ConnectionClosedError):
        return InvokerError(API, f"could not reach Bedrock Runtime for '{model.profile_id}': {exc}")
    if isinstance(exc, NoCredentialsError):
        return InvokerError(API, "the invoker function has no AWS credentials", error_code=DEPLOYMENT_CREDENTIALS)
    return InvokerError(API, f"calling Bedrock failed: {type(exc).__name__}: {exc}")
