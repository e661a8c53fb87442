"""The provider, deployed as the template deploys it, applies a configuration the Bedrock API accepts.

The provider function's environment and the configuration resource's properties are resolved to sample values
(tests/support/cfn_values.py); the provider's own code (`lambda/logging_configuration/index.py`, inlined into the
template) then handles CloudFormation's Create, Update and Delete events against moto's Bedrock, through a real
boto3 client (botocore validates every field name and type against the service model before sending).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ParamValidationError
from moto import mock_aws

from tests.support.cfn_values import CfnValues
from tests.support.configuration_provider import CODE_ROOT, CloudFormation
from tests.support.fake_account import fake_credentials_session
from tests.support.logical_ids import CONFIGURATION_RESOURCE, PROVIDER_FUNCTION
from tests.support.synth import Synth

if str(CODE_ROOT) not in sys.path:
    sys.path.insert(0, str(CODE_ROOT))

import index

REGION = "us-east-1"
STACK_NAME = "ClaudeInvocationLogging-us-east-1"


def deployed(synth: Synth) -> tuple[index.Settings, dict[str, Any], CfnValues]:
    """The provider's settings and the resource's properties, as CloudFormation would give them."""
    template = synth.templates[STACK_NAME]
    values = CfnValues(template, region=REGION, stack_name=STACK_NAME)
    variables = values.resolve(template["Resources"][PROVIDER_FUNCTION]["Properties"]["Environment"]["Variables"])
    properties = values.resolve(template["Resources"][CONFIGURATION_RESOURCE]["Properties"])
    return index.Settings.from_environment(variables), properties, values


def cloudformation_event(request: str, properties: dict[str, Any], values: CfnValues) -> dict[str, Any]:
    event = {
        "RequestType": request,
        "ResponseURL": "https://example.invalid/response",
        "StackId": values.stack_id,
        "RequestId": "request-1",
        "LogicalResourceId": CONFIGURATION_RESOURCE,
        "ResourceType": "Custom::BedrockModelInvocationLogging",
        "ResourceProperties": {k: v for k, v in properties.items() if k != "ServiceToken"},
    }
    if request != "Create":
        event["PhysicalResourceId"] = index.PHYSICAL_RESOURCE_ID
    return event


@pytest.fixture
def bedrock() -> Iterator[Any]:
    with fake_credentials_session(), mock_aws():
        yield boto3.client("bedrock", region_name=REGION)


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
        stack.status = "DELETE_IN_PROGRESS"
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
