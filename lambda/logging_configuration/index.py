"""Custom-resource provider: applies its own stack's account-level Bedrock settings, nothing else.

CloudFormation has no resource type for them. One provider per stack serves up to three custom resources, each a
per-Region setting of the account: the model invocation logging configuration, the data retention mode and the
retention storage of Anthropic's models. The stack inlines this file (`Code.ZipFile`: no asset), boto3 is the
runtime's, and the environment, written at synthesis, fixes what it applies (docs/platform/logging.md, "A provider
that does one thing").

An event is acted on only when CloudFormation is operating on that resource: it names this stack and one of its
resources, its response URL is CloudFormation's pre-signed S3 URL of the stack's Region over HTTPS, and
DescribeStackResource shows the resource in the status its request implies while the stack is in a matching
operation. Anything else changes nothing and is answered to nobody. Then: a Create or Update puts the setting of
the environment, which the event must carry too; a rollback only turns data flags back on or restores a stricter
retention mode, never redirects; a Delete deletes the logging configuration only when the template asks for it, and
never touches retention (there is no delete of a mode; a kept storage record keeps retained data where it was).
"""

from __future__ import annotations

import json
import os
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

PHYSICAL_RESOURCE_ID = "bedrock-model-invocation-logging"
# The physical ID of a Create that failed: the Delete CloudFormation then sends must not delete anything.
NOT_CREATED = "bedrock-model-invocation-logging-not-created"
RETENTION_ID = "bedrock-data-retention"
STORAGE_ID = "bedrock-data-retention-storage"
SUCCESS, FAILED = "SUCCESS", "FAILED"
# What DescribeStackResource shows of a resource CloudFormation is creating, updating or deleting, and the stack
# operations (rollbacks and cleanups included) that send each request.
RESOURCE_STATUS = {"Create": "CREATE_IN_PROGRESS", "Update": "UPDATE_IN_PROGRESS", "Delete": "DELETE_IN_PROGRESS"}
STACK_STATUSES = {
    "Create": ("CREATE_IN_PROGRESS", "UPDATE_IN_PROGRESS"),
    "Update": ("UPDATE_IN_PROGRESS", "UPDATE_ROLLBACK_IN_PROGRESS"),
    "Delete": (
        "DELETE_IN_PROGRESS",
        "ROLLBACK_IN_PROGRESS",
        "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
        "UPDATE_ROLLBACK_IN_PROGRESS",
        "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
    ),
}
# The loggingConfig flags a rollback may turn back on (core.invocation_logging.configuration.DELIVERY_FLAGS).
DATA_FLAGS = (
    "textDataDeliveryEnabled",
    "imageDataDeliveryEnabled",
    "embeddingDataDeliveryEnabled",
    "videoDataDeliveryEnabled",
    "audioDataDeliveryEnabled",
)
# From the least to the most retained (core.data_retention.modes.MODE_ORDER).
MODE_ORDER = ("none", "default", "aws_review", "provider_data_share", "inherit")
# New roles take a while to be usable everywhere: Bedrock refuses a configuration whose role it cannot yet use
# ("Failed to validate permissions"), IAM may deny for a moment. Seconds before each new attempt (timeout: 2 min).
RETRY_DELAYS = (5, 10, 20, 30)
TRANSIENT = ("Failed to validate permissions", "AccessDenied", "Throttling", "TooManyRequests")


@dataclass(frozen=True)
class Settings:
    """The function's environment: its stack, its resources and what each applies."""

    stack_id: str
    logical_resource_id: str
    configuration: dict[str, Any]
    keep_on_delete: bool
    retention_resource_id: str | None = None
    retention_mode: str | None = None
    storage_resource_id: str | None = None
    storage: dict[str, Any] | None = None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Settings:
        storage = environ.get("RETENTION_STORAGE")
        return cls(
            stack_id=environ["STACK_ID"],
            logical_resource_id=environ["LOGICAL_RESOURCE_ID"],
            configuration=json.loads(environ["LOGGING_CONFIGURATION"]),
            keep_on_delete=environ["KEEP_CONFIGURATION_ON_DELETE"] == "true",
            retention_resource_id=environ.get("DATA_RETENTION_RESOURCE_ID"),
            retention_mode=environ.get("DATA_RETENTION_MODE"),
            storage_resource_id=environ.get("RETENTION_STORAGE_RESOURCE_ID"),
            storage=json.loads(storage) if storage else None,
        )

    def resources(self) -> dict[str, str]:
        """Logical ID -> kind, for every resource this function serves."""
        served = {self.logical_resource_id: "logging"}
        if self.retention_resource_id and self.retention_mode:
            served[self.retention_resource_id] = "retention"
        if self.storage_resource_id and self.storage:
            served[self.storage_resource_id] = "storage"
        return served


