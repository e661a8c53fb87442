"""The provider, deployed as the template deploys it, applies settings the Bedrock API accepts.

The provider function's environment and the resources' properties are resolved to sample values
(tests/support/cfn_values.py); the provider's own code (`lambda/logging_configuration/index.py`, inlined into the
template) then handles CloudFormation's Create, Update and Delete events against moto's Bedrock for the logging
configuration and the data retention stand-in for the mode and the storage, through real botocore clients (botocore
validates every field name and type against the service model before sending).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ParamValidationError
from moto import mock_aws

from tests.support.cfn_values import CfnValues
from tests.support.configuration_provider import CODE_ROOT, Bedrock, CloudFormation, response_url
from tests.support.fake_account import fake_credentials_session
from tests.support.logical_ids import CONFIGURATION_RESOURCE, PROVIDER_FUNCTION
from tests.support.synth import Synth

if str(CODE_ROOT) not in sys.path:
    sys.path.insert(0, str(CODE_ROOT))

import index

REGION = "us-east-1"
STACK_NAME = "ClaudeInvocationLogging-us-east-1"


PHYSICAL = {
    "Custom::BedrockModelInvocationLogging": index.PHYSICAL_RESOURCE_ID,
    "Custom::BedrockDataRetention": index.RETENTION_ID,
    "Custom::BedrockDataRetentionStorage": index.STORAGE_ID,
}


def deployed(
    synth: Synth, logical_id: str = CONFIGURATION_RESOURCE
) -> tuple[index.Settings, dict[str, Any], CfnValues]:
    """The provider's settings and one resource's properties, as CloudFormation would give them."""
    template = synth.templates[STACK_NAME]
    values = CfnValues(template, region=REGION, stack_name=STACK_NAME)
    variables = values.resolve(template["Resources"][PROVIDER_FUNCTION]["Properties"]["Environment"]["Variables"])
    properties = values.resolve(template["Resources"][logical_id]["Properties"])
    return index.Settings.from_environment(variables), properties, values


def of_type(synth: Synth, resource_type: str) -> str:
    (logical_id,) = (k for k, v in synth.templates[STACK_NAME]["Resources"].items() if v["Type"] == resource_type)
    return logical_id


def cloudformation_event(
    request: str, properties: dict[str, Any], values: CfnValues, logical_id: str = CONFIGURATION_RESOURCE
) -> dict[str, Any]:
    resource_type = values.template["Resources"][logical_id]["Type"]
    event = {
        "RequestType": request,
        "ResponseURL": response_url(values.stack_id, logical_id, REGION),
        "StackId": values.stack_id,
        "RequestId": "request-1",
        "LogicalResourceId": logical_id,
        "ResourceType": resource_type,
        "ResourceProperties": {k: v for k, v in properties.items() if k != "ServiceToken"},
    }
    if request != "Create":
        event["PhysicalResourceId"] = PHYSICAL[resource_type]
    return event


@pytest.fixture
def bedrock() -> Iterator[Any]:
    with fake_credentials_session(), mock_aws():
        yield Bedrock(boto3.client("bedrock", region_name=REGION))


def stored(bedrock: Any) -> dict[str, Any]:
    return dict(bedrock.get_model_invocation_logging_configuration().get("loggingConfig") or {})


def test_the_resolved_configuration_names_the_stacks_destinations(default_synth: Synth) -> None:
    settings, properties, values = deployed(default_synth)
    bucket = values.physical_name("ClaudeInvocationLoggingInvocationLogBucket1F7E1819")
    assert settings.configuration["s3Config"] == {"bucketName": bucket, "keyPrefix": "invocation-logs"}
    assert settings.configuration["cloudWatchConfig"]["logGroupName"] == (
        f"/aws/bedrock/model-invocations/{STACK_NAME}/{values.stack_uuid}"
    )
    assert (settings.stack_id, settings.logical_resource_id) == (values.stack_id, CONFIGURATION_RESOURCE)
    assert json.loads(properties["Configuration"]) == settings.configuration


@pytest.mark.parametrize(
    ("request_type", "status"), [("Create", "CREATE_IN_PROGRESS"), ("Update", "UPDATE_IN_PROGRESS")]
)
def test_create_and_update_put_a_configuration_bedrock_accepts(
    bedrock: Any, default_synth: Synth, request_type: str, status: str
) -> None:
    settings, properties, values = deployed(default_synth)
    event = cloudformation_event(request_type, properties, values)
    outcome = index.apply(event, settings, bedrock, CloudFormation(status, values.stack_id))
    assert (outcome.status, outcome.reason) == ("SUCCESS", "configuration put")
    assert stored(bedrock) == settings.configuration


def test_delete_keeps_by_default_and_removes_when_asked(
    bedrock: Any, default_synth: Synth, logging_options_synth: Synth
) -> None:
    for synth, after in ((default_synth, "kept"), (logging_options_synth, "deleted")):
        settings, properties, values = deployed(synth)
        stack = CloudFormation("CREATE_IN_PROGRESS", values.stack_id)
        assert index.apply(cloudformation_event("Create", properties, values), settings, bedrock, stack).status == (
            "SUCCESS"
        )
        stack = CloudFormation("DELETE_IN_PROGRESS", values.stack_id)
        outcome = index.apply(cloudformation_event("Delete", properties, values), settings, bedrock, stack)
        assert outcome.status == "SUCCESS"
        assert stored(bedrock) == (settings.configuration if after == "kept" else {}), after


def test_a_wrong_field_name_is_refused_before_sending(bedrock: Any, default_synth: Synth) -> None:
    """The round trip can fail: botocore rejects a field the Bedrock service model does not have."""
    settings, _, _ = deployed(default_synth)
    wrong = json.loads(json.dumps(settings.configuration))
    wrong["s3Config"]["prefix"] = wrong["s3Config"].pop("keyPrefix")
    with pytest.raises(ParamValidationError, match="prefix"):
        bedrock.put_model_invocation_logging_configuration(loggingConfig=wrong)
    wrong = json.loads(json.dumps(settings.configuration))
    wrong["textDataDeliveryEnabled"] = "true"
    with pytest.raises(ParamValidationError, match="textDataDeliveryEnabled"):
        bedrock.put_model_invocation_logging_configuration(loggingConfig=wrong)


def test_the_default_template_sets_zero_data_retention(bedrock: Any, default_synth: Synth) -> None:
    logical_id = of_type(default_synth, "Custom::BedrockDataRetention")
    settings, properties, values = deployed(default_synth, logical_id)
    assert (settings.retention_resource_id, settings.retention_mode, properties["Mode"]) == (logical_id, "none", "none")
    assert settings.storage is None  # data_retention_storage: unmanaged
    event = cloudformation_event("Create", properties, values, logical_id)
    outcome = index.apply(event, settings, bedrock, CloudFormation("CREATE_IN_PROGRESS", values.stack_id))
    assert (outcome.status, outcome.reason) == ("SUCCESS", "data retention mode none put")
    assert bedrock.retention.mode == "none"


def test_customer_managed_storage_names_the_stacks_bucket_and_key_as_bedrock_expects(
    bedrock: Any, logging_options_synth: Synth
) -> None:
    """Registered with the Region-local bucket and key the stack provisions; the ARNs match the service model's
    patterns (botocore checks types and lengths, not patterns: checked here)."""
    logical_id = of_type(logging_options_synth, "Custom::BedrockDataRetentionStorage")
    settings, properties, values = deployed(logging_options_synth, logical_id)
    assert settings.retention_mode is None  # data_retention_mode: unmanaged
    assert json.loads(properties["Storage"]) == settings.storage
    event = cloudformation_event("Create", properties, values, logical_id)
    outcome = index.apply(event, settings, bedrock, CloudFormation("CREATE_IN_PROGRESS", values.stack_id))
    assert (outcome.status, outcome.reason) == ("SUCCESS", "retention storage put")
    record = bedrock.retention.storage["anthropic"]
    assert record["storageDestination"] == "customer_managed"
    configuration = record["storageConfiguration"]
    assert configuration["s3BucketOwner"] == values.account
    assert configuration["s3BucketArn"] == (
        f"arn:aws:s3:::claude-retention-{values.account}-{REGION}-{values.stack_uuid.split('-')[0]}"
    )
    shape = bedrock.retention.client.meta.service_model.shape_for("DataRetentionStorageConfiguration")
    assert re.fullmatch(shape.members["s3BucketArn"].metadata["pattern"], configuration["s3BucketArn"])
    assert configuration["kmsKeyArn"].startswith(f"arn:aws:kms:{REGION}:{values.account}:key/")
