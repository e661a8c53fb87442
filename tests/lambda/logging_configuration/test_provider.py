"""The configuration provider applies its own stack's configuration and nothing else (moto's Bedrock).

Invoked directly, with another stack, another resource, another configuration or another API call, or while the
stack is not being deployed, it changes nothing and says why; CloudFormation's own Create and Update put the
configuration; Delete keeps or removes it as configured; every answer is a SUCCESS or FAILED response PUT to the
event's URL (a real HTTP server on 127.0.0.1 here), and only for events of its own stack.
"""

from __future__ import annotations

import ast
import json
from typing import Any

import index
import pytest

from tests.support.configuration_provider import (
    BUCKET,
    CODE_ROOT,
    LOGICAL_ID,
    STACK_ID,
    CloudFormation,
    Responses,
    configuration,
)

ATTACKER_BUCKET = "attacker-controlled-bucket"


def settings(keep: bool = True) -> index.Settings:
    return index.Settings(
        stack_id=STACK_ID, logical_resource_id=LOGICAL_ID, configuration=configuration(), keep_on_delete=keep
    )


def event(request: str = "Create", url: str = "https://example.invalid/r", **changes: Any) -> dict[str, Any]:
    """The event CloudFormation sends for the configuration resource, with `changes` applied."""
    base: dict[str, Any] = {
        "RequestType": request,
        "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:provider",
        "ResponseURL": url,
        "StackId": STACK_ID,
        "RequestId": "f6b3c1a8-0d1e-4b5f-9a3e-2c7d8e9f0a1b",
        "LogicalResourceId": LOGICAL_ID,
        "ResourceType": "Custom::BedrockModelInvocationLogging",
        "ResourceProperties": {"Configuration": json.dumps(configuration()), "KeepConfigurationOnDelete": "true"},
    }
    if request != "Create":
        base["PhysicalResourceId"] = index.PHYSICAL_RESOURCE_ID
    return {**base, **changes}


def current(bedrock: Any) -> dict[str, Any]:
    return dict(bedrock.get_model_invocation_logging_configuration().get("loggingConfig") or {})


def put_existing(bedrock: Any) -> dict[str, Any]:
    """The account already logs as deployed; a refused event must leave exactly this."""
    bedrock.put_model_invocation_logging_configuration(loggingConfig=configuration())
    return current(bedrock)


# CloudFormation's own requests


@pytest.mark.parametrize(
    ("request_type", "status"), [("Create", "CREATE_IN_PROGRESS"), ("Update", "UPDATE_IN_PROGRESS")]
)
def test_create_and_update_put_the_configuration_of_the_environment(
    bedrock: Any, request_type: str, status: str
) -> None:
    outcome = index.apply(event(request_type), settings(), bedrock, CloudFormation(status))
    assert (outcome.status, outcome.physical_resource_id) == ("SUCCESS", "bedrock-model-invocation-logging")
    assert current(bedrock) == configuration()


def test_delete_keeps_the_configuration_by_default(bedrock: Any) -> None:
    before = put_existing(bedrock)
    outcome = index.apply(event("Delete"), settings(keep=True), bedrock, CloudFormation("DELETE_IN_PROGRESS"))
    assert (outcome.status, outcome.reason) == ("SUCCESS", "configuration kept (KEEP_CONFIGURATION_ON_DELETE)")
    assert current(bedrock) == before


def test_delete_removes_the_configuration_when_asked(bedrock: Any) -> None:
    put_existing(bedrock)
    outcome = index.apply(event("Delete"), settings(keep=False), bedrock, CloudFormation("DELETE_IN_PROGRESS"))
    assert (outcome.status, outcome.reason) == ("SUCCESS", "configuration deleted")
    assert current(bedrock) == {}


def test_delete_after_a_failed_create_deletes_nothing(bedrock: Any) -> None:
    before = put_existing(bedrock)  # e.g. someone else's configuration the failed Create never replaced
    failed = event("Delete", PhysicalResourceId=index.NOT_CREATED)
    outcome = index.apply(failed, settings(keep=False), bedrock, CloudFormation("ROLLBACK_IN_PROGRESS"))
    assert outcome.status == "SUCCESS"
    assert current(bedrock) == before


