"""The provider applies its own stack's settings and nothing else (moto's Bedrock for logging; the data retention
stand-in, validated against botocore's model, for the mode and the storage).

CloudFormation's own Create, Update and Delete of each resource do what the template asks. Every event that is not
CloudFormation operating on that resource (another stack, resource, setting or API call; a foreign response URL; a
resource or stack status that does not match the request) changes nothing and is answered to nobody. A rollback never
narrows logging, relaxes the retention mode or redirects retained data; a Delete removes the logging configuration
only when the template asks and the resource is being deleted. Answers travel as an HTTPS PUT to the event's
pre-signed URL (carried to a real HTTP server on 127.0.0.1 here).
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
    RETENTION_LOGICAL_ID,
    STACK_ID,
    STORAGE_LOGICAL_ID,
    CloudFormation,
    Responses,
    configuration,
    customer_storage,
    response_url,
)

ATTACKER_BUCKET = "attacker-controlled-bucket"
TYPES = {
    LOGICAL_ID: "Custom::BedrockModelInvocationLogging",
    RETENTION_LOGICAL_ID: "Custom::BedrockDataRetention",
    STORAGE_LOGICAL_ID: "Custom::BedrockDataRetentionStorage",
}
PHYSICAL = {
    LOGICAL_ID: index.PHYSICAL_RESOURCE_ID,
    RETENTION_LOGICAL_ID: index.RETENTION_ID,
    STORAGE_LOGICAL_ID: index.STORAGE_ID,
}


def settings(keep: bool = True, mode: str = "none") -> index.Settings:
    return index.Settings(
        stack_id=STACK_ID,
        logical_resource_id=LOGICAL_ID,
        configuration=configuration(),
        keep_on_delete=keep,
        retention_resource_id=RETENTION_LOGICAL_ID,
        retention_mode=mode,
        storage_resource_id=STORAGE_LOGICAL_ID,
        storage=customer_storage(),
    )


def properties(logical_id: str, keep: bool = True, mode: str = "none") -> dict[str, Any]:
    """The resource's properties as the template gives them (strings, as CloudFormation passes them)."""
    if logical_id == RETENTION_LOGICAL_ID:
        return {"Mode": mode}
    if logical_id == STORAGE_LOGICAL_ID:
        return {"Storage": json.dumps(customer_storage())}
    return {"Configuration": json.dumps(configuration()), "KeepConfigurationOnDelete": json.dumps(keep)}


def event(request: str = "Create", logical_id: str = LOGICAL_ID, **changes: Any) -> dict[str, Any]:
    """The event CloudFormation sends for one of the provider's resources, with `changes` applied."""
    base: dict[str, Any] = {
        "RequestType": request,
        "ServiceToken": f"arn:aws:lambda:us-east-1:{STACK_ID.split(':')[4]}:function:provider",
        "ResponseURL": response_url(logical_id=logical_id),
        "StackId": STACK_ID,
        "RequestId": "f6b3c1a8-0d1e-4b5f-9a3e-2c7d8e9f0a1b",
        "LogicalResourceId": logical_id,
        "ResourceType": TYPES.get(logical_id, "Custom::Unknown"),
        "ResourceProperties": properties(logical_id),
    }
    if request != "Create":
        base["PhysicalResourceId"] = PHYSICAL.get(logical_id, "unknown")
    return {**base, **changes}


def current(bedrock: Any) -> dict[str, Any]:
    return dict(bedrock.get_model_invocation_logging_configuration().get("loggingConfig") or {})


def deployed(bedrock: Any) -> dict[str, Any]:
    """The account as deployed: logging, zero retention, customer-managed storage. A refused event leaves this."""
    bedrock.put_model_invocation_logging_configuration(loggingConfig=configuration())
    bedrock.retention.mode = "none"
    bedrock.retention.storage = {"anthropic": {k: v for k, v in customer_storage().items() if k != "modelProvider"}}
    return state(bedrock)


def state(bedrock: Any) -> dict[str, Any]:
    return {"logging": current(bedrock), "mode": bedrock.retention.mode, "storage": dict(bedrock.retention.storage)}


# CloudFormation's own requests: the logging configuration


@pytest.mark.parametrize(
    ("request_type", "status"), [("Create", "CREATE_IN_PROGRESS"), ("Update", "UPDATE_IN_PROGRESS")]
)
def test_create_and_update_put_the_configuration_of_the_environment(
    bedrock: Any, request_type: str, status: str
) -> None:
    cloudformation = CloudFormation(status)
    outcome = index.apply(event(request_type), settings(), bedrock, cloudformation)
    assert (outcome.status, outcome.physical_resource_id, outcome.answer) == (
        "SUCCESS",
        "bedrock-model-invocation-logging",
        True,
    )
    assert current(bedrock) == configuration()
    # It looked at its own stack and at the resource the event names, nothing else.
    assert cloudformation.calls == [STACK_ID, f"{STACK_ID}|{LOGICAL_ID}"]


