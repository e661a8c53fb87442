"""The Bedrock Runtime calls: clients, the invocation deadline, per-request metadata, InvokeModel and CountTokens.

How the call is kept inside the Lambda invocation (botocore's retries do not know about a deadline):

1. Before the call, the time left is the Lambda context's remaining time minus a safety margin (time to log, emit
   metrics and return). If that cannot cover the connect timeout plus the shortest read timeout, no call is made and
   `timeout_error` is returned.
2. The read timeout is a client setting, so clients are kept per read timeout: the configured
   `BEDROCK_READ_TIMEOUT_SECONDS` client (created at init, used whenever time allows) plus, created on demand, clients
   whose read timeout is a rung of a fixed ladder (at most ~17 clients, in practice one or two), chosen as the
   largest rung that still fits the time left. One attempt therefore cannot outlive the invocation.
3. Retries stay botocore's ("standard" mode, `BEDROCK_MAX_ATTEMPTS` attempts in all). A `needs-retry` hook
   registered ahead of botocore's retry handler stops retrying when the worst-case backoff plus a full attempt would
   not fit in the time left, and surfaces the last error instead (a 429 stays `rate_limit_error`; a read timeout is
   `timeout_error`).

The read timeout bounds each socket read, not the whole response; Bedrock's InvokeModel answers in one piece, so in
practice it bounds the attempt. Nothing here sleeps or spawns threads.
"""

from __future__ import annotations

import contextvars
import functools
import json
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from claude_invoker.callers import AUTHENTICATED, UNAUTHENTICATED, Caller
from claude_invoker.config import ModelEntry, Settings
from claude_invoker.mirrored import INVOKER_METADATA_VALUE

if TYPE_CHECKING:
    from botocore.session import Session

    from claude_invoker.protocols import BedrockRuntime

SERVICE = "bedrock-runtime"
# Read timeouts (seconds) below the configured one that a client may be created with when time is short.
READ_TIMEOUT_LADDER = (600, 300, 240, 180, 120, 90, 60, 45, 30, 20, 15, 10, 5, 3, 2, 1, 0.5)
DEFAULT_SAFETY_MARGIN_SECONDS = 1.0
# botocore standard mode: delay = rand * min(scale * 2**(attempt-1), 20), plus up to 5 s for x-amz-retry-after.
_MAX_BACKOFF_SECONDS = 20.0
_RETRY_AFTER_EXTRA_SECONDS = 5.0

# The deadline (time.monotonic()) of the call in progress; read by the needs-retry hook.
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("bedrock_deadline", default=None)

# Bedrock request metadata: at most 16 pairs; keys 1-256 and values 0-256 characters of this set (the Converse
# `requestMetadata` constraints; InvokeModel takes the same pairs as a JSON object in a header). Whitespace other
# than the space is left out: the value travels in an HTTP header.
_METADATA_UNSAFE = re.compile(r"[^A-Za-z0-9 :_@$#=/+,.\-]")
_METADATA_MAX = 256


class DeadlineExceeded(Exception):
    """Too little of the invocation's time is left to make an attempt."""


class Timing(NamedTuple):
    read_timeout: float
    deadline: float | None


def _worst_backoff(attempts: int, response: Any) -> float:
    backoff = min(2.0 ** max(attempts - 1, 0), _MAX_BACKOFF_SECONDS)
    headers = response[0].headers if isinstance(response, tuple) and response and response[0] is not None else {}
    if "x-amz-retry-after" in headers:
        backoff += _RETRY_AFTER_EXTRA_SECONDS
    return backoff


def _make_deadline_guard(read_timeout: float, connect_timeout: float) -> Callable[..., None]:
    def guard(
        attempts: int = 0, response: Any = None, caught_exception: Exception | None = None, **kwargs: Any
    ) -> None:
        deadline = _DEADLINE.get()
        if deadline is None:
            return
        if caught_exception is None:
            parsed = response[1] if isinstance(response, tuple) and len(response) > 1 else {}
            status = getattr(response[0], "status_code", 200) if isinstance(response, tuple) else 200
            if status < 300 or not isinstance(parsed, dict) or "Error" not in parsed:
                return  # success: nothing to retry
        needed = _worst_backoff(attempts, response) + connect_timeout + read_timeout
        if time.monotonic() + needed <= deadline:
            return  # a retry fits; botocore's retry handler decides whether to make it
        if caught_exception is not None:
            raise caught_exception
        from botocore.exceptions import ClientError

        parsed["ResponseMetadata"] = {**parsed.get("ResponseMetadata", {}), "RetryAttempts": attempts - 1}
        raise ClientError(parsed, kwargs["operation"].name)

    return guard


