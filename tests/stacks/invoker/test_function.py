"""The invoker function: runtime, limits, environment, its key and logs, its role's one policy, who may invoke it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Template

from tests.support import logical_ids as ids
from tests.support.cfn_values import CfnValues
from tests.support.invoker import function_settings
from tests.support.project import SAMPLE_ACCOUNT, config_for
from tests.support.synth import Synth, synth_invoker
from tests.support.templates import managed_policy_statements, resource

SONNET_46 = "anthropic.claude-sonnet-4-6"
HAIKU_55 = "anthropic.claude-haiku-5-5"  # the default models
OPUS_48 = "anthropic.claude-opus-4-8"


@pytest.fixture(scope="module")
def invoker(default_synth: Synth) -> Template:
    return default_synth.template("ClaudeInvoker-")


@pytest.fixture(scope="module")
def configured_synth() -> Synth:
    """Callers, reserved concurrency and Marketplace subscription for callers (the stack alone, concrete account)."""
    config = config_for(
        account=SAMPLE_ACCOUNT,
        endpoint_scope="eu",
        regions=["eu-west-1"],
        models=["claude-sonnet-4-6"],
        invoker_default_model="claude-sonnet-4-6",
        invoker_callers=["events.amazonaws.com", "444455556666"],
        invoker_reserved_concurrency=25,
        access_allow_marketplace_subscription=True,
    )
    return synth_invoker(config, "eu-west-1", account=SAMPLE_ACCOUNT)


def function_properties(template: Template) -> dict[str, Any]:
    (function,) = template.find_resources("AWS::Lambda::Function").values()
    properties: dict[str, Any] = function["Properties"]
    return properties


def test_function_runtime_architecture_limits_and_tracing(invoker: Template) -> None:
    properties = function_properties(invoker)
    assert {key: properties[key] for key in ("Runtime", "Architectures", "Handler", "MemorySize", "Timeout")} == {
        "Runtime": "python3.14",
        "Architectures": ["arm64"],
        "Handler": "handler.handler",
        "MemorySize": 512,
        "Timeout": 900,
    }
    assert properties["TracingConfig"] == {"Mode": "Active"}
    assert properties["KmsKeyArn"] == {"Fn::GetAtt": [ids.INVOKER_KEY, "Arn"]}
    # JSON: the runtime writes each log record as a JSON object. INFO, pinned: the EMF lines on stdout carry no level,
    # which Lambda files as INFO; a higher application level would drop the metrics.
    assert properties["LoggingConfig"] == {
        "LogFormat": "JSON",
        "ApplicationLogLevel": "INFO",
        "LogGroup": {"Ref": ids.INVOKER_LOG_GROUP},
    }
    assert "ReservedConcurrentExecutions" not in properties


def test_the_function_has_no_layer(invoker: Template) -> None:
    """Its own asset and the runtime (botocore) are all it runs: no Powertools layer, no other."""
    assert "Layers" not in function_properties(invoker)


def test_environment_names_the_profiles_of_the_scope(invoker: Template) -> None:
    env = function_properties(invoker)["Environment"]["Variables"]
    models = json.loads(env["CLAUDE_MODELS"])
    assert {alias: m["profile_id"] for alias, m in models.items()} == {
        "claude-haiku-5-5": f"global.{HAIKU_55}",
        "claude-opus-4-8": f"global.{OPUS_48}",
    }
    assert env["CLAUDE_DEFAULT_MODEL"] == "claude-haiku-5-5"
    assert env["CLAUDE_ENDPOINT_SCOPE"] == "global"
    assert env["INVOKER_LOG_PROMPTS"] == "false"
    # A Bedrock read must end before the function's 900 s timeout, which the function knows to name it.
    assert (env["BEDROCK_READ_TIMEOUT_SECONDS"], env["INVOKER_TIMEOUT_SECONDS"]) == ("880", "900")
    # Its metrics go where the usage dashboard looks (tests/stacks/usage/test_dashboard.py: {ClaudeOnBedrock,...}).
    assert (env["INVOKER_METRICS_NAMESPACE"], env["INVOKER_SERVICE_NAME"]) == ("ClaudeOnBedrock", "claude-invoker")
    # No Bedrock service tier or latency mode unless configured; nothing for a library the function does not have.
    assert not {"BEDROCK_SERVICE_TIER", "BEDROCK_PERFORMANCE_LATENCY"} & set(env)
    assert not [name for name in env if name.startswith("POWERTOOLS_")]


def test_environment_satisfies_the_function_contract(invoker: Template) -> None:
    """The function's own validation accepts what the construct sets (intrinsics resolved as CloudFormation
    would): the two sides agree."""
    env = CfnValues(invoker.to_json(), region="us-east-1").resolve(function_properties(invoker)["Environment"])
    settings = function_settings(env["Variables"])
    assert settings.default_model.profile_id == f"global.{HAIKU_55}"
    assert settings.endpoint_scope == "global"
    assert settings.results_bucket and settings.async_alias == "async"
    assert settings.models["claude-opus-4-8"].api_versions == ("bedrock-2023-05-31", "2026-10-21")


def test_key_rotates_and_lets_cloudwatch_logs_use_it_for_this_accounts_groups_only(invoker: Template) -> None:
    key = resource(invoker, ids.INVOKER_KEY)
    assert key["Properties"]["EnableKeyRotation"] is True
    assert (key["DeletionPolicy"], key["UpdateReplacePolicy"]) == ("Retain", "Retain")
    (logs,) = [
        s
        for s in key["Properties"]["KeyPolicy"]["Statement"]
        if s.get("Sid") == "AllowCloudWatchLogsForThisAccountsLogGroups"
    ]
    assert logs["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert logs["Condition"] == {
        "ArnLike": {
            "kms:EncryptionContext:aws:logs:arn": {
                "Fn::Join": ["", ["arn:aws:logs:us-east-1:", {"Ref": "AWS::AccountId"}, ":log-group:*"]]
            }
        }
    }


def test_log_group_retention_and_encryption(invoker: Template) -> None:
    group = resource(invoker, ids.INVOKER_LOG_GROUP)
    assert group["Properties"] == {
        "RetentionInDays": 30,
        "KmsKeyId": {"Fn::GetAtt": [ids.INVOKER_KEY, "Arn"]},
        "Tags": [{"Key": "project", "Value": "claude-on-bedrock"}],
    }
    assert group["DeletionPolicy"] == "Retain"


def test_function_role_has_no_inline_policy_and_exactly_the_invocation_permissions(invoker: Template) -> None:
    assert invoker.find_resources("AWS::IAM::Policy") == {}
    statements = managed_policy_statements(invoker, "InvokerFunctionPolicy")
    bedrock = [s for s in statements if "bedrock" in json.dumps(s["Action"])]
    invoking = [s for s in bedrock if s["Action"] != "bedrock:CountTokens"]
    # The function never streams: only InvokeModel, three statements for the global profile's models.
    assert {s["Action"] for s in invoking} == {"bedrock:InvokeModel"}
    assert sorted(s["Sid"] for s in invoking) == ["GlobalProfiles", "GlobalRoutedModels", "GlobalSourceRegionModels"]
    # Token counts: none, since CountTokens serves neither default model on bedrock-runtime (their cards list it on
    # bedrock-mantle only); with models it serves: tests/stacks/invoker/test_evaluation.py.
    assert [s for s in bedrock if s not in invoking] == []
    other_actions = sorted(
        sorted(s["Action"]) if isinstance(s["Action"], list) else [s["Action"]] for s in statements if s not in bedrock
    )
    assert other_actions == [
        ["kms:Decrypt", "kms:GenerateDataKey"],
        ["logs:CreateLogStream", "logs:PutLogEvents"],
        ["s3:PutObject"],
        ["sqs:SendMessage"],
        ["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
    ]


def test_invoke_policy_lets_its_holder_invoke_this_function_and_its_async_alias_only(invoker: Template) -> None:
    assert resource(invoker, ids.INVOKE_FUNCTION_POLICY)["Properties"]["PolicyDocument"]["Statement"] == [
        {
            "Sid": "InvokeClaudeInvoker",
            "Effect": "Allow",
            "Action": "lambda:InvokeFunction",
            "Resource": [{"Fn::GetAtt": [ids.INVOKER_FUNCTION, "Arn"]}, {"Ref": ids.ASYNC_ALIAS}],
        }
    ]
    assert invoker.find_resources("AWS::Lambda::Permission") == {}  # no caller configured: nobody else


def test_callers_and_reserved_concurrency_from_config(configured_synth: Synth) -> None:
    assert configured_synth.violations == []
    template = configured_synth.template("Invoker")
    assert function_properties(template)["ReservedConcurrentExecutions"] == 25
    permissions = sorted(
        (p["Properties"] for p in template.find_resources("AWS::Lambda::Permission").values()),
        key=lambda p: str(p["Principal"]),
    )
    function = {"Fn::GetAtt": [ids.INVOKER_FUNCTION, "Arn"]}
    # Each caller on the function and on its asynchronous alias.
    assert sorted(
        (p["Action"], p["Principal"], p.get("SourceAccount"), str(p["FunctionName"])) for p in permissions
    ) == sorted(
        ("lambda:InvokeFunction", principal, source, str(target))
        for principal, source in (
            ("444455556666", None),
            # A service may invoke only on behalf of this account (confused-deputy protection).
            ("events.amazonaws.com", SAMPLE_ACCOUNT),
        )
        for target in (function, {"Ref": ids.ASYNC_ALIAS})
    )
    env_vars = function_properties(template)["Environment"]["Variables"]
    assert json.loads(env_vars["CLAUDE_MODELS"])["claude-sonnet-4-6"]["profile_id"] == f"eu.{SONNET_46}"
    text = json.dumps(managed_policy_statements(template, "InvokerFunctionPolicy"))
    assert f"arn:aws:bedrock:eu-west-1:{SAMPLE_ACCOUNT}:inference-profile/eu.{SONNET_46}" in text
    assert "DenyRoutingOutsideEu" in text


def test_the_function_never_subscribes_to_marketplace_products(configured_synth: Synth) -> None:
    """Callers may subscribe (access_allow_marketplace_subscription=true); the function's policy stays the same."""
    assert configured_synth.config.access.allow_marketplace_subscription is True
    statements = managed_policy_statements(configured_synth.template("Invoker"), "InvokerFunctionPolicy")
    assert "aws-marketplace" not in json.dumps(statements)
    assert not any(s["Sid"].startswith("Marketplace") for s in statements)


def test_function_asset_holds_only_the_function_code(default_synth: Synth) -> None:
    assets = [p for p in default_synth.outdir.glob("asset.*") if (p / "handler.py").exists()]
    assert len(assets) == 1
    files = sorted(str(f.relative_to(assets[0])) for f in assets[0].rglob("*") if f.is_file())
    assert "handler.py" in files
    assert all(not f.endswith(".pyc") and "__pycache__" not in f for f in files)
    assert sum((assets[0] / f).stat().st_size for f in files) < 200_000