def test_a_new_resource_in_an_update_of_the_stack_is_created(bedrock: Any) -> None:
    cloudformation = CloudFormation("UPDATE_IN_PROGRESS", resource_status="CREATE_IN_PROGRESS")
    assert index.apply(event("Create"), settings(), bedrock, cloudformation).status == "SUCCESS"
    assert current(bedrock) == configuration()


def test_delete_keeps_the_configuration_by_default(bedrock: Any) -> None:
    before = deployed(bedrock)
    outcome = index.apply(event("Delete"), settings(keep=True), bedrock, CloudFormation("DELETE_IN_PROGRESS"))
    assert (outcome.status, outcome.reason) == ("SUCCESS", "configuration kept (KEEP_CONFIGURATION_ON_DELETE)")
    assert state(bedrock) == before


def test_delete_removes_the_configuration_when_the_template_asks(bedrock: Any) -> None:
    deployed(bedrock)
    delete = event("Delete", ResourceProperties=properties(LOGICAL_ID, keep=False))
    outcome = index.apply(delete, settings(keep=False), bedrock, CloudFormation("DELETE_IN_PROGRESS"))
    assert (outcome.status, outcome.reason) == ("SUCCESS", "configuration deleted")
    assert current(bedrock) == {}


def test_delete_keeps_the_configuration_unless_the_event_asks_too(bedrock: Any) -> None:
    """The function's environment says delete, the event's properties say keep: kept."""
    before = deployed(bedrock)
    outcome = index.apply(event("Delete"), settings(keep=False), bedrock, CloudFormation("DELETE_IN_PROGRESS"))
    assert outcome.reason == "configuration kept (KEEP_CONFIGURATION_ON_DELETE)"
    assert state(bedrock) == before


def test_delete_after_a_failed_create_deletes_nothing(bedrock: Any) -> None:
    before = deployed(bedrock)  # e.g. someone else's configuration the failed Create never replaced
    failed = event("Delete", PhysicalResourceId=index.NOT_CREATED, ResourceProperties=properties(LOGICAL_ID, False))
    outcome = index.apply(failed, settings(keep=False), bedrock, CloudFormation("ROLLBACK_IN_PROGRESS"))
    assert outcome.status == "SUCCESS"
    assert state(bedrock) == before


def test_a_rollback_turns_back_on_the_flags_the_failed_update_turned_off(bedrock: Any) -> None:
    """The update turned text off (the function's new environment); its rollback carries the previous flags."""
    bedrock.put_model_invocation_logging_configuration(loggingConfig=configuration(text=False))
    rollback = event("Update", ResourceProperties={"Configuration": json.dumps(configuration())})
    new = index.Settings(
        stack_id=STACK_ID, logical_resource_id=LOGICAL_ID, configuration=configuration(text=False), keep_on_delete=True
    )
    outcome = index.apply(rollback, new, bedrock, CloudFormation("UPDATE_ROLLBACK_IN_PROGRESS"))
    assert outcome.status == "SUCCESS"
    assert current(bedrock) == configuration()


def test_a_rollback_never_redirects_the_logs(bedrock: Any) -> None:
    elsewhere = event("Update", ResourceProperties={"Configuration": json.dumps(configuration(ATTACKER_BUCKET))})
    outcome = index.apply(elsewhere, settings(), bedrock, CloudFormation("UPDATE_ROLLBACK_IN_PROGRESS"))
    assert outcome.status == "SUCCESS"
    assert current(bedrock) == configuration()  # the function's own, not the event's


# CloudFormation's own requests: the data retention mode and the retention storage


@pytest.mark.parametrize(
    ("request_type", "status"), [("Create", "CREATE_IN_PROGRESS"), ("Update", "UPDATE_IN_PROGRESS")]
)
def test_create_and_update_put_the_mode_and_the_storage_of_the_environment(
    bedrock: Any, request_type: str, status: str
) -> None:
    mode = index.apply(event(request_type, RETENTION_LOGICAL_ID), settings(), bedrock, CloudFormation(status))
    assert (mode.status, mode.reason, mode.physical_resource_id) == (
        "SUCCESS",
        "data retention mode none put",
        "bedrock-data-retention",
    )
    storage = index.apply(event(request_type, STORAGE_LOGICAL_ID), settings(), bedrock, CloudFormation(status))
    assert (storage.status, storage.physical_resource_id) == ("SUCCESS", "bedrock-data-retention-storage")
    assert state(bedrock)["mode"] == "none"
    assert state(bedrock)["storage"] == {
        "anthropic": {k: v for k, v in customer_storage().items() if k != "modelProvider"}
    }
    assert bedrock.retention.calls == ["put_account_data_retention", "put_account_data_retention_storage"]


