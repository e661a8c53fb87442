"""One invocation, from event to response, without Lambda: `process` never raises."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from botocore.exceptions import BotoCoreError, ClientError

from claude_invoker import errors, function_url
from claude_invoker.bedrock import (
    Answer,
    ClientPool,
    DeadlineExceeded,
    count_tokens,
    encode_body,
    invoke_model,
    request_metadata,
)
from claude_invoker.callers import Caller, Team, team_of
from claude_invoker.config import ModelEntry, Settings
from claude_invoker.errors import InvokerError
from claude_invoker.json_text import MAX_NESTING, invalid_text, utf8_safe
from claude_invoker.results import STORE_RESERVE_SECONDS, ResultStore, is_async, record_fits
from claude_invoker.validation import COUNT_TOKENS, InvocationRequest, parse_request

# The field of Bedrock's InvokeModel answer saying whether the applied guardrail intervened ("INTERVENED" or
# "NONE"; InvokeModel API reference, Response Syntax: https://docs.aws.amazon.com/bedrock/latest/APIReference/
# API_runtime_InvokeModel.html). An intervention is an HTTP 200 whose stop_reason is end_turn: only this field
# tells it from an answer of the model.
GUARDRAIL_ACTION = "amazon-bedrock-guardrailAction"
INTERVENED = "INTERVENED"

if TYPE_CHECKING:
    from claude_invoker.protocols import BedrockRuntime


class CallContext(NamedTuple):
    """What the invocation knows about itself (from the Lambda context, when there is one) and about its caller."""

    remaining_ms: Callable[[], int] | None = None
    function_arn: str | None = None
    request_id: str | None = None
    # The principal Lambda authenticated for a function URL request; None for plain lambda:InvokeFunction.
    caller: Caller | None = None


class Outcome:
    """The response plus what logs and metrics need."""

    __slots__ = (
        "bedrock_code",
        "bedrock_request_id",
        "caller",
        "error_code",
        "error_type",
        "guardrail_action",
        "latency_ms",
        "model",
        "request",
        "response",
        "retries",
        "served_latency",
        "served_tier",
        "stored",
        "target",
        "team",
        "usage",
    )

    def __init__(
        self,
        response: dict[str, Any],
        model: ModelEntry | None = None,
        request: InvocationRequest | None = None,
        error_type: str | None = None,
        bedrock_code: str | None = None,
        bedrock_request_id: str | None = None,
        latency_ms: float | None = None,
        retries: int = 0,
        usage: dict[str, Any] | None = None,
        served_tier: str | None = None,
        served_latency: str | None = None,
        error_code: str | None = None,
        team: str | None = None,
        target: str | None = None,
    ) -> None:
        self.response = response
        self.model = model
        self.request = request
        self.error_type = error_type
        self.bedrock_code = bedrock_code
        self.bedrock_request_id = bedrock_request_id
        self.latency_ms = latency_ms
        self.retries = retries
        self.usage: dict[str, Any] = usage if usage is not None else {}
        self.served_tier = served_tier
        self.served_latency = served_latency
        self.error_code = error_code  # error.details.error_code: a cause only the operators can cure
        self.team = team  # the caller's team, served through its application inference profile
        self.target = target  # a team's application inference profile ARN, when the call went through one
        # Bedrock's `amazon-bedrock-guardrailAction` (INTERVENED or NONE) when a guardrail was applied.
        self.guardrail_action: str | None = None
        self.caller: Caller | None = None  # the authenticated principal (function URL); None: unauthenticated
        self.stored: dict[str, Any] | None = None  # the pointer, when the answer went to the results bucket

    @property
    def ok(self) -> bool:
        return self.error_type is None


def _fail(error: InvokerError, **known: Any) -> Outcome:
    return Outcome(
        error.to_response(),
        error_type=error.error_type,
        bedrock_code=error.bedrock_code,
        bedrock_request_id=error.request_id,
        error_code=error.error_code,
        **known,
    )


class Route(NamedTuple):
    """Where a request goes: the model ID Bedrock is called with, the guardrail it applies, the caller's team."""

    target: str
    guardrail: tuple[str, str] | None
    team: str | None = None


