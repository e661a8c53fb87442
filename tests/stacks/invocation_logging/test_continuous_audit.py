"""The continuous audit as deployed: its package (the audit's own modules, staged at synthesis), its role (the
auditor's policy and nothing more, unless it repairs), its schedule and alarms; and it is a separable part, the
one asset of the logging stack.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from core.config import AppConfig
from stacks.deployment import invocation_logging_props
from stacks.invocation_logging.stack import InvocationLoggingStack
from tests.support.cfn_values import CfnValues
from tests.support.logical_ids import DELIVERY_ROLE, LOG_AUDIT_LOG_GROUP, LOGGING_ALARM_TOPIC, PROVIDER_FUNCTION
from tests.support.project import FEATURE_FLAGS, ROOT, STORAGE_ACTIONS, config_for
from tests.support.synth import Synth
from tests.support.templates import resource

PREFIX = "ClaudeInvocationLogging-"


def audit_function(template: Template) -> tuple[str, dict[str, Any]]:
    (found,) = [
        (logical_id, r)
        for logical_id, r in template.find_resources("AWS::Lambda::Function").items()
        if "EXPECTED_LOG_DATA" in r["Properties"].get("Environment", {}).get("Variables", {})
    ]
    return found


def role_of(template: Template, function: dict[str, Any]) -> dict[str, Any]:
    return resource(template, function["Properties"]["Role"]["Fn::GetAtt"][0])


def statements_of(template: Template, function: dict[str, Any]) -> list[dict[str, Any]]:
    (policy,) = role_of(template, function)["Properties"]["ManagedPolicyArns"]
    found: list[dict[str, Any]] = resource(template, policy["Ref"])["Properties"]["PolicyDocument"]["Statement"]
    return found


def test_the_function_runs_the_staged_handler_with_the_stacks_expectations(default_synth: Synth) -> None:
    template = default_synth.template(PREFIX)
    _, function = audit_function(template)
    properties = function["Properties"]
    assert (properties["Handler"], properties["Runtime"], properties["Architectures"]) == (
        "audit_handler.handler",
        "python3.14",
        ["arm64"],
    )
    variables = properties["Environment"]["Variables"]
    assert (variables["EXPECTED_RETENTION_DAYS"], variables["EXPECTED_LOG_DATA"], variables["SELF_REPAIR"]) == (
        "30",
        "text,image",
        "false",
    )
    # The exact configuration the provider applies: the audit compares the account's with it.
    provider = resource(template, PROVIDER_FUNCTION)["Properties"]["Environment"]["Variables"]
    assert variables["LOGGING_CONFIGURATION"] == provider["LOGGING_CONFIGURATION"]
    assert properties["LoggingConfig"] == {"LogGroup": {"Ref": LOG_AUDIT_LOG_GROUP}}
    # The data retention the stack sets: the audit reports a mode or storage changed since.
    assert (variables["EXPECTED_DATA_RETENTION_MODE"], variables["EXPECTED_DATA_RETENTION_STORAGE"]) == (
        "none",
        "unmanaged",
    )


def test_with_managed_storage_the_role_may_read_the_storage_record(logging_options_synth: Synth) -> None:
    """The read's IAM action is the configuration's (`data_retention_storage_actions`): no AWS page names it."""
    template = logging_options_synth.template(PREFIX)
    _, function = audit_function(template)
    variables = function["Properties"]["Environment"]["Variables"]
    assert (variables["EXPECTED_DATA_RETENTION_MODE"], variables["EXPECTED_DATA_RETENTION_STORAGE"]) == (
        "unmanaged",
        "customer_managed",
    )
    read = {s["Sid"]: s for s in statements_of(template, function)}["ReadRetentionStorage"]
    assert (read["Action"], read["Resource"]) == (STORAGE_ACTIONS["get"], "*")


def test_the_role_holds_the_auditors_policy_and_its_metrics_only(default_synth: Synth) -> None:
    template = default_synth.template(PREFIX)
    _, function = audit_function(template)
    statements = statements_of(template, function)
    every = json.loads((ROOT / "compliance" / "audit_policy.json").read_text())["Statement"]
    # The one owner of the audit's permissions, less the catalog check's reads, which the function never makes.
    auditor = [s for s in every if not s["Sid"].startswith("CatalogCheck")]
    assert len(auditor) == len(every) - 2
    assert statements[: len(auditor)] == auditor
    assert "bedrock:ListInferenceProfiles" not in json.dumps(statements)
    assert [s["Sid"] for s in statements[len(auditor) :]] == ["PublishAuditMetrics", "WriteOwnLogs"]
    assert statements[len(auditor)]["Condition"] == {
        "StringEquals": {"cloudwatch:namespace": "ClaudeOnBedrock/LoggingAudit"}
    }
    assert "Path" not in role_of(template, function)["Properties"]
    assert "bedrock:Put" not in json.dumps(statements)


def test_with_self_repair_it_may_put_the_configuration_back_from_the_project_path(every_option_synth: Synth) -> None:
    template = every_option_synth.template(PREFIX)
    _, function = audit_function(template)
    assert function["Properties"]["Environment"]["Variables"]["SELF_REPAIR"] == "true"
    assert role_of(template, function)["Properties"]["Path"] == "/claude-on-bedrock/"
    repair = {s["Sid"]: s for s in statements_of(template, function)}
    assert repair["PutTheConfigurationBack"]["Action"] == "bedrock:PutModelInvocationLoggingConfiguration"
    assert repair["PassDeliveryRoleToBedrockOnly"] == {
        "Sid": "PassDeliveryRoleToBedrockOnly",
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": {"Fn::GetAtt": [DELIVERY_ROLE, "Arn"]},
        "Condition": {"StringEquals": {"iam:PassedToService": "bedrock.amazonaws.com"}},
    }


def test_it_runs_hourly_and_its_alarms_notify_the_logging_topic(default_synth: Synth) -> None:
    template = default_synth.template(PREFIX)
    function_id, _ = audit_function(template)
    template.has_resource_properties(
        "AWS::Events::Rule",
        {
            "ScheduleExpression": "rate(1 hour)",
            "Targets": [{"Arn": {"Fn::GetAtt": [function_id, "Arn"]}, "Id": "Target0"}],
        },
    )
    alarms = {
        logical_id: r["Properties"]
        for logical_id, r in template.find_resources("AWS::CloudWatch::Alarm").items()
        if r["Properties"].get("Namespace") == "ClaudeOnBedrock/LoggingAudit"
    }
    drift, cannot_read, not_running = (
        next(a for i, a in alarms.items() if "LogAuditDrift" in i),
        next(a for i, a in alarms.items() if "LogAuditCannotRead" in i),
        next(a for i, a in alarms.items() if "LogAuditNotRunning" in i),
    )
    assert len(alarms) == 3  # no repair alarm without self-repair
    # Checks it could not make (a refused call) alarm apart from drift: not known to be in order either.
    assert (cannot_read["MetricName"], cannot_read["Statistic"], cannot_read["Threshold"]) == (
        "UnreadableChecks",
        "Maximum",
        1,
    )
    assert cannot_read["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert (drift["MetricName"], drift["Statistic"], drift["Period"], drift["Threshold"]) == (
        "FailedChecks",
        "Maximum",
        3600,
        1,
    )
    assert drift["Dimensions"] == [{"Name": "Region", "Value": "us-east-1"}]
    assert "self-repair is off" in drift["AlarmDescription"]
    # A stopped or failing audit publishes nothing: missing data is what that alarm is for.
    assert (not_running["Statistic"], not_running["EvaluationPeriods"], not_running["TreatMissingData"]) == (
        "SampleCount",
        2,
        "breaching",
    )
    assert all(a["AlarmActions"] == [{"Ref": LOGGING_ALARM_TOPIC}] for a in alarms.values())


def test_a_repair_is_alarmed_when_self_repair_is_on(every_option_synth: Synth) -> None:
    template = every_option_synth.template(PREFIX)
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {"MetricName": "ConfigurationRepaired", "Namespace": "ClaudeOnBedrock/LoggingAudit", "Threshold": 1},
    )


def asset_directory(synth: Synth) -> Path:
    _, function = audit_function(synth.template(PREFIX))
    key = function["Properties"]["Code"]["S3Key"]
    return synth.outdir / f"asset.{key.removesuffix('.zip')}"


def test_the_package_holds_the_audits_own_modules_and_no_command_line(default_synth: Synth) -> None:
    package = asset_directory(default_synth)
    files = sorted(str(p.relative_to(package)) for p in package.rglob("*.py"))
    audit_modules = sorted(
        f"compliance/audit/{p.name}" for p in (ROOT / "compliance" / "audit").glob("*.py") if p.name != "run.py"
    )
    assert files == sorted(
        [
            "audit_handler.py",
            "continuous_audit.py",
            "compliance/__init__.py",
            "compliance/aws.py",
            *audit_modules,
            "core/__init__.py",
            "core/catalog/__init__.py",
            "core/data_retention/__init__.py",
            "core/data_retention/operations.py",
            "core/invocation_logging/__init__.py",
            "core/invocation_logging/configuration.py",
            "core/invocation_logging/guard.py",
            "core/catalog/scopes.py",
            "core/data_retention/modes.py",
            "core/data_retention/requests.py",
        ]
    )
    for relative in audit_modules:  # copies, not rewrites
        assert (package / relative).read_text() == (ROOT / relative).read_text()


SELF_CONTAINED = """
import json, os, sys
repo = sys.argv[2]
# moto's sessions read the service models through one loader, as in the test processes (the test's own code, loaded
# before the repository leaves the path; the handler's modules must all come from the package).
sys.path.insert(0, repo)
from tests.support.aws_sessions import share_one_loader
share_one_loader()
sys.path[:] = [sys.argv[1]] + [p for p in sys.path if p and (not p.startswith(repo) or "site-packages" in p)]
from moto import mock_aws
os.environ.pop("EXPECTED_DATA_RETENTION_MODE")  # moto has no data retention API (tests/support/fake_retention.py)
with mock_aws():
    import boto3
    boto3.client("bedrock").put_model_invocation_logging_configuration(loggingConfig=json.loads(
        os.environ["LOGGING_CONFIGURATION"]))
    import audit_handler
    class Context:
        invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:audit"
    summary = audit_handler.handler({}, Context())
    loaded = [m.__file__ for n, m in sys.modules.items() if n.split(".")[0] in ("compliance", "core")]
    print(json.dumps({"summary": summary, "loaded": loaded, "config": "core.config" in sys.modules}))
