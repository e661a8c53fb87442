"""The Region's logging configuration: the delivery role, and the custom resource whose purpose-built provider
applies it with the Bedrock API.

tests/stacks/invocation_logging/test_configuration_api.py runs the provider with the synthesized environment against
moto's Bedrock; tests/lambda/logging_configuration/ tests the provider itself.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Capture, Match, Template

from stacks.shared.inline_code import inline_source
from tests.support.logical_ids import (
    CONFIGURATION_RESOURCE,
    DELIVERY_ROLE,
    LOG_BUCKET,
    LOG_GROUP,
    LOG_KEY,
    PROVIDER_FUNCTION,
    PROVIDER_LOG_GROUP,
)
from tests.support.project import ROOT
from tests.support.synth import Synth
from tests.support.templates import (
    ACCOUNT,
    acknowledged_rules,
    bedrock_source_conditions,
    managed_policy_id,
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


def provider(template: Template) -> dict[str, Any]:
    """The provider function: the one the configuration resource's ServiceToken names."""
    token = only(template, CONFIGURATION_TYPE)["Properties"]["ServiceToken"]
    assert token == {"Fn::GetAtt": [PROVIDER_FUNCTION, "Arn"]}
    return resource(template, PROVIDER_FUNCTION)


def provider_statements(template: Template) -> list[dict[str, Any]]:
    """Statements of the provider function's role (through its one managed policy)."""
    return role_policy_statements(template, provider(template)["Properties"]["Role"]["Fn::GetAtt"][0])


def environment(template: Template) -> dict[str, Any]:
    variables: dict[str, Any] = provider(template)["Properties"]["Environment"]["Variables"]
    return variables