@pytest.mark.parametrize("logical_id", [RETENTION_LOGICAL_ID, STORAGE_LOGICAL_ID])
def test_deleting_a_retention_resource_changes_nothing(bedrock: Any, logical_id: str) -> None:
    before = deployed(bedrock)
    outcome = index.apply(event("Delete", logical_id), settings(), bedrock, CloudFormation("DELETE_IN_PROGRESS"))
    assert outcome.status == "SUCCESS"
    assert outcome.reason.endswith("kept: a delete never changes it")
    assert state(bedrock) == before
    assert bedrock.retention.calls == []


def test_a_rollback_restores_a_stricter_mode_and_never_a_looser_one(bedrock: Any) -> None:
    rolling_back = CloudFormation("UPDATE_ROLLBACK_IN_PROGRESS")
    # The update relaxed none to aws_review; rolling back to none is stricter: restored.
    relaxed = settings(mode="aws_review")
    back = event("Update", RETENTION_LOGICAL_ID, ResourceProperties={"Mode": "none"})
    assert index.apply(back, relaxed, bedrock, rolling_back).reason == "data retention mode none put"
    assert bedrock.retention.mode == "none"
    # The update tightened aws_review to none; a rollback to aws_review would relax it: none stays.
    looser = event("Update", RETENTION_LOGICAL_ID, ResourceProperties={"Mode": "aws_review"})
    assert index.apply(looser, settings(mode="none"), bedrock, rolling_back).reason == "data retention mode none put"
    assert bedrock.retention.mode == "none"


def test_a_rollback_never_redirects_retained_data(bedrock: Any) -> None:
    before = deployed(bedrock)
    elsewhere = {**customer_storage(), "storageConfiguration": {**customer_storage()["storageConfiguration"]}}
    elsewhere["storageConfiguration"]["s3BucketArn"] = f"arn:aws:s3:::{ATTACKER_BUCKET}"
    rollback = event("Update", STORAGE_LOGICAL_ID, ResourceProperties={"Storage": json.dumps(elsewhere)})
    outcome = index.apply(rollback, settings(), bedrock, CloudFormation("UPDATE_ROLLBACK_IN_PROGRESS"))
    assert (outcome.status, outcome.reason) == (
        "SUCCESS",
        "retention storage left as it is: a rollback never redirects retained data",
    )
    assert state(bedrock) == before


# Forged events: nothing changes, nothing is sent


def foreign_events() -> dict[str, Any]:
    return {
        "another-stack": event(StackId=STACK_ID.replace("ClaudeInvocationLogging", "Attacker")),
        "another-resource": event(LogicalResourceId="SomethingElse"),
        "another-configuration": event(
            ResourceProperties={"Configuration": json.dumps(configuration(ATTACKER_BUCKET))}
        ),
        "no-configuration": event(ResourceProperties={}),
        "another-mode": event("Update", RETENTION_LOGICAL_ID, ResourceProperties={"Mode": "provider_data_share"}),
        "another-storage": event("Update", STORAGE_LOGICAL_ID, ResourceProperties={"Storage": "{}"}),
        # What the aws-cdk-lib AwsCustomResource provider would have executed.
        "another-api-call": {
            "RequestType": "Create",
            "StackId": STACK_ID,
            "LogicalResourceId": LOGICAL_ID,
            "ResponseURL": response_url(),
            "ResourceProperties": {
                "Create": json.dumps({"service": "bedrock", "action": "DeleteModelInvocationLoggingConfiguration"})
            },
        },
        "unknown-request-type": event("Invoke"),
        "not-an-event": ["Delete"],
    }


@pytest.mark.parametrize("name", foreign_events())
def test_a_direct_invocation_with_foreign_parameters_changes_nothing(bedrock: Any, name: str) -> None:
    before = deployed(bedrock)
    outcome = index.apply(foreign_events()[name], settings(keep=False), bedrock, CloudFormation("UPDATE_IN_PROGRESS"))
    assert outcome.status == "FAILED"
    assert outcome.reason.startswith("refused, nothing changed")
    assert state(bedrock) == before