"""


def test_the_package_runs_on_its_own(default_synth: Synth, tmp_path: Path) -> None:
    """Imported from the asset alone (no repository on the path), the handler audits a moto account."""
    package = asset_directory(default_synth)
    _, function = audit_function(default_synth.template(PREFIX))
    values = CfnValues(default_synth.templates[default_synth.stack_name(PREFIX)], region="us-east-1")
    variables = values.resolve(function["Properties"]["Environment"]["Variables"])
    fake = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "PATH": os.environ["PATH"],
    }
    result = subprocess.run(
        [sys.executable, "-c", SELF_CONTAINED, str(package), str(ROOT)],
        cwd=tmp_path,
        env={**fake, **variables},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    output = json.loads(result.stdout.strip().splitlines()[-1])
    assert output["loaded"] and all(path.startswith(str(package)) for path in output["loaded"])
    assert output["config"] is False  # the command line's configuration is not needed
    # The moto account holds the configuration and nothing it names: the audit says so, rather than crashing.
    assert output["summary"]["checks"] > 10
    assert output["summary"]["failed"] and not any("bedrock.logging.matches" in f for f in output["summary"]["failed"])


def _logging_stack(config: AppConfig, synthesizer: cdk.IStackSynthesizer) -> None:
    app = cdk.App(context=FEATURE_FLAGS)
    InvocationLoggingStack(
        app,
        "Member",
        props=invocation_logging_props(config, "us-east-1"),
        env=cdk.Environment(region="us-east-1"),
        synthesizer=synthesizer,
    )
    app.synth()


def test_without_the_audit_the_logging_stack_holds_no_asset() -> None:
    """The organization rollout deploys the logging stack without a bootstrap bucket: a stack that uses the
    BootstraplessSynthesizer refuses any asset, and only the continuous audit is one."""
    _logging_stack(config_for(log_audit_schedule_hours=0), cdk.BootstraplessSynthesizer())
    with pytest.raises(RuntimeError, match="Cannot add assets to a Stack that uses the BootstraplessSynthesizer"):
        _logging_stack(config_for(), cdk.BootstraplessSynthesizer())
