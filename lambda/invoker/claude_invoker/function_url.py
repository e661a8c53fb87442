"""Requests through the function URL: the HTTP request in, the Messages request and its caller out, the answer back
as an HTTP response.

The function URL (AuthType AWS_IAM) is on the URL alias, which IAM lets nothing but the URL invoke (callers are
granted `lambda:InvokeFunction` on it only with `lambda:InvokedViaFunctionUrl`): the function reads an event as an
HTTP request, and trusts its principal, only when its invoked ARN carries that qualifier. An event of the same shape
sent to the function by plain `lambda:InvokeFunction` is a Messages request with an unknown field, and refused.

Request (Lambda developer guide, "Invoking Lambda function URLs", payload format 2.0): `requestContext.http.method`
and `.path`, `headers` (lower-case names), `body` (base64 when `isBase64Encoded`), and with AWS_IAM auth
`requestContext.authorizer.iam` (`userArn`, `accountId`, `principalOrgId`, ...). POST `/` or `/v1/messages` creates
a message, POST `/v1/messages/count_tokens` counts tokens; Anthropic's `anthropic-beta` header is read as
`anthropic_beta` when the body has none. Response: `statusCode` (Anthropic's status for the error type,
`errors.HTTP_STATUS`), `headers`, `body` (the JSON answer), `isBase64Encoded` false. Headers: `request-id`, the
invocation's ID, as Anthropic's API names it; `bedrock-request-id`, Bedrock's; and on an error that neither a
retry nor another request can cure, `x-should-retry: false`, which the anthropic SDK obeys.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, NamedTuple

from claude_invoker import errors
from claude_invoker.callers import Caller
from claude_invoker.errors import InvokerError

# Paths that serve the Messages API, and the operation each asks for (Anthropic's own paths, and the root).
PATHS = {"/": "create", "/v1/messages": "create", "/v1/messages/count_tokens": "count_tokens"}


class HttpRequest(NamedTuple):
    """What a function URL event asks for: the Messages request (the event the rest of the function takes)."""

    event: dict[str, Any]
    caller: Caller | None


def through_url(function_arn: str | None, url_alias: str | None) -> bool:
    """Whether the function was invoked through the URL alias (`...:function:<name>:<alias>`)."""
    if not function_arn or not url_alias:
        return False
    parts = function_arn.split(":")
    return len(parts) == 8 and parts[7] == url_alias


def caller_of(event: dict[str, Any]) -> Caller | None:
    """The principal Lambda authenticated (`requestContext.authorizer.iam`), or None when there is none."""
    context = event.get("requestContext")
    authorizer = context.get("authorizer") if isinstance(context, dict) else None
    iam = authorizer.get("iam") if isinstance(authorizer, dict) else None
    if not isinstance(iam, dict):
        return None
    arn, account, org_id = iam.get("userArn"), iam.get("accountId"), iam.get("principalOrgId")
    if not isinstance(arn, str) or not arn or not isinstance(account, str) or not account:
        return None
    return Caller(arn, account, org_id if isinstance(org_id, str) and org_id else None)


def read(event: object) -> HttpRequest:
    """The Messages request of a function URL event. Raises `InvokerError` for an HTTP request it cannot serve."""
    if not isinstance(event, dict) or not isinstance(event.get("requestContext"), dict):
        raise errors.invalid("request: the URL alias answers only its function URL (an HTTP request)")
    request_line = event["requestContext"].get("http")
    method = request_line.get("method") if isinstance(request_line, dict) else None
    path = request_line.get("path") if isinstance(request_line, dict) else None
    if method != "POST":
        raise errors.invalid(f"method: {errors.echo(str(method))} is not served; send POST with a Messages request")
    if path not in PATHS:
        raise InvokerError(errors.NOT_FOUND, f"path: {errors.echo(str(path))} is not served; POST to /v1/messages")
    body = _body(event)
    if PATHS[path] == "count_tokens":
        body.setdefault("invoker_operation", "count_tokens")
    headers = event.get("headers")
    beta = headers.get("anthropic-beta") if isinstance(headers, dict) else None
    if isinstance(beta, str) and beta.strip() and "anthropic_beta" not in body:
        body["anthropic_beta"] = [flag.strip() for flag in beta.split(",") if flag.strip()]
    return HttpRequest(body, caller_of(event))


def _body(event: dict[str, Any]) -> dict[str, Any]:
    raw = event.get("body")
    if not isinstance(raw, str) or not raw:
        raise errors.invalid("body: required (a Messages request as JSON)")
    try:
        data = base64.b64decode(raw, validate=True) if event.get("isBase64Encoded") else raw.encode("utf-8")
        text = data.decode("utf-8")
    except (binascii.Error, UnicodeError):
        raise errors.invalid("body: not UTF-8 text (send the Messages request as JSON in UTF-8)") from None
    try:
        body = json.loads(text)
    except RecursionError:
        raise errors.invalid("body: nested too deep to read") from None
    except ValueError as exc:
        raise errors.invalid(f"body: not valid JSON ({getattr(exc, 'msg', 'unreadable')})") from None
    if not isinstance(body, dict):
        raise errors.invalid("body: must be a JSON object (a Messages request)")
    return body


def response(answer: dict[str, Any], request_id: str, bedrock_request_id: str | None) -> dict[str, Any]:
    """The HTTP response of the function URL for `answer` (a message, a token count or an error object)."""
    error = answer.get("error") if answer.get("type") == "error" else None
    status = errors.HTTP_STATUS.get(str(error.get("type")), 500) if isinstance(error, dict) else 200
    headers = {"content-type": "application/json", "request-id": request_id}
    if bedrock_request_id:
        headers["bedrock-request-id"] = bedrock_request_id
    if isinstance(error, dict) and isinstance(error.get("details"), dict):
        headers["x-should-retry"] = "false"  # a cause only the operators can cure
    return {
        "statusCode": status,
        "headers": headers,
        "body": json.dumps(answer, separators=(",", ":"), ensure_ascii=False),
        "isBase64Encoded": False,
    }
