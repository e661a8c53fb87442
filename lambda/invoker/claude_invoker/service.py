"""One invocation, from event to response, without Lambda or Powertools: `process` never raises."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from claude_invoker import errors
from claude_invoker.bedrock import ClientPool, DeadlineExceeded, encode_body, invoke_model, request_metadata
from claude_invoker.config import ModelEntry, Settings
from claude_invoker.errors import InvokerError
from claude_invoker.validation import InvocationRequest, parse_request


@dataclass(frozen=True)
class CallContext:
    """What the invocation knows about itself (from the Lambda context, when there is one)."""

    remaining_ms: Callable[[], int] | None = None
    function_arn: str | None = None
    request_id: str | None = None


@dataclass
class Outcome:
    """The response plus what logs and metrics need."""

    response: dict[str, Any]
    model: ModelEntry | None = None
    request: InvocationRequest | None = None
    error_type: str | None = None
    bedrock_code: str | None = None
    latency_ms: float | None = None
    retries: int = 0
    usage: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error_type is None


def _fail(error: InvokerError, **known: Any) -> Outcome:
    return Outcome(error.to_response(), error_type=error.error_type, bedrock_code=error.bedrock_code, **known)


def process(event: object, settings: Settings, clients: ClientPool, call: CallContext) -> Outcome:
    """Validate, call Bedrock, map errors. Returns the Messages response or an Anthropic error body."""
    try:
        request = parse_request(event, settings)
    except InvokerError as error:
        return _fail(error)
    except Exception as exc:  # defensive: a validation bug must not become an unhandled exception
        return _fail(errors.invalid(f"request: could not be validated ({type(exc).__name__})"))

    model = request.model
    known: dict[str, Any] = {"model": model, "request": request}
    try:
        timing = clients.timing(call.remaining_ms() if call.remaining_ms else None)
    except DeadlineExceeded as exc:
        return _fail(errors.deadline_exceeded(str(exc)), **known)

    try:
        payload = encode_body(request.body)
    except (ValueError, RecursionError):
        return _fail(errors.invalid("request: must be strict JSON (numbers finite, no NaN or Infinity)"), **known)
    metadata = request_metadata(model, call.function_arn, call.request_id, request.user_id)
    started = time.perf_counter()
    try:
        client = clients.client(timing.read_timeout)
        body, retries = invoke_model(client, model, payload, timing.deadline, metadata, settings.guardrail)
    except ClientError as exc:
        retries = int(exc.response.get("ResponseMetadata", {}).get("RetryAttempts", 0) or 0)
        return _fail(errors.from_client_error(exc, model), latency_ms=_since(started), retries=retries, **known)
    except BotoCoreError as exc:
        return _fail(errors.from_botocore_error(exc, model), latency_ms=_since(started), **known)
    except ValueError as exc:  # the response body is not a JSON object
        failure = InvokerError(errors.API, f"Bedrock returned a response that is not a JSON object: {exc}")
        return _fail(failure, latency_ms=_since(started), **known)
    except Exception as exc:  # never an unhandled exception: anything else is an api_error
        failure = InvokerError(errors.API, f"calling Bedrock failed: {type(exc).__name__}")
        return _fail(failure, latency_ms=_since(started), **known)
    usage = body.get("usage") if isinstance(body.get("usage"), dict) else {}
    return Outcome(body, latency_ms=_since(started), retries=retries, usage=usage or {}, **known)


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