@functools.cache
def botocore_session() -> Session:
    """The process's one botocore session, shared by every client the function makes (as boto3's default session
    is): a client created after the first (a shorter read timeout, the S3 client) reuses the service data, endpoint
    rules and credentials the session already loaded instead of reading them again from disk."""
    # botocore directly: boto3 adds nothing here and its import pulls in s3transfer (~0.1 s of cold start).
    from botocore.session import get_session

    return get_session()


def create_client(read_timeout: float, connect_timeout: float, max_attempts: int) -> BedrockRuntime:
    """A bedrock-runtime client; Region, endpoint and credentials come from the standard AWS configuration."""
    # Lambda sets AWS_REGION and AWS_DEFAULT_REGION; botocore reads the latter, so fall back on the former.
    import os

    from botocore.config import Config

    session = botocore_session()
    client = session.create_client(
        SERVICE,
        region_name=session.get_config_variable("region") or os.environ.get("AWS_REGION"),
        config=Config(
            read_timeout=read_timeout,
            connect_timeout=connect_timeout,
            retries={"mode": "standard", "total_max_attempts": max_attempts},  # attempts in all
            user_agent_extra="claude-on-bedrock-invoker",
        ),
    )
    # Every operation the function calls (InvokeModel, CountTokens) keeps to the deadline.
    client.meta.events.register_first(f"needs-retry.{SERVICE}", _make_deadline_guard(read_timeout, connect_timeout))
    return cast("BedrockRuntime", client)


class ClientPool:
    """Bedrock clients by read timeout; `factory(read_timeout)` makes one (tests inject a stubbed client)."""

    def __init__(
        self,
        settings: Settings,
        factory: Callable[[float], BedrockRuntime] | None = None,
        safety_margin_seconds: float = DEFAULT_SAFETY_MARGIN_SECONDS,
    ) -> None:
        self.settings = settings
        self.safety_margin_seconds = safety_margin_seconds
        self._factory = factory or (
            lambda read: create_client(read, settings.connect_timeout_seconds, settings.max_attempts)
        )
        self._clients: dict[float, BedrockRuntime] = {}
        lower = (float(r) for r in READ_TIMEOUT_LADDER if r < settings.read_timeout_seconds)
        self.rungs = (float(settings.read_timeout_seconds), *lower)

    def client(self, read_timeout: float) -> BedrockRuntime:
        if read_timeout not in self._clients:
            self._clients[read_timeout] = self._factory(read_timeout)
        return self._clients[read_timeout]

    def timing(self, remaining_ms: int | None, now: float | None = None, reserve_seconds: float = 0.0) -> Timing:
        """Choose the read timeout that fits the time left (less `reserve_seconds` kept for work after the call);
        raise DeadlineExceeded if none does."""
        if remaining_ms is None:
            return Timing(self.rungs[0], None)
        now = time.monotonic() if now is None else now
        margin = self.safety_margin_seconds + reserve_seconds
        budget = remaining_ms / 1000 - margin
        available = budget - self.settings.connect_timeout_seconds
        for rung in self.rungs:
            if rung <= available:
                return Timing(rung, now + budget)
        raise DeadlineExceeded(
            f"{max(remaining_ms, 0)} ms left, an attempt needs at least "
            f"{(self.rungs[-1] + self.settings.connect_timeout_seconds + margin) * 1000:.0f} ms"
        )


def _metadata_value(value: str) -> str:
    return _METADATA_UNSAFE.sub("_", value)[:_METADATA_MAX]


