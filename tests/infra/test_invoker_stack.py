"""The invoker function's stack: runtime, limits, encryption, dead-letter queue, permissions, alarms."""

from __future__ import annotations

import json
import sys
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template

from stacks.invocation_access.stack import InvocationAccessStack
from stacks.invoker.construct import FUNCTION_CODE
from stacks.invoker.stack import InvokerStack
from tests.synth import FEATURE_FLAGS, SAMPLE_ACCOUNT, Synth, config_for

SONNET_46 = "anthropic.claude-sonnet-4-6"
HAIKU_45 = "anthropic.claude-haiku-4-5-20251001-v1:0"


@pytest.fixture(scope="module")
def invoker(default_synth: Synth) -> Template:
    return default_synth.template("ClaudeInvoker-")


def _function(template: Template) -> dict[str, Any]:
    (function,) = template.find_resources("AWS::Lambda::Function").values()
    return function["Properties"]


def test_function_runtime_architecture_limits_and_tracing(invoker: Template) -> None:
    invoker.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Runtime": "python3.14",
            "Architectures": ["arm64"],
            "Handler": "handler.handler",
            "MemorySize": 512,
            "Timeout": 300,
            "TracingConfig": {"Mode": "Active"},
            "KmsKeyArn": {"Fn::GetAtt": [Match.string_like_regexp("InvokerKey"), "Arn"]},
            "DeadLetterConfig": {
                "TargetArn": {"Fn::GetAtt": [Match.string_like_regexp("InvokerDeadLetterQueue"), "Arn"]}
            },
            "LoggingConfig": Match.object_like({"LogFormat": "JSON"}),
        },
    )


def test_powertools_comes_from_the_published_layer(invoker: Template) -> None:
    (layer,) = _function(invoker)["Layers"]
    assert layer == "arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python314-arm64:38"


def test_environment_names_the_profiles_of_the_scope(invoker: Template) -> None:
    env = _function(invoker)["Environment"]["Variables"]
    models = json.loads(env["CLAUDE_MODELS"])
    assert {alias: m["profile_id"] for alias, m in models.items()} == {
        "claude-sonnet-4-6": f"global.{SONNET_46}",
        "claude-haiku-4-5": f"global.{HAIKU_45}",
    }
    assert env["CLAUDE_DEFAULT_MODEL"] == "claude-sonnet-4-6"
    assert env["CLAUDE_ENDPOINT_SCOPE"] == "global"
    assert env["INVOKER_LOG_PROMPTS"] == "false"
    # A Bedrock read must end before the function's 300 s timeout.
    assert int(env["BEDROCK_READ_TIMEOUT_SECONDS"]) < 300


def test_environment_satisfies_the_function_contract(invoker: Template) -> None:
    """The function's own validation accepts what the construct sets: the two sides agree."""
    sys.path.insert(0, str(FUNCTION_CODE))
    try:
        from claude_invoker.config import load_settings
    finally:
        sys.path.remove(str(FUNCTION_CODE))
    settings = load_settings(_function(invoker)["Environment"]["Variables"])
    assert settings.default_model.profile_id == f"global.{SONNET_46}"
    assert settings.scope == "global"


def test_log_group_retention_and_encryption(invoker: Template) -> None:
    invoker.has_resource(
        "AWS::Logs::LogGroup",
        {
            "Properties": {
                "RetentionInDays": 30,
                "KmsKeyId": {"Fn::GetAtt": [Match.string_like_regexp("InvokerKey"), "Arn"]},
            },
            "DeletionPolicy": "Retain",
        },
    )
    invoker.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


def test_dead_letter_queue_is_kms_encrypted_and_tls_only(invoker: Template) -> None:
    invoker.has_resource_properties(
        "AWS::SQS::Queue",
        {
            "KmsMasterKeyId": {"Fn::GetAtt": [Match.string_like_regexp("InvokerKey"), "Arn"]},
            "MessageRetentionPeriod": 1209600,
        },
    )
    invoker.has_resource_properties(
        "AWS::SQS::QueuePolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [Match.object_like({"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})]
                )
            }
        },
    )
    invoker.has_resource_properties(
        "AWS::Lambda::EventInvokeConfig", {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 21600}
    )