def test_a_rollback_restores_the_previous_data_flags_to_the_same_destinations(bedrock: Any) -> None:
    previous = configuration(text=False)
    rollback = event("Update", ResourceProperties={"Configuration": json.dumps(previous)})
    outcome = index.apply(rollback, settings(), bedrock, CloudFormation("UPDATE_ROLLBACK_IN_PROGRESS"))
    assert outcome.status == "SUCCESS"
    assert current(bedrock) == previous


def test_a_rollback_never_redirects_the_logs(bedrock: Any) -> None:
    elsewhere = event("Update", ResourceProperties={"Configuration": json.dumps(configuration(ATTACKER_BUCKET))})
    outcome = index.apply(elsewhere, settings(), bedrock, CloudFormation("UPDATE_ROLLBACK_IN_PROGRESS"))
    assert outcome.status == "SUCCESS"
    assert current(bedrock) == configuration()  # the function's own, not the event's


# Direct invocations: nothing changes


FOREIGN = {
    "another-stack": event(StackId=STACK_ID.replace("ClaudeInvocationLogging", "Attacker")),
    "another-resource": event(LogicalResourceId="SomethingElse"),
    "another-configuration": event(ResourceProperties={"Configuration": json.dumps(configuration(ATTACKER_BUCKET))}),
    "no-configuration": event(ResourceProperties={}),
    # What the aws-cdk-lib AwsCustomResource provider would have executed.
    "another-api-call": {
        "RequestType": "Create",
        "StackId": STACK_ID,
        "LogicalResourceId": LOGICAL_ID,
        "ResourceProperties": {
            "Create": json.dumps({"service": "bedrock", "action": "DeleteModelInvocationLoggingConfiguration"})
        },
    },
    "unknown-request-type": event("Invoke"),
    "not-an-event": ["Delete"],
}


@pytest.mark.parametrize("foreign", FOREIGN.values(), ids=FOREIGN.keys())
def test_a_direct_invocation_with_foreign_parameters_changes_nothing(bedrock: Any, foreign: Any) -> None:
    before = put_existing(bedrock)
    outcome = index.apply(foreign, settings(keep=False), bedrock, CloudFormation("UPDATE_IN_PROGRESS"))
    assert outcome.status == "FAILED"
    assert outcome.reason.startswith("refused, nothing changed: ")
    assert current(bedrock) == before


@pytest.mark.parametrize("request_type", ["Create", "Update", "Delete"])
def test_its_own_request_outside_a_deployment_changes_nothing(bedrock: Any, request_type: str) -> None:
    before = put_existing(bedrock)
    stack = CloudFormation("UPDATE_COMPLETE")
    outcome = index.apply(event(request_type), settings(keep=False), bedrock, stack)
    assert (outcome.status, outcome.reason) == (
        "FAILED",
        "refused, nothing changed: stack is UPDATE_COMPLETE, not being deployed",
    )
    assert current(bedrock) == before
    assert stack.calls == [STACK_ID]


class Refusing:
    """A Bedrock client that refuses the Put `failures` times with `message`, then stores it."""

    def __init__(self, message: str, failures: int) -> None:
        self.message, self.failures, self.calls = message, failures, 0

    def put_model_invocation_logging_configuration(self, **_: Any) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise RuntimeError(self.message)


def test_a_failed_bedrock_call_is_a_failed_response_with_the_reason() -> None:
    slept: list[float] = []
    bedrock = Refusing("ValidationException: The log group does not exist", failures=99)
    outcome = index.apply(event("Create"), settings(), bedrock, CloudFormation("CREATE_IN_PROGRESS"), slept.append)
    assert outcome.status == "FAILED"
    assert (
        outcome.reason
        == "PutModelInvocationLoggingConfiguration failed: ValidationException: The log group does not exist"
    )
    assert outcome.physical_resource_id == index.NOT_CREATED
    assert (bedrock.calls, slept) == (1, [])  # not a reason that passes with time: no retry