def request_metadata(
    model: ModelEntry,
    function_arn: str | None,
    request_id: str | None,
    user_id: str | None,
    caller: Caller | None = None,
    team: str | None = None,
) -> str:
    """The `X-Amzn-Bedrock-Request-Metadata` header value: who called, recorded by Bedrock invocation logging.

    Through the function URL, the principal Lambda authenticated (`attribution` "authenticated", `caller_arn`,
    `caller_account`, `caller_org_id`) and the team it belongs to. Through plain lambda.invoke the invoking principal
    is not visible to the function: `attribution` says "unauthenticated". Always the function's own identity (its
    ARN, qualifier included), the Lambda request ID and the caller-asserted `metadata.user_id` (never authenticated).
    """
    pairs = {"invoker": INVOKER_METADATA_VALUE, "model_alias": model.alias}
    pairs["attribution"] = AUTHENTICATED if caller else UNAUTHENTICATED
    if caller:
        pairs["caller_arn"] = caller.arn
        pairs["caller_account"] = caller.account
        if caller.org_id:
            pairs["caller_org_id"] = caller.org_id
    if team:
        pairs["team"] = team
    if function_arn:
        pairs["function_arn"] = function_arn
    if request_id:
        pairs["lambda_request_id"] = request_id
    if user_id:
        pairs["user_id"] = user_id
    return json.dumps({k: _metadata_value(v) for k, v in pairs.items()}, separators=(",", ":"))


def encode_body(body: dict[str, Any]) -> bytes:
    """The JSON request body; ValueError for NaN or Infinity (Bedrock only takes strict JSON)."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


class Answer(NamedTuple):
    """A Bedrock answer: the parsed body, the retries botocore made, and what Bedrock said about the call."""

    body: dict[str, Any]
    retries: int
    request_id: str | None = None  # x-amzn-RequestId
    service_tier: str | None = None  # the tier that served the call (InvokeModel echoes it)
    latency: str | None = None  # the latency mode that served the call, likewise


def _metadata(response: dict[str, Any]) -> tuple[int, str | None]:
    metadata = response.get("ResponseMetadata") or {}
    request_id = metadata.get("RequestId")
    return int(metadata.get("RetryAttempts", 0) or 0), request_id if isinstance(request_id, str) else None


def invoke_model(
    client: BedrockRuntime,
    model: ModelEntry,
    payload: bytes,
    deadline: float | None,
    metadata: str | None,
    service_tier: str | None = None,
    latency: str | None = None,
    guardrail: tuple[str, str] | None = None,
    model_id: str | None = None,
) -> Answer:
    """Call InvokeModel on the model's inference profile (or `model_id`: a team's application inference profile);
    Bedrock's request options go as parameters (headers).

    With `guardrail` (ARN, version), Bedrock applies that guardrail version (headers X-Amzn-Bedrock-GuardrailIdentifier
    and -GuardrailVersion); IAM denies the function any call without it.
    """
    kwargs: dict[str, Any] = {
        "modelId": model_id or model.profile_id,
        "body": payload,
        "contentType": "application/json",
        "accept": "application/json",
    }
    if metadata:
        kwargs["requestMetadata"] = metadata
    if service_tier:
        kwargs["serviceTier"] = service_tier
    if latency:
        kwargs["performanceConfigLatency"] = latency
    if guardrail is not None:
        kwargs["guardrailIdentifier"], kwargs["guardrailVersion"] = guardrail
    deadline_token = _DEADLINE.set(deadline)
    try:
        response = client.invoke_model(**kwargs)
        raw = response["body"].read()
    finally:
        _DEADLINE.reset(deadline_token)
    result = json.loads(raw)
    if not isinstance(result, dict):
        raise ValueError("the response body is not a JSON object")
    retries, request_id = _metadata(response)
    return Answer(result, retries, request_id, response.get("serviceTier"), response.get("performanceConfigLatency"))


def count_tokens(client: BedrockRuntime, model: ModelEntry, payload: bytes, deadline: float | None) -> Answer:
    """Bedrock CountTokens for the InvokeModel body, on the base model ID (CountTokens takes no profile).

    The answer's body is Anthropic's count_tokens response, `{"input_tokens": N}`.
    """
    deadline_token = _DEADLINE.set(deadline)
    try:
        response = client.count_tokens(modelId=model.model_id, input={"invokeModel": {"body": payload}})
    finally:
        _DEADLINE.reset(deadline_token)
    tokens = response.get("inputTokens")
    if not isinstance(tokens, int) or isinstance(tokens, bool):
        raise ValueError("CountTokens returned no inputTokens")
    retries, request_id = _metadata(response)
    return Answer({"input_tokens": tokens}, retries, request_id)