def test_answers_of_asynchronous_invocations_are_kept_in_a_queue(invoker: Template) -> None:
    """Bedrock errors are returned, not raised: an asynchronous caller finds them, and messages, in this queue."""
    results = Match.string_like_regexp("InvokerAsyncResultsQueue")
    invoker.has_resource_properties(
        "AWS::Lambda::EventInvokeConfig",
        {"DestinationConfig": {"OnSuccess": {"Destination": {"Fn::GetAtt": [results, "Arn"]}}}},
    )
    invoker.has_resource_properties(
        "AWS::SQS::Queue",
        {
            "KmsMasterKeyId": {"Fn::GetAtt": [Match.string_like_regexp("InvokerKey"), "Arn"]},
            "RedrivePolicy": {
                "deadLetterTargetArn": {"Fn::GetAtt": [Match.string_like_regexp("InvokerDeadLetterQueue"), "Arn"]},
                "maxReceiveCount": 5,
            },
        },
    )
    policies = invoker.find_resources("AWS::IAM::ManagedPolicy")
    (function_policy,) = [p for name, p in policies.items() if "InvokerFunctionPolicy" in name]
    (send,) = [
        s for s in function_policy["Properties"]["PolicyDocument"]["Statement"] if s["Action"] == "sqs:SendMessage"
    ]
    assert sorted(r["Fn::GetAtt"][0][:-8] for r in send["Resource"]) == [
        "ClaudeInvokerInvokerAsyncResultsQueue",
        "ClaudeInvokerInvokerDeadLetterQueue",
    ]