@dataclass(frozen=True)
class Outcome:
    status: str
    reason: str
    physical_resource_id: str
    # False: the event is not CloudFormation's, so nobody waits for an answer and none is sent.
    answer: bool = True


class Refused(Exception):
    """The event is not CloudFormation operating on this function's resource."""


def refusal(event: Any, settings: Settings) -> str | None:
    """Why the event does not name this function's stack and one of its resources; None when it does."""
    if not isinstance(event, dict):
        return "the event is not a CloudFormation custom-resource request"
    if event.get("RequestType") not in RESOURCE_STATUS:
        return f"RequestType {event.get('RequestType')!r} is not one of {', '.join(RESOURCE_STATUS)}"
    if event.get("StackId") != settings.stack_id:
        return f"the event names stack {event.get('StackId')!r}; this function serves only {settings.stack_id}"
    if event.get("LogicalResourceId") not in settings.resources():
        return (
            f"the event names resource {event.get('LogicalResourceId')!r}; this function serves only "
            f"{', '.join(settings.resources())}"
        )
    return response_url_refusal(event.get("ResponseURL"), settings.stack_id)


def response_url_refusal(url: Any, stack_id: str) -> str | None:
    """None when `url` is CloudFormation's pre-signed S3 URL for the stack's Region: HTTPS, to the bucket
    cloudformation-custom-resource-response-<Region without dashes> on an S3 endpoint of that Region."""
    region = stack_id.split(":")[3] if stack_id.count(":") >= 5 else ""
    bucket = "cloudformation-custom-resource-response-" + region.replace("-", "")
    hosts = {f"{bucket}.s3.amazonaws.com", f"{bucket}.s3.{region}.amazonaws.com", f"{bucket}.s3-{region}.amazonaws.com"}
    try:
        parts = urllib.parse.urlsplit(url) if isinstance(url, str) else None
        port = parts.port if parts else None
    except ValueError:
        parts = None
    if not parts or parts.scheme != "https" or parts.hostname not in hosts or port not in (None, 443):
        return f"the response URL is not CloudFormation's pre-signed URL of {region or 'its Region'} over HTTPS"
    if parts.username is not None or parts.password is not None:
        return "the response URL carries credentials"
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


def confirmed_stack_status(event: Mapping[str, Any], settings: Settings, cloudformation: Any, sleep: Any) -> str:
    """The stack's status, once CloudFormation is seen operating on the event's resource as the request says."""
    request, logical_id = event["RequestType"], event["LogicalResourceId"]
    stacks = with_retries(lambda: cloudformation.describe_stacks(StackName=settings.stack_id), sleep)
    stack_status = str((stacks.get("Stacks") or [{}])[0].get("StackStatus", "UNKNOWN"))
    if stack_status not in STACK_STATUSES[request]:
        raise Refused(f"stack is {stack_status}, not in an operation that sends a {request}")
    detail = with_retries(
        lambda: cloudformation.describe_stack_resource(StackName=settings.stack_id, LogicalResourceId=logical_id),
        sleep,
    ).get("StackResourceDetail", {})
    status = detail.get("ResourceStatus")
    if status != RESOURCE_STATUS[request]:
        raise Refused(f"resource {logical_id} is {status}, not {RESOURCE_STATUS[request]}")
    found = detail.get("PhysicalResourceId")
    if request != "Create" and found and found != event.get("PhysicalResourceId"):
        raise Refused(f"resource {logical_id} is {found}, not {event.get('PhysicalResourceId')}")
    return stack_status


def _property(event: Mapping[str, Any], name: str) -> Any:
    """A resource property, JSON-decoded when it is JSON text (CloudFormation passes strings)."""
    value = (event.get("ResourceProperties") or {}).get(name)
    try:
        return json.loads(value) if isinstance(value, str) and value[:1] in "{[" else value
    except json.JSONDecodeError:
        return None


def _call(what: str, call: Callable[[], Any], physical: str, sleep: Any, done: str) -> Outcome:
    try:
        with_retries(call, sleep)
    except Exception as error:  # an AWS error is a value: it becomes the FAILED reason
        return Outcome(FAILED, f"{what} failed: {error}", physical)
    return Outcome(SUCCESS, done, physical)


