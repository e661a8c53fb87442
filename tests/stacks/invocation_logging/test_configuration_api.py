"""The Bedrock call the template makes is one the Bedrock API accepts, and it stores what was sent.

The custom resource keeps each SDK call as a JSON string in its Create/Update/Delete property, with
CloudFormation tokens (Ref, Fn::GetAtt, Fn::Join, Fn::Select, Fn::Split) where deployment values go.
Here the tokens are resolved to sample values, the call is made with boto3's `bedrock` client (botocore
validates every field name and type against the service model before sending) against moto, and the
stored configuration is read back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.exceptions import ParamValidationError
from moto import mock_aws

from tests.support.project import SAMPLE_ACCOUNT
from tests.support.synth import Synth

REGION = "us-east-1"
STACK_NAME = "ClaudeInvocationLogging-us-east-1"
STACK_UUID = "51af3dc0-da77-11e4-872e-1234567db123"
BUCKET_NAME = "claudeinvocationlogging-invocationlogbucket-1a2b3c4d5e6f"
ROLE_NAME = "ClaudeInvocationLogging-us-LoggingDeliveryRole-7G8H9I0J"
CONFIGURATION_TYPE = "Custom::BedrockModelInvocationLogging"


class Resolver:
    """Resolves the intrinsic functions of one template to the values CloudFormation would give."""

    def __init__(self, template: dict[str, Any]) -> None:
        self.resources: dict[str, Any] = template["Resources"]
        self.pseudo = {
            "AWS::AccountId": SAMPLE_ACCOUNT,
            "AWS::Region": REGION,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": STACK_NAME,
            "AWS::StackId": f"arn:aws:cloudformation:{REGION}:{SAMPLE_ACCOUNT}:stack/{STACK_NAME}/{STACK_UUID}",
        }

    def ref(self, name: str) -> str:
        if name in self.pseudo:
            return self.pseudo[name]
        resource = self.resources[name]
        if resource["Type"] == "AWS::S3::Bucket":
            return BUCKET_NAME
        if resource["Type"] == "AWS::Logs::LogGroup":
            return str(self.resolve(resource["Properties"]["LogGroupName"]))
        if resource["Type"] == "AWS::IAM::Role":
            return ROLE_NAME
        raise AssertionError(f"no sample value for Ref {name} ({resource['Type']})")

    def get_att(self, name: str, attribute: str) -> str:
        resource = self.resources[name]
        if (resource["Type"], attribute) == ("AWS::IAM::Role", "Arn"):
            return f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/{ROLE_NAME}"
        if (resource["Type"], attribute) == ("AWS::S3::Bucket", "Arn"):
            return f"arn:aws:s3:::{BUCKET_NAME}"
        if (resource["Type"], attribute) == ("AWS::Logs::LogGroup", "Arn"):
            return f"arn:aws:logs:{REGION}:{SAMPLE_ACCOUNT}:log-group:{self.ref(name)}:*"
        raise AssertionError(f"no sample value for GetAtt {name}.{attribute} ({resource['Type']})")

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((function, argument),) = value.items()
            if function == "Ref":
                return self.ref(argument)
            if function == "Fn::GetAtt":
                return self.get_att(*argument)
            if function == "Fn::Join":
                separator, parts = argument
                return separator.join(str(self.resolve(part)) for part in parts)
            if function == "Fn::Split":
                separator, text = argument
                return str(self.resolve(text)).split(separator)
            if function == "Fn::Select":
                index, items = argument
                return self.resolve(items)[int(index)]
            assert not function.startswith("Fn::"), f"unhandled intrinsic {function}"
        return {key: self.resolve(item) for key, item in value.items()}


def sdk_calls(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Create/Update/Delete calls of the logging configuration, with every token resolved."""
    resolver = Resolver(template)
    (resource,) = [r for r in template["Resources"].values() if r["Type"] == CONFIGURATION_TYPE]
    calls = {}
    for event in ("Create", "Update", "Delete"):
        if event in resource["Properties"]:
            calls[event] = json.loads(resolver.resolve(resource["Properties"][event]))
    return calls