def test_function_role_has_no_inline_policy_and_exactly_the_invocation_permissions(invoker: Template) -> None:
    assert invoker.find_resources("AWS::IAM::Policy") == {}
    policies = invoker.find_resources("AWS::IAM::ManagedPolicy")
    (function_policy,) = [p for name, p in policies.items() if "InvokerFunctionPolicy" in name]
    statements = function_policy["Properties"]["PolicyDocument"]["Statement"]
    bedrock = [s for s in statements if "bedrock" in json.dumps(s["Action"])]
    # The function never streams: only InvokeModel, three statements per model for the global profile.
    assert {s["Action"] for s in bedrock} == {"bedrock:InvokeModel"}
    assert sorted(s["Sid"] for s in bedrock) == sorted(
        f"Global{kind}{model}"
        for kind in ("Profile", "SourceRegionModel", "RoutedModel")
        for model in ("ClaudeSonnet46", "ClaudeHaiku45")
    )
    other_actions = sorted(
        sorted(s["Action"]) if isinstance(s["Action"], list) else [s["Action"]] for s in statements if s not in bedrock
    )
    assert other_actions == [
        ["kms:Decrypt", "kms:GenerateDataKey"],
        ["logs:CreateLogStream", "logs:PutLogEvents"],
        ["sqs:SendMessage"],
        ["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
    ]


def test_alarms_cover_errors_throttles_duration_and_dead_letters(invoker: Template) -> None:
    alarms = invoker.find_resources("AWS::CloudWatch::Alarm")
    by_metric = {a["Properties"]["MetricName"]: a["Properties"] for a in alarms.values()}
    assert set(by_metric) == {"Errors", "Throttles", "Duration", "ApproximateNumberOfMessagesVisible"}
    assert by_metric["Duration"]["Threshold"] == 300 * 1000 * 0.8
    assert all(len(a["AlarmActions"]) == 1 for a in by_metric.values())


def test_invoke_policy_and_outputs(invoker: Template) -> None:
    invoker.has_resource_properties(
        "AWS::IAM::ManagedPolicy",
        {
            "PolicyDocument": {
                "Statement": [
                    {
                        "Sid": "InvokeClaudeInvoker",
                        "Effect": "Allow",
                        "Action": "lambda:InvokeFunction",
                        "Resource": {"Fn::GetAtt": [Match.string_like_regexp("InvokerFunction"), "Arn"]},
                    }
                ]
            }
        },
    )
    for output in (
        "FunctionArn",
        "FunctionName",
        "InvokeFunctionPolicyArn",
        "DeadLetterQueueUrl",
        "AsyncResultsQueueUrl",
        "AlarmTopicArn",
    ):
        invoker.has_output(output, Match.any_value())


def test_callers_and_reserved_concurrency_from_config() -> None:
    config = config_for(
        account=SAMPLE_ACCOUNT,
        endpoint_scope="eu",
        regions=["eu-west-1"],
        models=["claude-sonnet-4-6"],
        default_model="claude-sonnet-4-6",
        invoker_callers=["events.amazonaws.com", "444455556666"],
        invoker_reserved_concurrency=25,
    )
    app = cdk.App(context=FEATURE_FLAGS)
    env = cdk.Environment(account=SAMPLE_ACCOUNT, region="eu-west-1")
    access = InvocationAccessStack(app, "Access", config=config, region="eu-west-1", env=env)
    template = Template.from_stack(InvokerStack(app, "Invoker", config=config, access=access.access, env=env))
    template.has_resource_properties("AWS::Lambda::Function", {"ReservedConcurrentExecutions": 25})
    template.has_resource_properties(
        "AWS::Lambda::Permission",
        {"Action": "lambda:InvokeFunction", "Principal": "events.amazonaws.com", "SourceAccount": SAMPLE_ACCOUNT},
    )
    template.has_resource_properties("AWS::Lambda::Permission", {"Principal": "444455556666"})
    env_vars = _function(template)["Environment"]["Variables"]
    assert json.loads(env_vars["CLAUDE_MODELS"])["claude-sonnet-4-6"]["profile_id"] == f"eu.{SONNET_46}"
    policies = template.find_resources("AWS::IAM::ManagedPolicy")
    text = json.dumps(policies)
    assert f"arn:aws:bedrock:eu-west-1:{SAMPLE_ACCOUNT}:inference-profile/eu.{SONNET_46}" in text
    assert "DenyRoutingOutsideEu" in text


def test_function_asset_holds_only_the_function_code(default_synth: Synth) -> None:
    assets = [p for p in default_synth.outdir.glob("asset.*") if (p / "handler.py").exists()]
    assert len(assets) == 1
    files = sorted(str(f.relative_to(assets[0])) for f in assets[0].rglob("*") if f.is_file())
    assert "handler.py" in files
    assert all(not f.endswith(".pyc") and "__pycache__" not in f for f in files)
    assert sum((assets[0] / f).stat().st_size for f in files) < 200_000


def test_vpc_mode_keeps_calls_to_claude_on_the_aws_network(variant_synth: Synth) -> None:
    assert variant_synth.violations == []
    template = variant_synth.template("ClaudeInvoker-")
    template.resource_count_is("AWS::EC2::NatGateway", 0)
    template.resource_count_is("AWS::EC2::InternetGateway", 0)
    template.has_resource_properties(
        "AWS::EC2::VPCEndpoint",
        {
            "ServiceName": "com.amazonaws.eu-west-1.bedrock-runtime",
            "VpcEndpointType": "Interface",
            "PrivateDnsEnabled": True,
        },
    )
    template.has_resource_properties(
        "AWS::EC2::FlowLog", {"TrafficType": "ALL", "LogDestinationType": "cloud-watch-logs"}
    )
    function = _function(template)
    assert function["VpcConfig"]["SecurityGroupIds"] and len(function["VpcConfig"]["SubnetIds"]) == 2
    groups = template.find_resources("AWS::EC2::SecurityGroup")
    (function_group,) = [g for name, g in groups.items() if "InvokerSecurityGroup" in name]
    # Only HTTPS to the endpoint's group: no 0.0.0.0/0 egress.
    assert "0.0.0.0/0" not in json.dumps(function_group)
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupEgress", {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443}
    )
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress", {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443}
    )