@pytest.mark.parametrize("logical_id", [LOGICAL_ID, RETENTION_LOGICAL_ID, STORAGE_LOGICAL_ID])
@pytest.mark.parametrize("request_type", ["Create", "Update", "Delete"])
def test_its_own_request_while_the_stack_is_idle_changes_nothing_and_sends_nothing(
    bedrock: Any, responses: Responses, request_type: str, logical_id: str, environment: None
) -> None:
    before = deployed(bedrock)
    stack = CloudFormation("UPDATE_COMPLETE")
    sent = event(request_type, logical_id)
    if logical_id == LOGICAL_ID:
        sent["ResourceProperties"] = properties(LOGICAL_ID, keep=False)
    result = index.handler(sent, None, bedrock=bedrock, cloudformation=stack, opener=responses.opener)
    assert result == {
        "Status": "FAILED",
        "Reason": f"refused, nothing changed, no answer sent: stack is UPDATE_COMPLETE, not in an operation that "
        f"sends a {request_type}",
    }
    assert state(bedrock) == before
    assert (responses.sent_to, responses.received) == ([], [])


UNRELATED_RESOURCE = f"resource {LOGICAL_ID} is UPDATE_COMPLETE, not DELETE_IN_PROGRESS"


@pytest.mark.parametrize(
    ("stack_status", "why"),
    [
        ("UPDATE_IN_PROGRESS", "stack is UPDATE_IN_PROGRESS, not in an operation that sends a Delete"),
        ("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", UNRELATED_RESOURCE),
        ("UPDATE_ROLLBACK_IN_PROGRESS", UNRELATED_RESOURCE),
        ("DELETE_IN_PROGRESS", UNRELATED_RESOURCE),
    ],
)
def test_a_delete_during_an_unrelated_update_changes_nothing_and_sends_nothing(
    bedrock: Any, responses: Responses, stack_status: str, why: str, environment: None
) -> None:
    """The stack is being updated, cleaned up after an update, rolled back (or even deleted), but not this
    resource: it is UPDATE_COMPLETE. Even with the configuration deleted on delete (template and environment),
    nothing is deleted."""
    before = deployed(bedrock)
    forged = event("Delete", ResourceProperties=properties(LOGICAL_ID, keep=False))
    stack = CloudFormation(stack_status, resource_status="UPDATE_COMPLETE")
    result = index.handler(forged, None, bedrock=bedrock, cloudformation=stack, opener=responses.opener)
    assert result["Reason"] == f"refused, nothing changed, no answer sent: {why}"
    assert state(bedrock) == before
    assert responses.sent_to == []


def test_narrowed_flags_or_a_looser_mode_during_a_rollback_change_nothing(
    bedrock: Any, responses: Responses, environment: None
) -> None:
    """During a rollback of another change (this resource UPDATE_COMPLETE): refused, unanswered. During the
    rollback of this resource (UPDATE_IN_PROGRESS): logging is never narrowed, the mode never relaxed."""
    before = deployed(bedrock)
    narrowed = configuration(text=False, image=False)
    forged = event("Update", ResourceProperties={"Configuration": json.dumps(narrowed)})
    looser = event("Update", RETENTION_LOGICAL_ID, ResourceProperties={"Mode": "provider_data_share"})
    unrelated = CloudFormation("UPDATE_ROLLBACK_IN_PROGRESS", resource_status="UPDATE_COMPLETE")
    for sent in (forged, looser):
        result = index.handler(sent, None, bedrock=bedrock, cloudformation=unrelated, opener=responses.opener)
        assert result["Status"] == "FAILED"
    assert (state(bedrock), responses.sent_to) == (before, [])

    own = CloudFormation("UPDATE_ROLLBACK_IN_PROGRESS", resource_status="UPDATE_IN_PROGRESS")
    for sent in (forged, looser):
        assert index.handler(sent, None, bedrock=bedrock, cloudformation=own, opener=responses.opener)["Status"] == (
            "SUCCESS"
        )
    assert state(bedrock) == before  # the same flags, the same mode


FOREIGN_URLS = {
    "instance-metadata": "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "plain-http": response_url().replace("https://", "http://"),
    "an-ip-address": "https://203.0.113.10/response",
    "another-host": "https://attacker.example.com/cloudformation-custom-resource-response-useast1",
    "another-regions-bucket": response_url(region="eu-west-1"),
    "lookalike-host": response_url().replace(".amazonaws.com/", ".amazonaws.com.attacker.example/"),
    "another-port": response_url().replace(".amazonaws.com/", ".amazonaws.com:8443/"),
    "credentials-in-url": response_url().replace("https://", "https://user:secret@"),
    "not-a-url": 42,
}