EXPECTED_CONFIG = {
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


def test_what_a_kept_configuration_names_is_kept_too(logging_stack: Template, options: Template) -> None:
    """Deleting the stack keeps the configuration by default: its delivery role, the role's policy and the bucket
    policy must survive with it, or the kept configuration points at nothing."""
    (delivery_policy,) = resource(logging_stack, DELIVERY_ROLE)["Properties"]["ManagedPolicyArns"]
    bucket_policy_id = next(
        logical_id
        for logical_id, policy in logging_stack.find_resources("AWS::S3::BucketPolicy").items()
        if policy["Properties"]["Bucket"] == {"Ref": LOG_BUCKET}
    )
    kept = (DELIVERY_ROLE, delivery_policy["Ref"], bucket_policy_id, CONFIGURATION_RESOURCE)
    for logical_id in kept:
        found = resource(logging_stack, logical_id)
        assert (found["DeletionPolicy"], found["UpdateReplacePolicy"]) == ("Retain", "Retain"), logical_id
    # With log_keep_configuration_on_delete=false they go with the stack, and the provider is asked to delete.
    for logical_id in kept:
        assert resource(options, logical_id).get("DeletionPolicy", "Delete") == "Delete", logical_id


# The configuration resource and its provider


def test_logical_ids_of_the_resource_and_its_provider_are_those_deployed_before(logging_stack: Template) -> None:
    """CloudFormation refuses a new ServiceToken on an existing custom resource: the provider function keeps the
    logical ID of the aws-cdk-lib provider it replaced, so the ServiceToken (its ARN) stays the same."""
    assert set(logging_stack.find_resources(CONFIGURATION_TYPE)) == {CONFIGURATION_RESOURCE}
    assert set(logging_stack.find_resources("AWS::Lambda::Function")) >= {PROVIDER_FUNCTION}
    assert provider(logging_stack)["Properties"]["Handler"] == "index.handler"


def test_the_provider_code_is_inline_and_is_the_tested_file(logging_stack: Template) -> None:
    """The tested file without its docstrings and comment lines (tests/stacks/test_inline_code.py: the same code)."""
    code = provider(logging_stack)["Properties"]["Code"]
    assert set(code) == {"ZipFile"}
    assert code["ZipFile"] == inline_source(ROOT / "lambda" / "logging_configuration" / "index.py")


def test_the_provider_serves_only_this_stack_and_resource(logging_stack: Template) -> None:
    variables = environment(logging_stack)
    assert variables["STACK_ID"] == {"Ref": "AWS::StackId"}
    assert variables["LOGICAL_RESOURCE_ID"] == CONFIGURATION_RESOURCE
    assert variables["KEEP_CONFIGURATION_ON_DELETE"] == "true"


def test_the_provider_applies_the_configuration_of_its_environment(logging_stack: Template) -> None:
    applied = json.loads(rendered(environment(logging_stack)["LOGGING_CONFIGURATION"]))
    assert applied == EXPECTED_CONFIG
    # The resource carries the same configuration, so that any change of it is an Update CloudFormation sends.
    properties = only(logging_stack, CONFIGURATION_TYPE)["Properties"]
    assert properties["Configuration"] == environment(logging_stack)["LOGGING_CONFIGURATION"]
    assert properties["KeepConfigurationOnDelete"] == "true"


def test_the_configured_kinds_of_data_are_delivered(options: Template) -> None:
    config = json.loads(rendered(environment(options)["LOGGING_CONFIGURATION"]))
    assert {k: v for k, v in config.items() if k.endswith("DataDeliveryEnabled")} == {
        "textDataDeliveryEnabled": True,
        "imageDataDeliveryEnabled": False,
        "embeddingDataDeliveryEnabled": True,
        "videoDataDeliveryEnabled": False,
        "audioDataDeliveryEnabled": False,
    }


def test_provider_may_put_the_configuration_pass_the_delivery_role_and_read_its_stack(
    logging_stack: Template,
) -> None:
    statements = provider_statements(logging_stack)
    assert statements[:3] == [
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
        {
            "Sid": "ReadOwnStackStatus",
            "Effect": "Allow",
            # The stack's status and the resource's: the provider acts only while CloudFormation operates on it.
            "Action": ["cloudformation:DescribeStackResource", "cloudformation:DescribeStacks"],
            "Resource": {
                "Fn::Join": [
                    "",
                    # The deployed stack's name, not the synthesized one: a StackSet names each member's stack.
                    ["arn:aws:cloudformation:us-east-1:", ACCOUNT, ":stack/", {"Ref": "AWS::StackName"}, "/*"],
                ]
            },
        },
    ]
    assert [s["Sid"] for s in statements] == [
        "ConfigureModelInvocationLogging",
        "PassDeliveryRoleToBedrockOnly",
        "ReadOwnStackStatus",
        "WriteOwnLogs",
        "SetDataRetentionModeNoLooserThanConfigured",
    ]


def test_the_provider_role_has_the_project_path(logging_stack: Template) -> None:
    """An SCP exempts the roles that may change the logging configuration by this path, not by name."""
    role_id = provider(logging_stack)["Properties"]["Role"]["Fn::GetAtt"][0]
    assert resource(logging_stack, role_id)["Properties"]["Path"] == "/claude-on-bedrock/"


def test_only_the_provider_and_audit_policies_acknowledge_resource_star(logging_stack: Template) -> None:
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
    assert sorted(acknowledged) == sorted(
        [
            managed_policy_id(logging_stack, "ConfigurationProviderPolicy"),
            managed_policy_id(logging_stack, "LogAuditPolicy"),
        ]
    )


def test_configuration_is_kept_when_the_stack_is_deleted_by_default(logging_stack: Template) -> None:
    actions = [s["Action"] for s in provider_statements(logging_stack)]
    assert "bedrock:DeleteModelInvocationLoggingConfiguration" not in json.dumps(actions)


def test_configuration_is_deleted_with_the_stack_when_asked(options: Template) -> None:
    assert environment(options)["KEEP_CONFIGURATION_ON_DELETE"] == "false"
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
    assert provider(logging_stack)["Properties"]["LoggingConfig"] == {"LogGroup": {"Ref": PROVIDER_LOG_GROUP}}
    assert provider(logging_stack)["Properties"]["Timeout"] == 120
    group = resource(logging_stack, PROVIDER_LOG_GROUP)
    assert (group["Properties"]["RetentionInDays"], group["Properties"]["KmsKeyId"]) == (
        30,
        {"Fn::GetAtt": [LOG_KEY, "Arn"]},
    )
    assert (group["DeletionPolicy"], group["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert acknowledged_rules(logging_stack, PROVIDER_LOG_GROUP) == []
    assert resource(options, PROVIDER_LOG_GROUP)["DeletionPolicy"] == "Delete"
    assert resource(options, PROVIDER_LOG_GROUP)["Properties"]["RetentionInDays"] == 90


def test_provider_function_acknowledges_what_a_deploy_time_function_does_not_need(logging_stack: Template) -> None:
    assert sorted(acknowledged_rules(logging_stack, PROVIDER_FUNCTION)) == sorted(
        [
            *(f"{pack}-LambdaInsideVPC" for pack in ("HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321")),
            *(
                f"{pack}-{rule}"
                for pack in ("HIPAA.Security", "NIST.800.53.R5")
                for rule in ("LambdaDLQ", "LambdaConcurrency")
            ),
        ]
    )