def test_a_role_not_yet_usable_is_retried_until_bedrock_accepts_it() -> None:
    """Bedrock validates the delivery role when the configuration is put; a role created in the same deployment
    may not be usable yet ("Failed to validate permissions"), which passes with time."""
    slept: list[float] = []
    message = "ValidationException: Failed to validate permissions for log group: x, with role: y"
    bedrock = Refusing(message, failures=2)
    outcome = index.apply(event("Create"), settings(), bedrock, CloudFormation("CREATE_IN_PROGRESS"), slept.append)
    assert (outcome.status, bedrock.calls, slept) == ("SUCCESS", 3, [5, 10])
    bedrock = Refusing(message, failures=99)
    outcome = index.apply(event("Create"), settings(), bedrock, CloudFormation("CREATE_IN_PROGRESS"), slept.append)
    assert outcome.status == "FAILED" and bedrock.calls == len(index.RETRY_DELAYS) + 1


# The handler over HTTP: the response CloudFormation reads


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACK_ID", STACK_ID)
    monkeypatch.setenv("LOGICAL_RESOURCE_ID", LOGICAL_ID)
    monkeypatch.setenv("LOGGING_CONFIGURATION", json.dumps(configuration()))
    monkeypatch.setenv("KEEP_CONFIGURATION_ON_DELETE", "true")


@pytest.mark.usefixtures("environment")
def test_the_handler_puts_a_success_response_to_the_presigned_url(bedrock: Any, responses: Responses) -> None:
    sent = event("Create", url=responses.url)
    result = index.handler(sent, None, bedrock=bedrock, cloudformation=CloudFormation("CREATE_IN_PROGRESS"))
    assert result == {"Status": "SUCCESS", "Reason": "configuration put"}
    assert responses.received == [
        {
            "Status": "SUCCESS",
            "Reason": "configuration put",
            "PhysicalResourceId": "bedrock-model-invocation-logging",
            "StackId": STACK_ID,
            "RequestId": sent["RequestId"],
            "LogicalResourceId": LOGICAL_ID,
            "NoEcho": False,
            "Data": {},
        }
    ]
    # The pre-signed URL is signed for an empty content type.
    assert responses.headers[0].get("content-type", "") == ""
    assert current(bedrock)["s3Config"]["bucketName"] == BUCKET


@pytest.mark.usefixtures("environment")
def test_the_handler_answers_failed_with_the_reason(bedrock: Any, responses: Responses) -> None:
    forged = event("Update", url=responses.url, LogicalResourceId="SomethingElse")
    result = index.handler(forged, None, bedrock=bedrock, cloudformation=CloudFormation("UPDATE_IN_PROGRESS"))
    assert result["Status"] == "FAILED"
    [response] = responses.received
    assert (response["Status"], response["LogicalResourceId"]) == ("FAILED", "SomethingElse")
    assert "this function serves only" in response["Reason"]
    assert current(bedrock) == {}


@pytest.mark.usefixtures("environment")
def test_the_handler_never_answers_a_url_from_another_stacks_event(bedrock: Any, responses: Responses) -> None:
    stranger = event("Create", url=responses.url, StackId=STACK_ID.replace("ClaudeInvocationLogging", "Other"))
    result = index.handler(stranger, None, bedrock=bedrock, cloudformation=CloudFormation("CREATE_IN_PROGRESS"))
    assert result["Status"] == "FAILED"
    assert responses.received == []
    assert current(bedrock) == {}


def test_an_unreachable_response_url_is_an_error_after_retries() -> None:
    attempts: list[str] = []

    def opener(request: Any, timeout: int) -> Any:
        attempts.append(request.get_method())
        raise OSError("connection refused")

    with pytest.raises(RuntimeError, match="could not send the response to CloudFormation: connection refused"):
        index.respond(event(), index.Outcome("SUCCESS", "configuration put", "x"), opener)
    assert attempts == ["PUT", "PUT", "PUT"]


# The code itself: inline-able


def test_the_code_imports_only_the_standard_library_and_boto3() -> None:
    """It is inlined into the template (Code.ZipFile): nothing can be packaged with it."""
    tree = ast.parse((CODE_ROOT / "index.py").read_text())
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported == {"__future__", "json", "os", "time", "urllib", "collections", "dataclasses", "typing", "boto3"}