def apply_logging(event: Mapping[str, Any], settings: Settings, bedrock: Any, rollback: bool, sleep: Any) -> Outcome:
    requested = event.get("PhysicalResourceId")
    if event["RequestType"] == "Delete":
        if requested != PHYSICAL_RESOURCE_ID:
            return Outcome(SUCCESS, "nothing to delete: the configuration was never applied", str(requested))
        if settings.keep_on_delete or _property(event, "KeepConfigurationOnDelete") != "false":
            return Outcome(SUCCESS, "configuration kept (KEEP_CONFIGURATION_ON_DELETE)", PHYSICAL_RESOURCE_ID)
        delete = bedrock.delete_model_invocation_logging_configuration
        return _call(
            "DeleteModelInvocationLoggingConfiguration", delete, PHYSICAL_RESOURCE_ID, sleep, "configuration deleted"
        )
    carried, wanted = _property(event, "Configuration"), settings.configuration
    if carried != wanted and rollback and isinstance(carried, dict):
        # The function still has the new configuration, the event the previous one: flags only turn back on.
        wanted = {**wanted, **{flag: bool(wanted.get(flag)) or carried.get(flag) is True for flag in DATA_FLAGS}}
    elif carried != wanted:
        refused = (
            "refused, nothing changed: the configuration in the event is not the one this function was deployed with"
        )
        return Outcome(FAILED, refused, requested or NOT_CREATED)
    put = lambda: bedrock.put_model_invocation_logging_configuration(loggingConfig=wanted)  # noqa: E731
    return _call("PutModelInvocationLoggingConfiguration", put, PHYSICAL_RESOURCE_ID, sleep, "configuration put")


def apply_retention(event: Mapping[str, Any], settings: Settings, bedrock: Any, rollback: bool, sleep: Any) -> Outcome:
    requested = str(event.get("PhysicalResourceId") or RETENTION_ID)
    if event["RequestType"] == "Delete":
        return Outcome(SUCCESS, "data retention mode kept: a delete never changes it", requested)
    carried, mode = _property(event, "Mode"), str(settings.retention_mode)
    if carried != mode and rollback and carried in MODE_ORDER:
        mode = min(mode, carried, key=MODE_ORDER.index)  # the previous mode, if it retains less
    elif carried != mode:
        return Outcome(FAILED, "refused, nothing changed: the mode in the event is not this function's", requested)
    put = lambda: bedrock.put_account_data_retention(mode=mode)  # noqa: E731
    return _call("PutAccountDataRetention", put, RETENTION_ID, sleep, f"data retention mode {mode} put")


def apply_storage(event: Mapping[str, Any], settings: Settings, bedrock: Any, rollback: bool, sleep: Any) -> Outcome:
    requested = str(event.get("PhysicalResourceId") or STORAGE_ID)
    if event["RequestType"] == "Delete":
        return Outcome(SUCCESS, "retention storage kept: a delete never changes it", requested)
    if _property(event, "Storage") != settings.storage:
        if rollback:
            return Outcome(
                SUCCESS, "retention storage left as it is: a rollback never redirects retained data", requested
            )
        return Outcome(FAILED, "refused, nothing changed: the storage in the event is not this function's", requested)
    put = lambda: bedrock.put_account_data_retention_storage(**dict(settings.storage or {}))  # noqa: E731
    return _call("PutAccountDataRetentionStorage", put, STORAGE_ID, sleep, "retention storage put")


APPLY = {"logging": apply_logging, "retention": apply_retention, "storage": apply_storage}


def apply(
    event: Any,
    settings: Settings,
    bedrock: Any,
    cloudformation: Any,
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """Do what CloudFormation asks of one of the resources, if it is CloudFormation asking; never raises."""
    requested = str(event.get("PhysicalResourceId") or NOT_CREATED) if isinstance(event, dict) else NOT_CREATED
    try:
        reason = refusal(event, settings)
        if reason is not None:
            raise Refused(reason)
        stack_status = confirmed_stack_status(event, settings, cloudformation, sleep)
    except Exception as error:  # Refused, or the stack cannot be read: either way nobody is answered
        return Outcome(FAILED, f"refused, nothing changed, no answer sent: {error}", requested, answer=False)
    kind = settings.resources()[event["LogicalResourceId"]]
    return APPLY[kind](event, settings, bedrock, stack_status == "UPDATE_ROLLBACK_IN_PROGRESS", sleep)


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
    """PUT the response to the event's ResponseURL (an empty content type, as the pre-signed URL expects).
    urllib follows no redirect of a PUT, so the answer goes to that URL only."""
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


def handler(
    event: Any, context: Any, *, bedrock: Any = None, cloudformation: Any = None, opener: Any = None
) -> dict[str, str]:
    import boto3  # the Lambda runtime's

    settings = Settings.from_environment(os.environ)
    outcome = apply(
        event,
        settings,
        bedrock or boto3.client("bedrock"),
        cloudformation or boto3.client("cloudformation"),
    )
    print(json.dumps({"status": outcome.status, "reason": outcome.reason, "answered": outcome.answer}))
    if outcome.answer:
        respond(event, outcome, opener or urllib.request.urlopen)
    return {"Status": outcome.status, "Reason": outcome.reason}