@pytest.mark.parametrize("name", FOREIGN_URLS)
def test_a_foreign_response_url_changes_nothing_and_is_never_called(
    bedrock: Any, responses: Responses, name: str, environment: None
) -> None:
    """Even a request CloudFormation really is making (resource and stack in progress) is refused whole when its
    URL is not CloudFormation's: a genuine event always carries CloudFormation's."""
    forged = event("Update", ResponseURL=FOREIGN_URLS[name])
    result = index.handler(
        forged, None, bedrock=bedrock, cloudformation=CloudFormation("UPDATE_IN_PROGRESS"), opener=responses.opener
    )
    assert result["Status"] == "FAILED"
    assert "response URL" in result["Reason"]
    assert current(bedrock) == {}
    assert responses.sent_to == []


@pytest.mark.parametrize(
    "host",
    [
        "cloudformation-custom-resource-response-useast1.s3.amazonaws.com",
        "cloudformation-custom-resource-response-useast1.s3.us-east-1.amazonaws.com",
        "cloudformation-custom-resource-response-useast1.s3-us-east-1.amazonaws.com",
    ],
)
def test_cloudformations_response_hosts_are_accepted(host: str) -> None:
    """The host forms seen in CloudFormation's events (research notes J: global, dot-Region and dash-Region S3
    endpoints of the bucket cloudformation-custom-resource-response-<Region without dashes>)."""
    assert index.response_url_refusal(f"https://{host}/arn%3Aaws%3Acloudformation?X-Amz-Signature=a", STACK_ID) is None


# Failures of Bedrock


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
    assert (outcome.status, outcome.answer) == ("FAILED", True)
    assert (
        outcome.reason
        == "PutModelInvocationLoggingConfiguration failed: ValidationException: The log group does not exist"
    )
    assert outcome.physical_resource_id == index.PHYSICAL_RESOURCE_ID
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


def test_an_unreadable_stack_is_a_refusal_without_answer() -> None:
    class Unreadable(CloudFormation):
        def describe_stacks(self, *, StackName: str) -> dict[str, Any]:
            raise RuntimeError("AccessDenied: not authorized to perform cloudformation:DescribeStacks")

    outcome = index.apply(event(), settings(), None, Unreadable("CREATE_IN_PROGRESS"), lambda _: None)
    assert (outcome.status, outcome.answer) == ("FAILED", False)
    assert "AccessDenied" in outcome.reason


# The handler over HTTP: the response CloudFormation reads


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACK_ID", STACK_ID)
    monkeypatch.setenv("LOGICAL_RESOURCE_ID", LOGICAL_ID)
    monkeypatch.setenv("LOGGING_CONFIGURATION", json.dumps(configuration()))
    monkeypatch.setenv("KEEP_CONFIGURATION_ON_DELETE", "false")
    monkeypatch.setenv("DATA_RETENTION_RESOURCE_ID", RETENTION_LOGICAL_ID)
    monkeypatch.setenv("DATA_RETENTION_MODE", "none")
    monkeypatch.setenv("RETENTION_STORAGE_RESOURCE_ID", STORAGE_LOGICAL_ID)
    monkeypatch.setenv("RETENTION_STORAGE", json.dumps(customer_storage()))


@pytest.mark.usefixtures("environment")
def test_the_handler_puts_a_success_response_to_the_presigned_url(bedrock: Any, responses: Responses) -> None:
    sent = event("Create")
    cloudformation = CloudFormation("CREATE_IN_PROGRESS")
    result = index.handler(sent, None, bedrock=bedrock, cloudformation=cloudformation, opener=responses.opener)
    assert result == {"Status": "SUCCESS", "Reason": "configuration put"}
    assert responses.sent_to == [sent["ResponseURL"]]
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
def test_a_genuine_request_that_fails_is_answered_failed_with_the_reason(responses: Responses) -> None:
    sent = event("Update")
    cloudformation = CloudFormation("UPDATE_IN_PROGRESS")
    refusing = Refusing("ValidationException: the log bucket's policy does not let Bedrock write", failures=99)
    result = index.handler(sent, None, bedrock=refusing, cloudformation=cloudformation, opener=responses.opener)
    assert result["Status"] == "FAILED"
    [response] = responses.received
    assert (response["Status"], response["LogicalResourceId"]) == ("FAILED", LOGICAL_ID)
    assert response["Reason"] == (
        "PutModelInvocationLoggingConfiguration failed: ValidationException: the log bucket's policy does not let "
        "Bedrock write"
    )


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
