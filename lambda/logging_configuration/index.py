"""Custom-resource provider: applies its own stack's Bedrock model invocation logging configuration, nothing else.

CloudFormation has no resource type for the configuration. This function is the provider of the one custom
resource that applies it; the stack inlines this file as the function's code (`Code.ZipFile`, so no asset: it also
serves stacks deployed without a bootstrap bucket), and boto3 comes from the Lambda runtime.

What it does is fixed by its environment, written by the stack at synthesis:
- `LOGGING_CONFIGURATION`: the `loggingConfig` to put (bucket, prefixes, log group, delivery role, data flags);
- `STACK_ID`, `LOGICAL_RESOURCE_ID`: the one resource it serves;
- `KEEP_CONFIGURATION_ON_DELETE`: whether deleting the resource leaves the configuration in place.

An event is refused (FAILED, nothing changed) unless it names that stack and resource, carries that configuration,
and arrives while the stack is being deployed (DescribeStacks: a status ending in `_IN_PROGRESS`), so invoking the
function directly can neither put another configuration nor delete this one. During a rollback it puts the
previous data flags the event carries, to the same destinations only. It answers CloudFormation with a plain HTTPS
PUT of the response object to the event's pre-signed `ResponseURL`, and only for events of its own stack.
"""

from __future__ import annotations

import json
import os
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

PHYSICAL_RESOURCE_ID = "bedrock-model-invocation-logging"
# The physical ID of a Create that failed: the Delete CloudFormation then sends must not delete anything.
NOT_CREATED = "bedrock-model-invocation-logging-not-created"
REQUEST_TYPES = ("Create", "Update", "Delete")
SUCCESS, FAILED = "SUCCESS", "FAILED"
# The fields that say where logs go; a rollback may restore the data flags, never other destinations.
DESTINATIONS = ("s3Config", "cloudWatchConfig")
# Roles and policies created in the same deployment take a while to be usable everywhere: Bedrock refuses a
# configuration whose role it cannot yet use ("Failed to validate permissions"), IAM may deny for a moment.
# Seconds to wait before each new attempt; the function's timeout (2 minutes) leaves room for all of them.
RETRY_DELAYS = (5, 10, 20, 30)
TRANSIENT = ("Failed to validate permissions", "AccessDenied", "Throttling", "TooManyRequests")


@dataclass(frozen=True)
class Settings:
    """The function's environment: the one resource it serves and the one configuration it applies."""

    stack_id: str
    logical_resource_id: str
    configuration: dict[str, Any]
    keep_on_delete: bool

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Settings:
        return cls(
            stack_id=environ["STACK_ID"],
            logical_resource_id=environ["LOGICAL_RESOURCE_ID"],
            configuration=json.loads(environ["LOGGING_CONFIGURATION"]),
            keep_on_delete=environ["KEEP_CONFIGURATION_ON_DELETE"] == "true",
        )


@dataclass(frozen=True)
class Outcome:
    status: str
    reason: str
    physical_resource_id: str


def _event_configuration(event: Mapping[str, Any]) -> dict[str, Any] | None:
    """The configuration the event's resource properties carry (a JSON string: CloudFormation passes strings)."""
    text = (event.get("ResourceProperties") or {}).get("Configuration")
    try:
        value = json.loads(text) if isinstance(text, str) else None
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def refusal(event: Any, settings: Settings) -> str | None:
    """Why the event is not CloudFormation's request for this function's resource; None when it is."""
    if not isinstance(event, dict):
        return "the event is not a CloudFormation custom-resource request"
    if event.get("RequestType") not in REQUEST_TYPES:
        return f"RequestType {event.get('RequestType')!r} is not one of {', '.join(REQUEST_TYPES)}"
    if event.get("StackId") != settings.stack_id:
        return f"the event names stack {event.get('StackId')!r}; this function serves only {settings.stack_id}"
    if event.get("LogicalResourceId") != settings.logical_resource_id:
        return (
            f"the event names resource {event.get('LogicalResourceId')!r}; this function serves only "
            f"{settings.logical_resource_id}"
        )
    return None


def with_retries(call: Callable[[], Any], sleep: Callable[[float], None] = time.sleep) -> Any:
    """`call()`, again after each of RETRY_DELAYS while it fails for a reason that passes with time."""
    for delay in (*RETRY_DELAYS, None):
        try:
            return call()
        except Exception as error:
            if delay is None or not any(reason in str(error) for reason in TRANSIENT):
                raise
            sleep(delay)
    raise AssertionError("unreachable")


def stack_status(cloudformation: Any, stack_id: str) -> str:
    stacks = cloudformation.describe_stacks(StackName=stack_id).get("Stacks") or [{}]
    return str(stacks[0].get("StackStatus", "UNKNOWN"))