def _route(request: InvocationRequest, settings: Settings, team: Team | None) -> Route:
    """The configured profile, or, for a team's caller, the team's application profile of the model and the team's
    guardrail (the invoker's when the team has none). Raises `InvokerError` for a model the team is not served."""
    model = request.model
    if request.operation == COUNT_TOKENS:  # CountTokens takes the base model ID, and is free: no team to bill
        return Route(model.model_id, None, team.name if team else None)
    if team is None:
        return Route(model.profile_id, settings.guardrail)
    if model.alias not in team.profiles:
        served = ", ".join(team.profiles) or "none"
        raise InvokerError(
            errors.PERMISSION,
            f"model: {model.name} ({model.alias}) is not served to team {team.name} through the invoker; its models "
            f"here: {served}",
        )
    return Route(team.profiles[model.alias], team.guardrail or settings.guardrail, team.name)


def _named_profile(event: object, team: Team | None) -> object:
    """An application inference profile ARN named as `model` becomes its model's alias when it is the caller's
    team's; any other is refused: the function chooses the profile from the caller's principal, never the request."""
    requested = event.get("model") if isinstance(event, dict) else None
    if not isinstance(requested, str) or ":application-inference-profile/" not in requested:
        return event
    owned = {arn: alias for alias, arn in team.profiles.items()} if team else {}
    if requested.strip() not in owned:
        raise InvokerError(
            errors.PERMISSION,
            f"model: '{errors.echo(requested)}' is not an application inference profile of your team; the invoker "
            "chooses your team's profile from your principal: send the model's alias",
        )
    return {**event, "model": owned[requested.strip()]}  # type: ignore[dict-item]


def _call(
    request: InvocationRequest,
    client: BedrockRuntime,
    payload: bytes,
    deadline: float | None,
    call: CallContext,
    route: Route,
) -> Answer:
    if request.operation == COUNT_TOKENS:
        return count_tokens(client, request.model, payload, deadline)
    metadata = request_metadata(
        request.model, call.function_arn, call.request_id, request.user_id, call.caller, route.team
    )
    return invoke_model(
        client,
        request.model,
        payload,
        deadline,
        metadata,
        service_tier=request.service_tier,
        latency=request.latency,
        guardrail=route.guardrail,
        model_id=route.target,
    )


def _answer(event: object, settings: Settings, clients: ClientPool, call: CallContext, reserve: float) -> Outcome:
    """Validate, call Bedrock, map errors. The Messages response (or token count) or an Anthropic error body."""
    team = team_of(call.caller, settings.teams)
    try:
        request = parse_request(_named_profile(event, team), settings)
    except InvokerError as error:
        return _fail(error, team=team.name if team else None)
    except Exception as exc:  # defensive: a validation bug must not become an unhandled exception
        return _fail(errors.invalid(f"request: could not be validated ({type(exc).__name__})"))

    model = request.model
    known: dict[str, Any] = {"model": model, "request": request, "team": team.name if team else None}
    try:
        route = _route(request, settings, team)
        timing = clients.timing(call.remaining_ms() if call.remaining_ms else None, reserve_seconds=reserve)
    except InvokerError as error:
        return _fail(error, **known)
    except DeadlineExceeded as exc:
        return _fail(errors.deadline_exceeded(str(exc)), **known)

    try:
        payload = encode_body(request.body)
    except (ValueError, RecursionError) as exc:
        return _fail(_unencodable(request.body, exc), **known)
    target = route.target
    if route.team and request.operation != COUNT_TOKENS:
        known["target"] = target  # the team's application profile, logged in place of the configured profile
    started = time.perf_counter()
    try:
        answer = _call(request, clients.client(timing.read_timeout), payload, timing.deadline, call, route)
    except ClientError as exc:
        retries = int(exc.response.get("ResponseMetadata", {}).get("RetryAttempts", 0) or 0)
        failure = errors.from_client_error(exc, model, target)
        return _fail(failure, latency_ms=_since(started), retries=retries, **known)
    except BotoCoreError as exc:
        return _fail(errors.from_botocore_error(exc, model), latency_ms=_since(started), **known)
    except ValueError as exc:  # the response body is not a JSON object
        failure = InvokerError(errors.API, f"Bedrock returned a response that is not usable: {exc}")
        return _fail(failure, latency_ms=_since(started), **known)
    except Exception as exc:  # never an unhandled exception: anything else is an api_error
        failure = InvokerError(errors.API, f"calling Bedrock failed: {type(exc).__name__}")
        return _fail(failure, latency_ms=_since(started), **known)
    usage = answer.body.get("usage")
    outcome = Outcome(
        _with_request_id(answer.body, answer.request_id),
        latency_ms=_since(started),
        retries=answer.retries,
        usage=usage if isinstance(usage, dict) else {},
        bedrock_request_id=answer.request_id,
        served_tier=answer.service_tier,
        served_latency=answer.latency,
        **known,
    )
    action = answer.body.get(GUARDRAIL_ACTION)
    outcome.guardrail_action = action if isinstance(action, str) else None
    return outcome


