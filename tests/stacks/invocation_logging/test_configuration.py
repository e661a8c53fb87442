"""The Region's logging configuration: the delivery role, and the custom resource that applies it with the Bedrock API.

tests/stacks/invocation_logging/test_configuration_api.py makes the same calls against moto's Bedrock.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Capture, Match, Template

from tests.support.logical_ids import DELIVERY_ROLE, LOG_BUCKET, LOG_GROUP, LOG_KEY, PROVIDER_LOG_GROUP
from tests.support.synth import Synth
from tests.support.templates import (
    acknowledged_rules,
    bedrock_source_conditions,
    only,
    policies_naming_role,
    rendered,
    resource,
    role_policy_statements,
)

BEDROCK_CONDITIONS = bedrock_source_conditions("us-east-1")
CONFIGURATION_TYPE = "Custom::BedrockModelInvocationLogging"


@pytest.fixture(scope="module")
def logging_stack(default_synth: Synth) -> Template:
    return default_synth.template("ClaudeInvocationLogging-")


@pytest.fixture(scope="module")
def options(logging_options_synth: Synth) -> Template:
    return logging_options_synth.template("ClaudeInvocationLogging-")


def sdk_call(template: Template, event: str) -> dict[str, Any]:
    """The Create, Update or Delete call of the custom resource, tokens written as <Ref:Id> or <Id.Attr>."""
    properties = only(template, CONFIGURATION_TYPE)["Properties"]
    if event not in properties:
        return {}
    value = properties[event]
    call: dict[str, Any] = json.loads(value if isinstance(value, str) else rendered(value))
    return call


def provider_statements(template: Template) -> list[dict[str, Any]]:
    """Statements of the provider function's role (through its one managed policy)."""
    (function,) = template.find_resources("AWS::Lambda::Function").values()
    return role_policy_statements(template, function["Properties"]["Role"]["Fn::GetAtt"][0])


# The delivery role


def test_delivery_role_is_assumable_only_by_bedrock_of_this_account_and_region(logging_stack: Template) -> None:
    role = resource(logging_stack, DELIVERY_ROLE)["Properties"]
    assert role["AssumeRolePolicyDocument"] == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "bedrock.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": BEDROCK_CONDITIONS,
            }
        ],
    }
    assert "Policies" not in role


def test_delivery_role_may_only_write_the_invocation_log_group(logging_stack: Template) -> None:
    group_arn = {"Fn::GetAtt": [LOG_GROUP, "Arn"]}
    assert role_policy_statements(logging_stack, DELIVERY_ROLE) == [
        {
            "Sid": "WriteInvocationLogStreams",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": [group_arn, {"Fn::Join": ["", [group_arn, ":log-stream:*"]]}],
        }
    ]
    # Nothing else in the stack grants the delivery role anything.
    assert policies_naming_role(logging_stack, "AWS::IAM::Policy", DELIVERY_ROLE) == {}
    assert acknowledged_rules(logging_stack, DELIVERY_ROLE) == []


# The custom resource and its provider


def test_provider_may_put_the_configuration_and_pass_only_the_delivery_role_to_bedrock(
    logging_stack: Template,
) -> None:
    statements = provider_statements(logging_stack)
    assert statements[:2] == [
        {
            "Sid": "ConfigureModelInvocationLogging",
            "Effect": "Allow",
            "Action": "bedrock:PutModelInvocationLoggingConfiguration",
            "Resource": "*",
        },
        {
            "Sid": "PassDeliveryRoleToBedrockOnly",
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": {"Fn::GetAtt": [DELIVERY_ROLE, "Arn"]},
            "Condition": {"StringEquals": {"iam:PassedToService": "bedrock.amazonaws.com"}},
        },
    ]
    assert [s["Sid"] for s in statements] == [
        "ConfigureModelInvocationLogging",
        "PassDeliveryRoleToBedrockOnly",
        "WriteOwnLogs",
    ]


def test_only_the_provider_policy_acknowledges_resource_star_with_its_reason(logging_stack: Template) -> None:
    assert "cdk_nag" not in json.dumps(logging_stack.to_json().get("Metadata", {}))
    reason = Capture()
    acknowledged = logging_stack.find_resources(
        "AWS::IAM::ManagedPolicy",
        {
            "Metadata": {
                "cdk_nag": {
                    "rules_to_suppress": Match.array_with([{"id": "AwsSolutions-IAM5[Resource::*]", "reason": reason}])
                }
            }
        },
    )
    assert len(acknowledged) == 1
    assert "no resource types" in reason.as_string()