def call(client: Any, sdk_call: dict[str, Any]) -> dict[str, Any]:
    """Make the call as the AwsCustomResource handler would: service and action name the client and operation."""
    assert sdk_call["service"] == client.meta.service_model.service_name
    operation = sdk_call["action"]
    assert operation in client.meta.service_model.operation_names
    result: dict[str, Any] = getattr(client, xform_name(operation))(**sdk_call.get("parameters", {}))
    return result


@pytest.fixture
def bedrock() -> Iterator[Any]:
    with mock_aws():
        # The destinations exist, as they do when the custom resource runs (it depends on them).
        boto3.client("s3", region_name=REGION).create_bucket(Bucket=BUCKET_NAME)
        boto3.client("iam", region_name=REGION).create_role(RoleName=ROLE_NAME, AssumeRolePolicyDocument="{}")
        yield boto3.client("bedrock", region_name=REGION)


@pytest.fixture(scope="module")
def calls(default_synth: Synth) -> dict[str, dict[str, Any]]:
    return sdk_calls(default_synth.templates[STACK_NAME])


def test_create_and_update_are_the_same_put(calls: dict[str, dict[str, Any]]) -> None:
    assert set(calls) == {"Create", "Update"}
    assert calls["Create"] == calls["Update"]


def test_resolved_parameters_name_the_sample_destinations(calls: dict[str, dict[str, Any]]) -> None:
    config = calls["Create"]["parameters"]["loggingConfig"]
    assert config["s3Config"] == {"bucketName": BUCKET_NAME, "keyPrefix": "invocation-logs"}
    assert config["cloudWatchConfig"] == {
        "logGroupName": f"/aws/bedrock/model-invocations/{STACK_NAME}/{STACK_UUID}",
        "roleArn": f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/{ROLE_NAME}",
        "largeDataDeliveryS3Config": {"bucketName": BUCKET_NAME, "keyPrefix": "large-payloads"},
    }


@pytest.mark.parametrize("event", ["Create", "Update"])
def test_bedrock_accepts_and_stores_the_configuration(
    bedrock: Any, logs_group: None, calls: dict[str, dict[str, Any]], event: str
) -> None:
    sent = calls[event]["parameters"]["loggingConfig"]
    call(bedrock, calls[event])
    stored = bedrock.get_model_invocation_logging_configuration()["loggingConfig"]
    assert stored == sent


@pytest.fixture
def logs_group(bedrock: Any, calls: dict[str, dict[str, Any]]) -> None:
    name = calls["Create"]["parameters"]["loggingConfig"]["cloudWatchConfig"]["logGroupName"]
    boto3.client("logs", region_name=REGION).create_log_group(logGroupName=name)


def test_a_wrong_field_name_is_refused_before_sending(bedrock: Any, calls: dict[str, dict[str, Any]]) -> None:
    """The round trip can fail: botocore rejects a field the Bedrock service model does not have."""
    wrong = json.loads(json.dumps(calls["Create"]))
    config = wrong["parameters"]["loggingConfig"]
    config["s3Config"]["prefix"] = config["s3Config"].pop("keyPrefix")
    with pytest.raises(ParamValidationError, match="prefix"):
        call(bedrock, wrong)
    wrong = json.loads(json.dumps(calls["Create"]))
    wrong["parameters"]["loggingConfig"]["textDataDeliveryEnabled"] = "true"
    with pytest.raises(ParamValidationError, match="textDataDeliveryEnabled"):
        call(bedrock, wrong)


def test_delete_removes_the_stored_configuration(bedrock: Any, logging_options_synth: Synth) -> None:
    """With log_keep_configuration_on_delete=false the stack's Delete call is a real Bedrock operation."""
    deleting = sdk_calls(logging_options_synth.templates[STACK_NAME])
    assert set(deleting) == {"Create", "Update", "Delete"}
    sent = deleting["Create"]["parameters"]["loggingConfig"]
    boto3.client("logs", region_name=REGION).create_log_group(logGroupName=sent["cloudWatchConfig"]["logGroupName"])

    call(bedrock, deleting["Create"])
    assert bedrock.get_model_invocation_logging_configuration()["loggingConfig"] == sent
    call(bedrock, deleting["Delete"])
    assert bedrock.get_model_invocation_logging_configuration().get("loggingConfig", {}) == {}