def _with_request_id(body: dict[str, Any], request_id: str | None) -> dict[str, Any]:
    """The answer with Bedrock's request ID as `request_id` (the field Anthropic's error responses carry; Anthropic's
    API sends it as the `request-id` header), so the caller can quote it for any call, not only a failed one."""
    return {**body, "request_id": request_id} if request_id and "request_id" not in body else body


def _unencodable(body: dict[str, Any], exc: Exception) -> InvokerError:
    """Why the body cannot be sent as strict JSON in UTF-8, naming where."""
    if isinstance(exc, UnicodeEncodeError):
        found = invalid_text(body)
        where, text = found if found else ("request", "")
        bad = next((c for c in text if "\ud800" <= c <= "\udfff"), "")
        return errors.invalid(
            f"{where or 'request'}: holds a lone UTF-16 surrogate ({errors.echo(bad)}), which is not valid Unicode; "
            "send whole characters (a string cut inside an emoji, as JavaScript's slice can, keeps half of it)"
        )
    if isinstance(exc, RecursionError):
        return errors.invalid(f"request: nested too deep to encode; at most {MAX_NESTING} levels of arrays and objects")
    return errors.invalid("request: must be strict JSON (numbers finite, no NaN or Infinity)")


def process(
    event: object,
    settings: Settings,
    clients: ClientPool,
    call: CallContext,
    results: ResultStore | None = None,
) -> Outcome:
    """The answer to one invocation. Invoked through the asynchronous alias, an answer whose on-success record
    could exceed the results queue's limit is kept in the results bucket and a pointer to it is returned."""
    keeping = results is not None and is_async(call.function_arn, settings.async_alias)
    outcome = _answer(event, settings, clients, call, STORE_RESERVE_SECONDS if keeping else 0.0)
    outcome.caller = call.caller
    outcome.response = utf8_safe(outcome.response)  # the runtime writes the answer as UTF-8: it must encode
    if not keeping or results is None or record_fits(event, outcome.response):
        return outcome
    try:
        outcome.stored = results.keep(outcome.response, call.request_id)
    except Exception as exc:  # the answer cannot reach the caller either way: say so, in a record that fits
        failure = InvokerError(
            errors.API,
            f"the answer ({outcome.error_type or 'message'}) was too large for the results queue and could not be "
            f"stored in the results bucket ({type(exc).__name__}: {exc})"[:2000],
            request_id=outcome.bedrock_request_id,
        )
        return _fail(failure, model=outcome.model, request=outcome.request, latency_ms=outcome.latency_ms)
    outcome.response = outcome.stored
    return outcome


def process_url(event: object, settings: Settings, clients: ClientPool, call: CallContext) -> Outcome:
    """The answer to a function URL request (`function_url`): read the HTTP request and its authenticated caller,
    then answer it as any synchronous invocation. Never raises."""
    caller = function_url.caller_of(event) if isinstance(event, dict) else None
    try:
        request = function_url.read(event)
    except InvokerError as error:
        outcome = _fail(error)
    else:
        outcome = _answer(request.event, settings, clients, call._replace(caller=caller), 0.0)
    outcome.caller = caller
    outcome.response = utf8_safe(outcome.response)
    return outcome


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