def test_create_and_update_put_the_configuration(logging_stack: Template) -> None:
    expected_config = {
        "s3Config": {"bucketName": f"<Ref:{LOG_BUCKET}>", "keyPrefix": "invocation-logs"},
        "cloudWatchConfig": {
            "logGroupName": f"<Ref:{LOG_GROUP}>",
            "roleArn": f"<{DELIVERY_ROLE}.Arn>",
            "largeDataDeliveryS3Config": {"bucketName": f"<Ref:{LOG_BUCKET}>", "keyPrefix": "large-payloads"},
        },
        "textDataDeliveryEnabled": True,
        "imageDataDeliveryEnabled": True,
        "embeddingDataDeliveryEnabled": False,
        "videoDataDeliveryEnabled": False,
        "audioDataDeliveryEnabled": False,
    }
    for event in ("Create", "Update"):
        assert sdk_call(logging_stack, event) == {
            "service": "bedrock",
            "action": "PutModelInvocationLoggingConfiguration",
            "parameters": {"loggingConfig": expected_config},
            "physicalResourceId": {"id": "bedrock-model-invocation-logging"},
        }, event


def test_the_configured_kinds_of_data_are_delivered(options: Template) -> None:
    config = sdk_call(options, "Create")["parameters"]["loggingConfig"]
    assert {k: v for k, v in config.items() if k.endswith("DataDeliveryEnabled")} == {
        "textDataDeliveryEnabled": True,
        "imageDataDeliveryEnabled": False,
        "embeddingDataDeliveryEnabled": True,
        "videoDataDeliveryEnabled": False,
        "audioDataDeliveryEnabled": False,
    }


def test_configuration_is_kept_when_the_stack_is_deleted_by_default(logging_stack: Template) -> None:
    assert sdk_call(logging_stack, "Delete") == {}
    actions = [s["Action"] for s in provider_statements(logging_stack)]
    assert "bedrock:DeleteModelInvocationLoggingConfiguration" not in json.dumps(actions)


def test_configuration_is_deleted_with_the_stack_when_asked(options: Template) -> None:
    assert sdk_call(options, "Delete") == {"service": "bedrock", "action": "DeleteModelInvocationLoggingConfiguration"}
    assert sorted(provider_statements(options)[0]["Action"]) == [
        "bedrock:DeleteModelInvocationLoggingConfiguration",
        "bedrock:PutModelInvocationLoggingConfiguration",
    ]


def test_configuration_waits_for_the_bucket_policy(logging_stack: Template) -> None:
    depends_on = only(logging_stack, CONFIGURATION_TYPE)["DependsOn"]
    policy_ids = list(
        logging_stack.find_resources("AWS::S3::BucketPolicy", {"Properties": {"Bucket": {"Ref": LOG_BUCKET}}})
    )
    assert policy_ids and set(policy_ids) <= set(depends_on)


def test_provider_function_logs_to_its_own_encrypted_group(logging_stack: Template, options: Template) -> None:
    logging_stack.has_resource_properties(
        "AWS::Lambda::Function", {"LoggingConfig": {"LogGroup": {"Ref": PROVIDER_LOG_GROUP}}, "Timeout": 120}
    )
    provider = resource(logging_stack, PROVIDER_LOG_GROUP)
    assert (provider["Properties"]["RetentionInDays"], provider["Properties"]["KmsKeyId"]) == (
        30,
        {"Fn::GetAtt": [LOG_KEY, "Arn"]},
    )
    assert (provider["DeletionPolicy"], provider["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert acknowledged_rules(logging_stack, PROVIDER_LOG_GROUP) == []
    assert resource(options, PROVIDER_LOG_GROUP)["DeletionPolicy"] == "Delete"
    assert resource(options, PROVIDER_LOG_GROUP)["Properties"]["RetentionInDays"] == 90


def test_provider_function_acknowledges_what_a_deploy_time_function_does_not_need(logging_stack: Template) -> None:
    (function_id,) = logging_stack.find_resources("AWS::Lambda::Function")
    assert sorted(acknowledged_rules(logging_stack, function_id)) == sorted(
        [
            *(f"{pack}-LambdaInsideVPC" for pack in ("HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321")),
            *(
                f"{pack}-{rule}"
                for pack in ("HIPAA.Security", "NIST.800.53.R5")
                for rule in ("LambdaDLQ", "LambdaConcurrency")
            ),
        ]
    )