def configuration_to_put(event: Mapping[str, Any], settings: Settings, status: str) -> dict[str, Any] | str:
    """The configuration to put for a Create or Update, or the reason to refuse it."""
    carried = _event_configuration(event)
    if carried == settings.configuration:
        return settings.configuration
    if "ROLLBACK" in status and carried is not None:
        # Rolling back: the function still has the new configuration, the event the previous one.
        if all(carried.get(key) == settings.configuration.get(key) for key in DESTINATIONS):
            return carried
        return settings.configuration
    return "the configuration in the event is not the one this function was deployed with"


def apply(
    event: Any,
    settings: Settings,
    bedrock: Any,
    cloudformation: Any,
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """Do what CloudFormation asks of the resource, if it is CloudFormation asking; never raises."""
    requested = event.get("PhysicalResourceId") if isinstance(event, dict) else None
    failed_id = requested or NOT_CREATED
    reason = refusal(event, settings)
    if reason is not None:
        return Outcome(FAILED, f"refused, nothing changed: {reason}", failed_id)
    try:
        status = with_retries(lambda: stack_status(cloudformation, settings.stack_id), sleep)
    except Exception as error:  # an AWS error is a value: it becomes the FAILED reason
        return Outcome(FAILED, f"refused, nothing changed: cannot read the stack status: {error}", failed_id)
    if not status.endswith("_IN_PROGRESS"):
        return Outcome(FAILED, f"refused, nothing changed: stack is {status}, not being deployed", failed_id)

    if event["RequestType"] == "Delete":
        if requested != PHYSICAL_RESOURCE_ID:
            return Outcome(SUCCESS, "nothing to delete: the configuration was never applied", str(requested))
        if settings.keep_on_delete:
            return Outcome(SUCCESS, "configuration kept (KEEP_CONFIGURATION_ON_DELETE)", PHYSICAL_RESOURCE_ID)
        try:
            with_retries(bedrock.delete_model_invocation_logging_configuration, sleep)
        except Exception as error:
            return Outcome(FAILED, f"DeleteModelInvocationLoggingConfiguration failed: {error}", PHYSICAL_RESOURCE_ID)
        return Outcome(SUCCESS, "configuration deleted", PHYSICAL_RESOURCE_ID)

    configuration = configuration_to_put(event, settings, status)
    if isinstance(configuration, str):
        return Outcome(FAILED, f"refused, nothing changed: {configuration}", failed_id)
    try:
        with_retries(lambda: bedrock.put_model_invocation_logging_configuration(loggingConfig=configuration), sleep)
    except Exception as error:
        return Outcome(FAILED, f"PutModelInvocationLoggingConfiguration failed: {error}", failed_id)
    return Outcome(SUCCESS, "configuration put", PHYSICAL_RESOURCE_ID)


def response_body(event: Mapping[str, Any], outcome: Outcome) -> bytes:
    """The custom-resource response object CloudFormation reads from the pre-signed URL."""
    return json.dumps(
        {
            "Status": outcome.status,
            "Reason": outcome.reason[:1000],
            "PhysicalResourceId": outcome.physical_resource_id,
            "StackId": event["StackId"],
            "RequestId": event.get("RequestId", ""),
            "LogicalResourceId": event["LogicalResourceId"],
            "NoEcho": False,
            "Data": {},
        }
    ).encode()


def respond(event: Mapping[str, Any], outcome: Outcome, opener: Callable[..., Any] = urllib.request.urlopen) -> None:
    """PUT the response to the event's ResponseURL (an empty content type, as the pre-signed URL expects)."""
    body = response_body(event, outcome)
    request = urllib.request.Request(
        event["ResponseURL"], data=body, method="PUT", headers={"Content-Type": "", "Content-Length": str(len(body))}
    )
    error: Exception | None = None
    for _ in range(3):
        try:
            with opener(request, timeout=10) as answer:
                answer.read()
            return
        except OSError as failure:  # urllib's errors (URLError, HTTPError, timeouts) are OSErrors
            error = failure
    raise RuntimeError(f"could not send the response to CloudFormation: {error}")


def handler(event: Any, context: Any, *, bedrock: Any = None, cloudformation: Any = None) -> dict[str, str]:
    import boto3  # the Lambda runtime's

    settings = Settings.from_environment(os.environ)
    outcome = apply(
        event,
        settings,
        bedrock or boto3.client("bedrock"),
        cloudformation or boto3.client("cloudformation"),
    )
    print(json.dumps({"status": outcome.status, "reason": outcome.reason}))
    # Only CloudFormation's requests for this resource are answered: never PUT to a URL a stranger's event names.
    if isinstance(event, dict) and event.get("StackId") == settings.stack_id and event.get("ResponseURL"):
        respond(event, outcome)
    return {"Status": outcome.status, "Reason": outcome.reason}
